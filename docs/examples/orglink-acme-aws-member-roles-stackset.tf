# orglink integration acme-aws: member role OrglinkAccess in every account of the
# organization (or of the chosen OUs) through a service-managed CloudFormation StackSet.
# Apply in the management account (call_as = "SELF") or a CloudFormation delegated administrator
# account (call_as = "DELEGATED_ADMIN"); the StackSet deploys in the provider's region.
terraform {
  required_version = ">= 1.3"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.0"
    }
  }
}

variable "organizational_unit_ids" {
  description = "The root id (r-xxxx) to cover the whole organization, or the ids of chosen OUs (ou-xxxx-xxxxxxxx)."
  type        = list(string)
  default     = [
    "r-a1b2",
  ]
}

variable "call_as" {
  description = "SELF in the management account; DELEGATED_ADMIN in a CloudFormation delegated administrator account."
  type        = string
  default     = "SELF"
}

resource "aws_cloudformation_stack_set" "orglink_member_roles" {
  name             = "orglink-acme-aws-member-roles"
  description      = "orglink acme-aws: member role OrglinkAccess"
  permission_model = "SERVICE_MANAGED"
  call_as          = var.call_as
  capabilities     = ["CAPABILITY_NAMED_IAM"]

  auto_deployment {
    enabled                          = true
    retain_stacks_on_account_removal = false
  }

  managed_execution {
    active = true
  }

  operation_preferences {
    failure_tolerance_percentage = 100
    max_concurrent_percentage    = 100
    region_concurrency_type      = "PARALLEL"
  }

  template_body = jsonencode({
    "AWSTemplateFormatVersion": "2010-09-09",
    "Description": "orglink acme-aws: member role OrglinkAccess, assumed by orglink connections with the External ID.",
    "Resources": {
      "MemberRole": {
        "Type": "AWS::IAM::Role",
        "Properties": {
          "RoleName": "OrglinkAccess",
          "Description": "orglink acme-aws: member account role",
          "MaxSessionDuration": 3600,
          "AssumeRolePolicyDocument": {
            "Version": "2012-10-17",
            "Statement": [
              {
                "Effect": "Allow",
                "Principal": {
                  "AWS": "arn:aws:iam::111122223333:role/orglink-platform"
                },
                "Action": "sts:AssumeRole",
                "Condition": {
                  "StringEquals": {
                    "sts:ExternalId": "t_k3j9x2m4q8w1:Xy7Pq2Lm"
                  }
                }
              }
            ]
          },
          "ManagedPolicyArns": [
            "arn:aws:iam::444455556666:policy/AcmeExtraReads",
            "arn:aws:iam::aws:policy/ReadOnlyAccess"
          ],
          "Policies": [
            {
              "PolicyName": "orglink-permissions",
              "PolicyDocument": {
                "Version": "2012-10-17",
                "Statement": [
                  {
                    "Sid": "OrglinkExtraActions",
                    "Effect": "Allow",
                    "Action": [
                      "cloudtrail:LookupEvents"
                    ],
                    "Resource": "*"
                  }
                ]
              }
            }
          ],
          "Tags": [
            {
              "Key": "orglink:handle",
              "Value": "acme-aws"
            }
          ]
        }
      }
    },
    "Outputs": {
      "RoleArn": {
        "Description": "The role orglink assumes in this account.",
        "Value": {
          "Fn::GetAtt": [
            "MemberRole",
            "Arn"
          ]
        }
      }
    }
  })

  lifecycle {
    # AWS fills administration_role_arn in for service-managed StackSets; ignore it to avoid a perpetual diff.
    ignore_changes = [administration_role_arn]
  }
}

resource "aws_cloudformation_stack_set_instance" "orglink_member_roles" {
  stack_set_name = aws_cloudformation_stack_set.orglink_member_roles.name
  call_as        = var.call_as

  deployment_targets {
    organizational_unit_ids = var.organizational_unit_ids
  }
}

output "stack_set_id" {
  description = "The StackSet that manages the member roles."
  value       = aws_cloudformation_stack_set.orglink_member_roles.id
}
