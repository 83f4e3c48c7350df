# orglink trelica-prod: member role TrelicaIntegration, assumed by orglink with the External ID.
# Apply with credentials of each account the connection reaches (the provider's account).
terraform {
  required_version = ">= 1.3"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.0"
    }
  }
}

resource "aws_iam_role" "orglink_member" {
  name                 = "TrelicaIntegration"
  description          = "orglink trelica-prod: member account role"
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
            "sts:ExternalId": "o_p5n8c1v6b3z0:Hq4Tw9Ke"
          }
        }
      }
    ]
  })
  tags = {
    "orglink:handle" = "trelica-prod"
  }
}

resource "aws_iam_role_policy" "orglink_member" {
  name   = "orglink-permissions"
  role   = aws_iam_role.orglink_member.id
  policy = jsonencode({
    "Version": "2012-10-17",
    "Statement": [
      {
        "Sid": "OrglinkExtraActions",
        "Effect": "Allow",
        "Action": [
          "cognito-idp:ListUserPools",
          "cognito-idp:ListUsers",
          "connect:DescribeUser",
          "connect:ListInstances",
          "connect:ListSecurityProfiles",
          "connect:ListUsers",
          "ds:DescribeDirectories",
          "iam:ListUsers",
          "organizations:ListAccounts"
        ],
        "Resource": "*"
      }
    ]
  })
}

output "role_arn" {
  description = "The role orglink assumes in this account."
  value       = aws_iam_role.orglink_member.arn
}
