#!/usr/bin/env bash
# Role cart-redis: Redis holding the shopping carts, on 6379 with a password.
# Solution script of the role's lab; the lab includes these exact steps (snippet markers), so the
# text and the tested script cannot drift. Run as root on the host; safe to run again.
# Env: CLOUDKART_SRC, CLOUDKART_BUNDLE, CLOUDKART_WHEELS (optional), see lib.sh.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ck_begin cart-redis

# 1. Firewall: only the cart host may reach Redis.
# --8<-- [start:firewall]
ck_firewall
# --8<-- [end:firewall]

# 2. Redis from the distribution, with the rendered bind address and requirepass.
ck_redis
