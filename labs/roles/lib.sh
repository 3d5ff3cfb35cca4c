# Shared steps of the CloudKart role scripts (sourced, never run on its own).
#
# Every function is idempotent: it checks before it changes, so running a role script twice
# changes nothing the second time and still exits 0.
#
# Inputs (environment):
#   CLOUDKART_SRC      the repository copy on this host        (default /opt/cloudkart/src)
#   CLOUDKART_BUNDLE   this host's rendered configs             (default /opt/cloudkart/bundle)
#   CLOUDKART_WHEELS   a wheelhouse for pip, for hosts without PyPI access (optional)
#   CLOUDKART_MONGO    "standin" runs briskdb's Mongo wire listener as mongod.service where no
#                      MongoDB package can be installed (local test hosts); default "mongodb-org"

CLOUDKART_SRC=${CLOUDKART_SRC:-/opt/cloudkart/src}
CLOUDKART_BUNDLE=${CLOUDKART_BUNDLE:-/opt/cloudkart/bundle}
CLOUDKART_WHEELS=${CLOUDKART_WHEELS:-}
CLOUDKART_MONGO=${CLOUDKART_MONGO:-mongodb-org}
CLOUDKART_VENV=/opt/cloudkart/venv
CLOUDKART_WWW=/opt/cloudkart/www
CLOUDKART_ETC=/etc/cloudkart
export DEBIAN_FRONTEND=noninteractive

ck_log() { printf '[%s] %s: %s\n' "$(date -u +%H:%M:%S)" "${CK_ROLE:-role}" "$*" >&2; }
ck_die() { ck_log "ERROR: $*"; exit 1; }

# Which package manager and package names: Debian 12 (apt) or RHEL 9 and rebuilds (dnf).
ck_detect_os() {
  . /etc/os-release
  case " ${ID:-} ${ID_LIKE:-} " in
    *" debian "*) CK_OS=debian ;;
    *" rhel "* | *" fedora "* | *" centos "*) CK_OS=rhel ;;
    *) ck_die "unsupported OS '${PRETTY_NAME:-unknown}': these scripts support Debian 12 and RHEL 9" ;;
  esac
  ck_log "OS: ${PRETTY_NAME:-$ID} ($CK_OS path)"
}

ck_require_bundle() {
  [ -f "$CLOUDKART_BUNDLE/host.json" ] ||
    ck_die "no rendered configs in $CLOUDKART_BUNDLE: run 'cloudkart render --layout L --out DIR' and copy DIR/<host>/ there"
}

