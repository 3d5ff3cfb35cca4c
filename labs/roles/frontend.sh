#!/usr/bin/env bash
# Role frontend: Nginx serving the storefront and forwarding /api/ to the services.
# Solution script of the role's lab; the lab includes these exact steps (snippet markers), so the
# text and the tested script cannot drift. Run as root on the host; safe to run again.
# Env: CLOUDKART_SRC, CLOUDKART_BUNDLE, CLOUDKART_WHEELS (optional), see lib.sh.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ck_begin frontend

# 1. Firewall: port 80 from anywhere, SSH from admins only.
# --8<-- [start:firewall]
ck_firewall
# --8<-- [end:firewall]

# 2. Nginx, without the distribution's default site (ours is the default server on port 80).
# --8<-- [start:install]
ck_install nginx
rm -f /etc/nginx/sites-enabled/default
# RHEL: SELinux stops Nginx from connecting to the services unless this boolean is on.
if [ "$CK_OS" = rhel ] && command -v setsebool >/dev/null && [ "$(getsebool httpd_can_network_connect)" != "httpd_can_network_connect --> on" ]; then
  setsebool -P httpd_can_network_connect 1
fi
# --8<-- [end:install]

# 3. The storefront: index.html, the app, AngularJS from the xstatic package, product images.
# --8<-- [start:storefront]
ck_venv
"$CLOUDKART_VENV/bin/cloudkart" storefront build --out "$CLOUDKART_WWW" >/dev/null
# --8<-- [end:storefront]

# 4. The rendered server block: the storefront, /api/<service>/ to each service's host.
# --8<-- [start:config]
changed=no
ck_put "$CLOUDKART_BUNDLE/nginx/cloudkart.conf" /etc/nginx/conf.d/cloudkart.conf 0644 && changed=yes
nginx -t -q
systemctl enable -q nginx
if [ "$changed" = yes ] && systemctl is-active -q nginx; then systemctl reload nginx; else systemctl start nginx; fi
ck_wait_tcp "$(ck_json address)" 80
# --8<-- [end:config]
ck_log "storefront at http://$(ck_json address)/"
