# orglink integration acme-aws: discovery role for the AWS Organizations management
# (or delegated administrator) account. Apply with credentials of that account, then paste the
# role_arn output into orglink as the discovery role ARN.
terraform {
  required_version = ">= 1.3"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.0"
    }
  }
}

resource "aws_iam_role" "orglink_discovery" {
  name                 = "OrglinkAccess"
  description          = "orglink acme-aws: discovery role (management or delegated administrator account)"
  max_session_duration = 3600
  assume_role_policy   = jsonencode({
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
  })
  tags = {
    "orglink:handle" = "acme-aws"
  }
}

resource "aws_iam_role_policy_attachment" "orglink_discovery" {
  for_each   = toset([
    "arn:aws:iam::444455556666:policy/AcmeExtraReads",
    "arn:aws:iam::aws:policy/ReadOnlyAccess",
  ])
  role       = aws_iam_role.orglink_discovery.name
  policy_arn = each.value
}

resource "aws_iam_role_policy" "orglink_discovery" {
  name   = "orglink-permissions"
  role   = aws_iam_role.orglink_discovery.id
  policy = jsonencode({
    "Version": "2012-10-17",
    "Statement": [
      {
        "Sid": "OrglinkDiscovery",
        "Effect": "Allow",
        "Action": [
          "organizations:DescribeAccount",
          "organizations:DescribeOrganization",
          "organizations:DescribeOrganizationalUnit",
          "organizations:ListAccounts",
          "organizations:ListAccountsForParent",
          "organizations:ListDelegatedAdministrators",
          "organizations:ListOrganizationalUnitsForParent",
          "organizations:ListParents",
          "organizations:ListRoots"
        ],
        "Resource": "*"
      },
      {
        "Sid": "OrglinkIdentityRead",
        "Effect": "Allow",
        "Action": [
          "iam:GetGroup",
          "iam:ListAccountAliases",
          "iam:ListGroups",
          "iam:ListRoles",
          "iam:ListUsers",
          "identitystore:GetGroupMembershipId",
          "identitystore:ListGroupMemberships",
          "identitystore:ListGroups",
          "identitystore:ListUsers",
          "sso:DescribePermissionSet",
          "sso:ListAccountAssignments",
          "sso:ListInstances",
          "sso:ListPermissionSets",
          "sso:ListPermissionSetsProvisionedToAccount"
        ],
        "Resource": "*"
      },
      {
        "Sid": "OrglinkExtraActions",
        "Effect": "Allow",
        "Action": [
          "cloudtrail:LookupEvents"
        ],
        "Resource": "*"
      }
    ]
  })
}

output "role_arn" {
  description = "Paste this ARN into orglink as the discovery role ARN."
  value       = aws_iam_role.orglink_discovery.arn
}
