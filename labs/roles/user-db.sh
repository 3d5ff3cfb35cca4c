#!/usr/bin/env bash
# Role user-db: MongoDB (users) and Redis (sessions) for the user service.
# Solution script of the role's lab; the lab includes these exact steps (snippet markers), so the
# text and the tested script cannot drift. Run as root on the host; safe to run again.
# Env: CLOUDKART_SRC, CLOUDKART_BUNDLE, CLOUDKART_WHEELS (optional), see lib.sh.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ck_begin user-db

# 1. Firewall: only the user host may reach MongoDB; the user and cart hosts may reach Redis.
# --8<-- [start:firewall]
ck_firewall
# --8<-- [end:firewall]

# 2. MongoDB on 27017 (the stand-in on local test hosts, see lib.sh: ck_mongodb).
ck_mongodb

# 3. Redis for the sessions, with the rendered bind address and requirepass.
ck_redis
