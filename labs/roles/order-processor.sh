#!/usr/bin/env bash
# Role order-processor: the order processor: consumes the order-processing queue (no port).
# Solution script of the role's lab; the lab includes these exact steps (snippet markers), so the
# text and the tested script cannot drift. Run as root on the host; safe to run again.
# Env: CLOUDKART_SRC, CLOUDKART_BUNDLE, CLOUDKART_WHEELS (optional), see lib.sh.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ck_begin order-processor

# 1. Firewall first, so the service is never reachable by hosts the layout does not list.
# --8<-- [start:firewall]
ck_firewall
# --8<-- [end:firewall]

# 2. Python, a service user, the code and its venv, the env file (0600) and the systemd unit;
#    enabled so it starts at boot, and checked through its /health.
# --8<-- [start:service]
ck_python_service orders order-processor ""
# --8<-- [end:service]
