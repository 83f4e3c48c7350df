#!/usr/bin/env bash
# Installs Debian's boto3, the independent AWS client the sandbox's wire-compatibility smoke test uses.
set -euo pipefail
if /usr/bin/python3 -c 'import boto3' 2>/dev/null; then exit 0; fi
command -v apt-get >/dev/null || exit 1
(apt-get install -y --no-install-recommends python3-boto3 >/dev/null 2>&1) ||
  (apt-get update >/dev/null 2>&1 && apt-get install -y --no-install-recommends python3-boto3 >/dev/null 2>&1)
/usr/bin/python3 -c 'import boto3'