# ck_install PACKAGE...: install what is missing, nothing else.
ck_install() {
  local missing=() pkg
  if [ "$CK_OS" = debian ]; then
    for pkg in "$@"; do
      dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    ck_log "apt-get install ${missing[*]}"
    apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null ||
      { apt-get update -q >/dev/null && apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null; }
  else
    for pkg in "$@"; do rpm -q "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
    [ ${#missing[@]} -eq 0 ] && return 0
    ck_log "dnf install ${missing[*]}"
    dnf install -y -q "${missing[@]}"
  fi
}

# ck_put SRC DEST MODE [OWNER]: copy a file only when its content or mode differs.
# Returns 0 when it changed something (so callers restart a daemon only then), 1 when not.
ck_put() {
  local src=$1 dest=$2 mode=$3 owner=${4:-root:root}
  [ -f "$src" ] || ck_die "missing $src in the bundle"
  if [ -f "$dest" ] && cmp -s "$src" "$dest" && [ "$(stat -c %a "$dest")" = "${mode#0}" ] &&
    [ "$(stat -c %U:%G "$dest")" = "$owner" ]; then
    return 1
  fi
  install -D -m "$mode" -o "${owner%%:*}" -g "${owner##*:}" "$src" "$dest"
  ck_log "installed $dest (mode $mode)"
  return 0
}

# ck_json KEY...: a value from this host's host.json, e.g. `ck_json addresses shipping`.
ck_json() {
  python3 - "$CLOUDKART_BUNDLE/host.json" "$@" <<'PY'
import json, sys
value = json.load(open(sys.argv[1]))
for key in sys.argv[2:]:
    value = value[key]
print(value if not isinstance(value, (list, dict)) else json.dumps(value))
PY
}

# ck_service_user NAME: a system user that owns nothing and cannot log in.
ck_service_user() {
  id -u "$1" >/dev/null 2>&1 && return 0
  useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$1"
  ck_log "created service user $1"
}

# ck_unit_user UNIT: create the User= a rendered unit runs as (none needed for DynamicUser=yes).
ck_unit_user() {
  local user
  user=$(sed -n 's/^User=//p' "$CLOUDKART_BUNDLE/systemd/$1.service" | tail -n1)
  [ -n "$user" ] && [ "$user" != root ] && ck_service_user "$user"
  return 0
}

# ck_python: Python 3.11 with venv (Debian 12's default python3; RHEL 9's python3.11 package).
ck_python() {
  if [ "$CK_OS" = debian ]; then
    ck_install python3 python3-venv
    CK_PYTHON=python3
  else
    ck_install python3.11 python3.11-pip
    CK_PYTHON=python3.11
  fi
}

# ck_venv: the services' dependencies in /opt/cloudkart/venv, from the wheelhouse when there is one
# (hosts without PyPI access), else from PyPI, and the code as an editable install of the repository
# copy. Its stamps (.cloudkart-installed, .cloudkart-code) say which dependencies and code it holds.
ck_venv() {
  ck_python
  local want have="" req="$CLOUDKART_SRC/services/hosts/runtime-requirements.txt" code_now code_was=""
  # Content hashes (not dates): the same inputs give the same stamp, so a second run changes nothing.
  want=$( { cat "$req" "$CLOUDKART_SRC/requirements.txt"; [ -z "$CLOUDKART_WHEELS" ] || sha256sum "$CLOUDKART_WHEELS"/*.whl; } |
    sha256sum | cut -d' ' -f1)
  [ -f "$CLOUDKART_VENV/.cloudkart-installed" ] && have=$(cat "$CLOUDKART_VENV/.cloudkart-installed")
  if [ "$want" != "$have" ] || [ ! -x "$CLOUDKART_VENV/bin/cloudkart" ]; then
    ck_log "installing the code and its dependencies into $CLOUDKART_VENV"
    [ -x "$CLOUDKART_VENV/bin/python" ] || "$CK_PYTHON" -m venv "$CLOUDKART_VENV"
    local pip=("$CLOUDKART_VENV/bin/pip" install -q --disable-pip-version-check)
    if [ -n "$CLOUDKART_WHEELS" ]; then
      "${pip[@]}" --no-index --find-links "$CLOUDKART_WHEELS" -r "$req"
      "${pip[@]}" --no-index --no-build-isolation --no-deps -e "$CLOUDKART_SRC"
    else
      "${pip[@]}" -r "$req" -c "$CLOUDKART_SRC/requirements.txt"
      "${pip[@]}" --no-build-isolation --no-deps -e "$CLOUDKART_SRC"
    fi
    echo "$want" >"$CLOUDKART_VENV/.cloudkart-installed"
  fi
  code_now=$(cd "$CLOUDKART_SRC" && find . -type f -not -path '*.egg-info/*' -not -path '*/__pycache__/*' -print0 |
    sort -z | xargs -0 sha256sum | sha256sum | cut -d' ' -f1)
  [ -f "$CLOUDKART_VENV/.cloudkart-code" ] && code_was=$(cat "$CLOUDKART_VENV/.cloudkart-code")
  [ "$code_now" = "$code_was" ] || echo "$code_now" >"$CLOUDKART_VENV/.cloudkart-code"
  return 0
}

# ck_code_is_new UNIT: true when the venv holds other code than UNIT last started with (restart it);
# ck_code_started UNIT records what it runs now. Per unit, so a venv updated by any means counts.
ck_code_stamp() { cat "$CLOUDKART_VENV/.cloudkart-installed" "$CLOUDKART_VENV/.cloudkart-code" | sha256sum | cut -d' ' -f1; }
ck_code_is_new() { [ "$(cat "/var/lib/cloudkart/$1.code" 2>/dev/null)" != "$(ck_code_stamp)" ]; }
ck_code_started() { install -d -m 0755 /var/lib/cloudkart && ck_code_stamp >"/var/lib/cloudkart/$1.code"; }

# ck_unit UNIT: install the rendered unit, enable it, and (re)start it when it or its env changed.
ck_unit() {
  local unit=$1 changed=${2:-no}
  if ck_put "$CLOUDKART_BUNDLE/systemd/$unit.service" "/etc/systemd/system/$unit.service" 0644; then
    systemctl daemon-reload
    changed=yes
  fi
  systemctl enable -q "$unit"
  if [ "$changed" = yes ]; then systemctl restart "$unit"; else systemctl start "$unit"; fi
}

# ck_wait_tcp ADDRESS PORT [SECONDS]: until something accepts connections there.
ck_wait_tcp() {
  local i
  for i in $(seq 1 "${3:-60}"); do
    timeout 1 bash -c "</dev/tcp/$1/$2" 2>/dev/null && return 0
    sleep 1
  done
  ck_die "nothing listens on $1:$2 after ${3:-60} s"
}

# ck_health SERVICE PORT: the service's /health answers 200 on this host's address.
ck_health() {
  local address i
  address=$(ck_json address)
  # Quiet while the service starts (its first tries are refused); the last try below shows the error.
  for i in $(seq 1 60); do
    curl -fs -o /dev/null "http://$address:$2/health" && { ck_log "$1 /health OK"; return 0; }
    sleep 1
  done
  curl -sS "http://$address:$2/health" >&2 || true
  ck_die "$1 /health did not answer OK on $address:$2 (see: journalctl -u $1)"
}

# ck_firewall: the host's nftables rules (only what layout.yml's `from:` lists allow), loaded now
# and at every boot by nftables.service.
ck_firewall() {
  # nft resolves "icmp" and "tcp" through /etc/protocols (netbase), absent from minimal images.
  if [ "$CK_OS" = debian ]; then ck_install nftables netbase; else ck_install nftables; fi
  local changed=no
  ck_put "$CLOUDKART_BUNDLE/firewall/cloudkart.nft" /etc/nftables.d/cloudkart.nft 0600 && changed=yes
  if ! grep -qx 'include "/etc/nftables.d/\*.nft"' /etc/sysconfig/nftables.conf /etc/nftables.conf 2>/dev/null; then
    local main=/etc/nftables.conf
    [ "$CK_OS" = rhel ] && main=/etc/sysconfig/nftables.conf
    printf '#!/usr/sbin/nft -f\n# CloudKart: the rules rendered from layout.yml\ninclude "/etc/nftables.d/*.nft"\n' >"$main"
    changed=yes
  fi
  nft -c -f /etc/nftables.d/cloudkart.nft
  systemctl enable -q nftables
  if [ "$changed" = yes ] || ! systemctl is-active -q nftables; then systemctl restart nftables; fi
  ck_log "firewall loaded"
}

# ck_python_service SERVICE UNIT PORT: one CloudKart service, installed and started the same way
# for every service role (PORT empty: no HTTP port, e.g. the order processor).
ck_python_service() {
  local service=$1 unit=$2 port=$3 changed=no
  ck_venv
  ck_code_is_new "$unit" && changed=yes
  ck_unit_user "$unit"
  install -d -m 0755 "$CLOUDKART_ETC"
  # Root only: it holds passwords, and systemd reads it before it drops to the unit's User=.
  ck_put "$CLOUDKART_BUNDLE/env/$service.env" "$CLOUDKART_ETC/$service.env" 0600 && changed=yes
  ck_unit "$unit" "$changed"
  ck_code_started "$unit"
  if [ -n "$port" ]; then
    ck_health "$unit" "$port"
  else
    sleep 2
    systemctl is-active -q "$unit" || ck_die "$unit is not running (see: journalctl -u $unit)"
  fi
}

# ck_redis: Redis with the rendered settings (bind, requirepass) included at the end of the
# distribution's redis.conf, so the packaged defaults stay and ours win. (user-db, cart-redis)
ck_redis() {
  local unit=redis-server conf=/etc/redis/redis.conf changed=no
  # --8<-- [start:redis]
  if [ "$CK_OS" = debian ]; then ck_install redis-server; else ck_install redis && unit=redis; fi
  ck_put "$CLOUDKART_BUNDLE/redis/cloudkart.conf" /etc/redis/cloudkart.conf 0640 redis:redis && changed=yes
  if ! grep -qx 'include /etc/redis/cloudkart.conf' "$conf"; then
    echo 'include /etc/redis/cloudkart.conf' >>"$conf"
    changed=yes
  fi
  systemctl enable -q "$unit"
  if [ "$changed" = yes ]; then systemctl restart "$unit"; else systemctl start "$unit"; fi
  ck_wait_tcp "$(ck_json address)" 6379
  # --8<-- [end:redis]
  ck_log "redis listening on $(ck_json address):6379 with a password"
}

# ck_mongodb: MongoDB on 27017. The labs install the real mongodb-org from MongoDB's own
# repository (gpg-checked). On the local test hosts no MongoDB package can be downloaded, so they
# set CLOUDKART_MONGO=standin and get the stand-in unit instead: the choice is made by the caller
# and logged here, never taken silently. (user-db, catalogue-db)
ck_mongodb() {
  local changed=no
  if [ "$CLOUDKART_MONGO" = standin ]; then
    ck_log "CLOUDKART_MONGO=standin: running the briskdb MongoDB STAND-IN as mongod.service, not MongoDB"
    # --8<-- [start:mongodb-standin]
    ck_venv
    ck_code_is_new mongod && changed=yes
    ck_put "$CLOUDKART_BUNDLE/mongodb/mongod.conf" /etc/mongod.conf 0644 && changed=yes
    ck_unit_user mongod
    ck_unit mongod "$changed"
    ck_code_started mongod
    # --8<-- [end:mongodb-standin]
  else
    # --8<-- [start:mongodb-repo]
    if [ "$CK_OS" = debian ]; then
      ck_install gnupg curl ca-certificates
      if [ ! -f /usr/share/keyrings/mongodb-server-7.0.gpg ]; then
        curl -fsSL https://pgp.mongodb.com/server-7.0.asc | gpg --dearmor -o /usr/share/keyrings/mongodb-server-7.0.gpg
      fi
      echo "deb [signed-by=/usr/share/keyrings/mongodb-server-7.0.gpg] https://repo.mongodb.org/apt/debian bookworm/mongodb-org/7.0 main" \
        >/etc/apt/sources.list.d/mongodb-org-7.0.list
      apt-get update -q >/dev/null
    else
      cat >/etc/yum.repos.d/mongodb-org-7.0.repo <<'REPO'
[mongodb-org-7.0]
name=MongoDB Repository
baseurl=https://repo.mongodb.org/yum/redhat/9/mongodb-org/7.0/x86_64/
gpgcheck=1
enabled=1
gpgkey=https://pgp.mongodb.com/server-7.0.asc
REPO
    fi
    ck_install mongodb-org || ck_die "mongodb-org cannot be installed here; on local test hosts set CLOUDKART_MONGO=standin"
    # --8<-- [end:mongodb-repo]
    # --8<-- [start:mongodb-config]
    ck_put "$CLOUDKART_BUNDLE/mongodb/mongod.conf" /etc/mongod.conf 0644 && changed=yes
    systemctl enable -q mongod
    if [ "$changed" = yes ]; then systemctl restart mongod; else systemctl start mongod; fi
    # --8<-- [end:mongodb-config]
  fi
  ck_wait_tcp "$(ck_json address)" 27017
  ck_log "mongod answering on $(ck_json address):27017"
}

# ck_begin ROLE: what every role script does first.
ck_begin() {
  CK_ROLE=$1
  ck_detect_os
  ck_require_bundle
}
