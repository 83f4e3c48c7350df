#!/usr/bin/env python3
"""Independent-client smoke test for the sandbox's Organizations API, with Debian's boto3.

Starts `orglink-sandbox --json` itself (or uses a running one given as ENDPOINT_JSON, the
first line the CLI printed), assumes the discovery role with the External ID, walks the
organization with boto3's own paginators and exercises the changes and errors.
Exit code 0 means every check passed.

    /usr/bin/python3 packages/sandbox/scripts/smoke-organizations-boto3.py
"""
import json
import os
import subprocess
import sys

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

HERE = os.path.dirname(os.path.abspath(__file__))
BIN = os.path.join(HERE, "..", "bin", "sandbox.mjs")


def start_sandbox():
    if os.environ.get("ENDPOINT_JSON"):
        return None, json.loads(os.environ["ENDPOINT_JSON"])
    env = dict(os.environ, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED="true")
    proc = subprocess.Popen(
        ["node", BIN, "--json", "--port", "0", "--accounts", "45", "--ous", "6", "--depth", "3",
         "--blocked", "0.2", "--seed", "3", "--no-throttle"],
        stdout=subprocess.PIPE, env=env, text=True,
    )
    return proc, json.loads(proc.stdout.readline())


def client(service, info, creds):
    # Older botocore ignores AWS_ENDPOINT_URL, so the endpoint is passed explicitly. Client-side
    # validation is off so the sandbox's own answers to bad input (MaxResults 21...) are checked.
    config = Config(parameter_validation=False, retries={"max_attempts": 1})
    return boto3.client(service, endpoint_url=info["endpoint"], region_name=info["region"], config=config, **creds)


def keys(access_key_id, secret, token=None):
    out = {"aws_access_key_id": access_key_id, "aws_secret_access_key": secret}
    if token:
        out["aws_session_token"] = token
    return out


def expect_error(code, fn, **kwargs):
    try:
        fn(**kwargs)
    except ClientError as error:
        got = error.response["Error"]["Code"]
        assert got == code, f"expected {code}, got {got}: {error}"
        return error
    raise AssertionError(f"expected {code}, call succeeded")


def main():
    proc, info = start_sandbox()
    try:
        platform = info["platform"]
        sts = client("sts", info, keys(platform["accessKeyId"], platform["secretAccessKey"]))
        assumed = sts.assume_role(RoleArn=info["discoveryRoleArn"], RoleSessionName="boto3-smoke", ExternalId=info["externalId"])["Credentials"]
        expect_error("AccessDenied", sts.assume_role, RoleArn=info["discoveryRoleArn"], RoleSessionName="smoke", ExternalId="t_wrong:00000000")
        discovery = client("organizations", info, keys(assumed["AccessKeyId"], assumed["SecretAccessKey"], assumed["SessionToken"]))

        org = discovery.describe_organization()["Organization"]
        assert org["MasterAccountId"] == info["managementAccountId"], org
        root = discovery.list_roots()["Roots"][0]["Id"]

        # Walk the tree with boto3's paginators, as peers do: accounts and OUs per parent.
        seen, stack, ous = [], [root], 0
        accounts_pages = discovery.get_paginator("list_accounts_for_parent")
        ou_pages = discovery.get_paginator("list_organizational_units_for_parent")
        while stack:
            parent = stack.pop()
            for page in accounts_pages.paginate(ParentId=parent, PaginationConfig={"PageSize": 7}):
                seen.extend(page["Accounts"])
            for page in ou_pages.paginate(ParentId=parent, PaginationConfig={"PageSize": 2}):
                for ou in page["OrganizationalUnits"]:
                    ous += 1
                    stack.append(ou["Id"])
        assert len(seen) == 45 and ous == 6, (len(seen), ous)
        flat = [a for page in discovery.get_paginator("list_accounts").paginate() for a in page["Accounts"]]
        assert sorted(a["Id"] for a in flat) == sorted(a["Id"] for a in seen)
        # botocore 1.29 predates the State member and drops it; newer ones show it.
        assert all(a["Status"] == "ACTIVE" and a.get("State", "ACTIVE") == "ACTIVE" for a in flat)
        member_id = next(a["Id"] for a in flat if a["Id"] != info["managementAccountId"])
        assert discovery.list_parents(ChildId=member_id)["Parents"][0]["Type"] in ("ROOT", "ORGANIZATIONAL_UNIT")
        assert discovery.describe_account(AccountId=member_id)["Account"]["Id"] == member_id
        expect_error("InvalidInputException", discovery.list_accounts, MaxResults=21)
        expect_error("InvalidInputException", discovery.list_accounts, NextToken="forged")
        expect_error("AccountNotFoundException", discovery.describe_account, AccountId="999999999999")
        expect_error("ParentNotFoundException", discovery.list_children, ParentId="ou-zzzz-zzzzzzzz", ChildType="ACCOUNT")
        expect_error("AccessDeniedException", discovery.create_organizational_unit, ParentId=root, Name="denied")

        # Changes, as the management account's root user.
        root_keys = info["managementRoot"]
        mgmt = client("organizations", info, keys(root_keys["accessKeyId"], root_keys["secretAccessKey"]))
        ou = mgmt.create_organizational_unit(ParentId=root, Name="Boto3Smoke")["OrganizationalUnit"]
        expect_error("DuplicateOrganizationalUnitException", mgmt.create_organizational_unit, ParentId=root, Name="Boto3Smoke")
        status = mgmt.create_account(Email="boto3-smoke@example.com", AccountName="boto3-smoke")["CreateAccountStatus"]
        done = mgmt.describe_create_account_status(CreateAccountRequestId=status["Id"])["CreateAccountStatus"]
        assert done["State"] == "SUCCEEDED", done
        mgmt.move_account(AccountId=done["AccountId"], SourceParentId=root, DestinationParentId=ou["Id"])
        expect_error("OrganizationalUnitNotEmptyException", mgmt.delete_organizational_unit, OrganizationalUnitId=ou["Id"])
        mgmt.update_organizational_unit(OrganizationalUnitId=ou["Id"], Name="Boto3Renamed")
        mgmt.close_account(AccountId=done["AccountId"])
        assert mgmt.describe_account(AccountId=done["AccountId"])["Account"]["Status"] == "PENDING_CLOSURE"
        mgmt.remove_account_from_organization(AccountId=done["AccountId"])
        mgmt.delete_organizational_unit(OrganizationalUnitId=ou["Id"])
        mgmt.register_delegated_administrator(AccountId=member_id, ServicePrincipal="sso.amazonaws.com")
        admins = mgmt.list_delegated_administrators()["DelegatedAdministrators"]
        assert [a["Id"] for a in admins] == [member_id], admins
        mgmt.deregister_delegated_administrator(AccountId=member_id, ServicePrincipal="sso.amazonaws.com")
        print(f"boto3 {boto3.__version__}: Organizations smoke passed ({len(flat)} accounts, {ous} OUs)")
        return 0
    finally:
        if proc:
            proc.terminate()
            proc.wait(timeout=10)


if __name__ == "__main__":
    sys.exit(main())
