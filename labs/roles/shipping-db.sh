#!/usr/bin/env bash
# Role shipping-db: MariaDB holding the cities table, imported in bulk.
# Solution script of the role's lab; the lab includes these exact steps (snippet markers), so the
# text and the tested script cannot drift. Run as root on the host; safe to run again.
# Env: CLOUDKART_SRC, CLOUDKART_BUNDLE, CLOUDKART_WHEELS (optional), see lib.sh.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ck_begin shipping-db

# 1. Firewall: only the shipping host may reach MariaDB.
# --8<-- [start:firewall]
ck_firewall
# --8<-- [end:firewall]

# 2. MariaDB with the rendered settings (bind address, utf8mb4, LOAD DATA LOCAL for the import).
# --8<-- [start:install]
ck_install mariadb-server
if [ "$CK_OS" = debian ]; then cnf=/etc/mysql/mariadb.conf.d/90-cloudkart.cnf; else cnf=/etc/my.cnf.d/cloudkart.cnf; fi
changed=no
ck_put "$CLOUDKART_BUNDLE/mysql/cloudkart.cnf" "$cnf" 0644 && changed=yes
systemctl enable -q mariadb
if [ "$changed" = yes ]; then systemctl restart mariadb; else systemctl start mariadb; fi
ck_wait_tcp "$(ck_json address)" 3306
# --8<-- [end:install]

# 3. The cities database and the shipping service's user (only from the shipping host), from the
#    rendered users.sql; root logs in through the unix socket, so no root password is needed.
# --8<-- [start:users]
mysql <"$CLOUDKART_BUNDLE/mysql/users.sql"
# --8<-- [end:users]

# 4. An import user for the city import: its password is generated on this host, kept in a 0600
#    option file, and it reaches only the cities database, only from this host (MariaDB listens on
#    the private address alone, so the import connects there).
# --8<-- [start:import-user]
import_cnf=/root/.cloudkart-cities-import.cnf
if [ ! -f "$import_cnf" ]; then
  umask 077
  printf '[client]\nuser=cities_import\npassword=%s\n' "$(head -c 24 /dev/urandom | base64 | tr -d '/+=')" >"$import_cnf"
fi
import_password=$(sed -n 's/^password=//p' "$import_cnf")
self=$(ck_json address)
mysql <<SQL
CREATE USER IF NOT EXISTS 'cities_import'@'$self' IDENTIFIED BY '$import_password';
ALTER USER 'cities_import'@'$self' IDENTIFIED BY '$import_password';
GRANT SELECT, INSERT, CREATE, DROP, ALTER, INDEX ON cities.* TO 'cities_import'@'$self';
SQL
# --8<-- [end:import-user]

# 5. Import the cities (GeoNames, ~235,000 rows; CLOUDKART_CITIES_LIMIT imports only the N most
#    populous, which CI uses to stay fast). Skipped when the table already holds them.
# --8<-- [start:import]
ck_venv
want=${CLOUDKART_CITIES_LIMIT:-200000}
have=$(mysql -N -e "SELECT COUNT(*) FROM cities.cities" 2>/dev/null || echo 0)
if [ "$have" -lt "$want" ]; then
  limit=()
  [ -n "${CLOUDKART_CITIES_LIMIT:-}" ] && limit=(--limit "$CLOUDKART_CITIES_LIMIT")
  "$CLOUDKART_VENV/bin/cloudkart" import-cities \
    --mysql-url "mysql://cities_import:$import_password@$self:3306/cities" "${limit[@]}"
fi
# --8<-- [end:import]
ck_log "cities: $(mysql -N -e 'SELECT COUNT(*) FROM cities.cities') rows"
