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

# Forward AWS Organizations changes to orglink. Organizations publishes its events in us-east-1
# only, so these resources use a provider pinned to that region.
provider "aws" {
  alias  = "organizations_events"
  region = "us-east-1"
}

variable "orglink_event_key" {
  description = "The integration's event key, sent as X-Orglink-Event-Key. Rotate it in orglink, then apply with the new value."
  type        = string
  sensitive   = true
  default     = "sAmPlE-KeY_0123456789abcdefghijklmnopqrstuv"
}

resource "aws_cloudwatch_event_connection" "orglink_events" {
  provider           = aws.organizations_events
  name               = "orglink-acme-aws-events"
  description        = "orglink acme-aws: authenticates forwarded Organizations events"
  authorization_type = "API_KEY"
  auth_parameters {
    api_key {
      key   = "X-Orglink-Event-Key"
      value = var.orglink_event_key
    }
  }
}

resource "aws_cloudwatch_event_api_destination" "orglink_events" {
  provider                         = aws.organizations_events
  name                             = "orglink-acme-aws-events"
  description                      = "orglink acme-aws: the integration's event endpoint"
  invocation_endpoint              = "https://orglink.example.com/v1/events/aws/i_m2x8c4v1n7b5"
  http_method                      = "POST"
  invocation_rate_limit_per_second = 10
  connection_arn                   = aws_cloudwatch_event_connection.orglink_events.arn
}

resource "aws_iam_role" "orglink_events" {
  name               = "orglink-acme-aws-events"
  description        = "orglink acme-aws: lets EventBridge call the orglink event endpoint"
  assume_role_policy = jsonencode({
    "Version": "2012-10-17",
    "Statement": [
      {
        "Effect": "Allow",
        "Principal": {
          "Service": "events.amazonaws.com"
        },
        "Action": "sts:AssumeRole"
      }
    ]
  })
  tags = {
    "orglink:handle" = "acme-aws"
  }
}

resource "aws_iam_role_policy" "orglink_events" {
  name = "orglink-invoke-api-destination"
  role = aws_iam_role.orglink_events.id
  policy = jsonencode({
    "Version": "2012-10-17",
    "Statement": [
      {
        "Effect": "Allow",
        "Action": "events:InvokeApiDestination",
        "Resource": aws_cloudwatch_event_api_destination.orglink_events.arn
      }
    ]
  })
}

resource "aws_cloudwatch_event_rule" "orglink_organizations" {
  provider      = aws.organizations_events
  name          = "orglink-acme-aws-organizations"
  description   = "orglink acme-aws: forward AWS Organizations changes to orglink"
  event_pattern = jsonencode({
    "source": [
      "aws.organizations"
    ],
    "detail-type": [
      "AWS API Call via CloudTrail",
      "AWS Service Event via CloudTrail"
    ],
    "detail": {
      "eventName": [
        "CreateAccountResult",
        "AccountJoinedOrganization",
        "AcceptHandshake",
        "MoveAccount",
        "RemoveAccountFromOrganization",
        "LeaveOrganization",
        "CloseAccount",
        "CreateOrganizationalUnit",
        "UpdateOrganizationalUnit",
        "DeleteOrganizationalUnit"
      ]
    }
  })
}

resource "aws_cloudwatch_event_target" "orglink_organizations" {
  provider  = aws.organizations_events
  rule      = aws_cloudwatch_event_rule.orglink_organizations.name
  target_id = "orglink"
  arn       = aws_cloudwatch_event_api_destination.orglink_events.arn
  role_arn  = aws_iam_role.orglink_events.arn
}
