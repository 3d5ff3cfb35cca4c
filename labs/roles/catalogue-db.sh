#!/usr/bin/env bash
# Role catalogue-db: MongoDB holding the product catalogue, seeded with the course products.
# Solution script of the role's lab; the lab includes these exact steps (snippet markers), so the
# text and the tested script cannot drift. Run as root on the host; safe to run again.
# Env: CLOUDKART_SRC, CLOUDKART_BUNDLE, CLOUDKART_WHEELS (optional), see lib.sh.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ck_begin catalogue-db

# 1. Firewall: only the catalogue host may reach MongoDB.
# --8<-- [start:firewall]
ck_firewall
# --8<-- [end:firewall]

# 2. MongoDB on 27017 (the stand-in on local test hosts, see lib.sh: ck_mongodb).
ck_mongodb

# 3. Seed the products. Upserts by sku, so running it again keeps live stock and adds nothing twice.
# --8<-- [start:seed]
ck_venv
MONGO_URL="mongodb://$(ck_json address):27017/" "$CLOUDKART_VENV/bin/cloudkart" seed
# --8<-- [end:seed]
ck_log "products seeded"
