#!/usr/bin/env python3
"""Smoke test of the sandbox with an independent client: boto3/botocore (Debian's python3-boto3).

Usage (values fall back to the environment variables in brackets):
  python3 smoke-boto3.py --endpoint http://127.0.0.1:4566 \
      --access-key-id AKIA... --secret-access-key ... \
      --role-arn arn:aws:iam::222222222222:role/OrglinkRole --external-id 'o_x:Ab3dE6gH'
  [SANDBOX_ENDPOINT, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, SANDBOX_ROLE_ARN, SANDBOX_EXTERNAL_ID, AWS_REGION]

With --organizations it also walks the AWS Organization with the assumed role (which must
then be a discovery role, e.g. the discoveryRoleArn orglink-sandbox prints).

Prints one JSON line per check and exits 1 if any check failed. To add a check, write a
function taking (ctx) and append it to CHECKS; ctx holds the clients and what earlier
checks found (ctx["assumed"] is the session for the assumed role).
"""
import argparse
import json
import os
import sys

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    env = os.environ.get
    parser.add_argument("--endpoint", default=env("SANDBOX_ENDPOINT") or env("AWS_ENDPOINT_URL"))
    parser.add_argument("--access-key-id", default=env("AWS_ACCESS_KEY_ID"))
    parser.add_argument("--secret-access-key", default=env("AWS_SECRET_ACCESS_KEY"))
    parser.add_argument("--role-arn", default=env("SANDBOX_ROLE_ARN"))
    parser.add_argument("--external-id", default=env("SANDBOX_EXTERNAL_ID"))
    parser.add_argument("--region", default=env("AWS_REGION") or "us-east-1")
    parser.add_argument("--organizations", action="store_true", help="also walk the organization with the assumed (discovery) role")
    args = parser.parse_args()
    missing = [name for name in ("endpoint", "access_key_id", "secret_access_key", "role_arn", "external_id") if not getattr(args, name)]
    if missing:
        parser.error("missing: " + ", ".join("--" + m.replace("_", "-") for m in missing))
    return args


def client(ctx, service, session=None):
    # Older botocore ignores AWS_ENDPOINT_URL, so the endpoint is always passed explicitly.
    session = session or ctx["platform"]
    return session.client(service, endpoint_url=ctx["endpoint"], region_name=ctx["region"], config=Config(retries={"max_attempts": 1}))


def check_caller_identity(ctx):
    identity = client(ctx, "sts").get_caller_identity()
    assert identity["Arn"].startswith("arn:aws:"), identity
    return {"arn": identity["Arn"], "account": identity["Account"]}


def check_assume_role(ctx):
    out = client(ctx, "sts").assume_role(RoleArn=ctx["role_arn"], RoleSessionName="boto3-smoke", ExternalId=ctx["external_id"], DurationSeconds=900)
    creds = out["Credentials"]
    assert creds["AccessKeyId"].startswith("ASIA"), creds["AccessKeyId"]
    ctx["assumed"] = boto3.session.Session(
        aws_access_key_id=creds["AccessKeyId"], aws_secret_access_key=creds["SecretAccessKey"], aws_session_token=creds["SessionToken"]
    )
    who = client(ctx, "sts", ctx["assumed"]).get_caller_identity()
    assert who["Arn"] == out["AssumedRoleUser"]["Arn"], (who, out["AssumedRoleUser"])
    return {"assumedRoleArn": who["Arn"], "expiration": creds["Expiration"].isoformat()}


def check_wrong_external_id(ctx):
    try:
        client(ctx, "sts").assume_role(RoleArn=ctx["role_arn"], RoleSessionName="boto3-smoke", ExternalId=ctx["external_id"] + "-wrong")
    except ClientError as error:
        code = error.response["Error"]["Code"]
        assert code == "AccessDenied", code
        return {"code": code, "status": error.response["ResponseMetadata"]["HTTPStatusCode"]}
    raise AssertionError("AssumeRole with a wrong External ID succeeded")


def check_iam_list_roles(ctx):
    iam = client(ctx, "iam", ctx["assumed"])
    roles = [role["RoleName"] for page in iam.get_paginator("list_roles").paginate(PaginationConfig={"PageSize": 2}) for role in page["Roles"]]
    assert roles, "ListRoles returned no roles"
    return {"roles": len(roles)}


CHECKS = [check_caller_identity, check_assume_role, check_wrong_external_id, check_iam_list_roles]


def check_organizations_walk(ctx):
    org = client(ctx, "organizations", ctx["assumed"])
    organization = org.describe_organization()["Organization"]
    root = org.list_roots()["Roots"][0]["Id"]
    # Walk as peers do: accounts and OUs per parent, with boto3's own paginators.
    walked, stack, ous = [], [root], 0
    while stack:
        parent = stack.pop()
        for page in org.get_paginator("list_accounts_for_parent").paginate(ParentId=parent, PaginationConfig={"PageSize": 7}):
            walked.extend(account["Id"] for account in page["Accounts"])
        for page in org.get_paginator("list_organizational_units_for_parent").paginate(ParentId=parent, PaginationConfig={"PageSize": 2}):
            ous += len(page["OrganizationalUnits"])
            stack.extend(ou["Id"] for ou in page["OrganizationalUnits"])
    flat = [account["Id"] for page in org.get_paginator("list_accounts").paginate() for account in page["Accounts"]]
    assert sorted(walked) == sorted(flat) and len(set(flat)) == len(flat), (len(walked), len(flat))
    assert organization["MasterAccountId"] in flat, organization
    return {"organizationId": organization["Id"], "accounts": len(flat), "ous": ous}


def check_organizations_errors(ctx):
    # Client-side validation off, so the sandbox's own answers to bad paging input are checked.
    org = ctx["assumed"].client(
        "organizations", endpoint_url=ctx["endpoint"], region_name=ctx["region"], config=Config(retries={"max_attempts": 1}, parameter_validation=False)
    )
    codes = {}
    for label, call in (("MaxResults=21", lambda: org.list_accounts(MaxResults=21)), ("forged NextToken", lambda: org.list_accounts(NextToken="forged"))):
        try:
            call()
        except ClientError as error:
            codes[label] = error.response["Error"]["Code"]
    assert codes == {"MaxResults=21": "InvalidInputException", "forged NextToken": "InvalidInputException"}, codes
    return {"codes": codes}


ORGANIZATIONS_CHECKS = [check_organizations_walk, check_organizations_errors]


def main():
    args = parse_args()
    ctx = {
        "endpoint": args.endpoint,
        "region": args.region,
        "role_arn": args.role_arn,
        "external_id": args.external_id,
        "platform": boto3.session.Session(aws_access_key_id=args.access_key_id, aws_secret_access_key=args.secret_access_key),
    }
    failed = 0
    for check in CHECKS + (ORGANIZATIONS_CHECKS if args.organizations else []):
        try:
            result = {"check": check.__name__, "ok": True, **(check(ctx) or {})}
        except Exception as error:  # noqa: BLE001 - report every failure and keep going
            failed += 1
            result = {"check": check.__name__, "ok": False, "error": f"{type(error).__name__}: {error}"}
        print(json.dumps(result), flush=True)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
