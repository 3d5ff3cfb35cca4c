#!/usr/bin/env bash
# Role rabbitmq: RabbitMQ carrying the orders from payment to the order processor.
# Solution script of the role's lab; the lab includes these exact steps (snippet markers), so the
# text and the tested script cannot drift. Run as root on the host; safe to run again.
# Env: CLOUDKART_SRC, CLOUDKART_BUNDLE, CLOUDKART_WHEELS (optional), see lib.sh.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ck_begin rabbitmq

# 1. Firewall: AMQP only from the payment and order-processor hosts, the UI only from admins.
# --8<-- [start:firewall]
ck_firewall
# --8<-- [end:firewall]

# 2. RabbitMQ: Debian's package; on RHEL the RabbitMQ team's repositories for Erlang and the
#    server, with their signing keys (gpgcheck on).
# --8<-- [start:install]
if [ "$CK_OS" = debian ]; then
  ck_install rabbitmq-server
else
  rpm --import https://github.com/rabbitmq/signing-keys/releases/download/3.0/rabbitmq-release-signing-key.asc
  rpm --import https://github.com/rabbitmq/signing-keys/releases/download/3.0/cloudsmith.rabbitmq-erlang.E495BB49CC4BBE5B.key
  rpm --import https://github.com/rabbitmq/signing-keys/releases/download/3.0/cloudsmith.rabbitmq-server.9F4587F226208342.key
  cat >/etc/yum.repos.d/rabbitmq.repo <<'REPO'
[rabbitmq-erlang]
name=RabbitMQ Erlang
baseurl=https://yum1.rabbitmq.com/erlang/el/9/$basearch
gpgcheck=1
gpgkey=https://github.com/rabbitmq/signing-keys/releases/download/3.0/cloudsmith.rabbitmq-erlang.E495BB49CC4BBE5B.key
repo_gpgcheck=1
enabled=1

[rabbitmq-server]
name=RabbitMQ Server
baseurl=https://yum1.rabbitmq.com/rabbitmq/el/9/noarch
gpgcheck=1
gpgkey=https://github.com/rabbitmq/signing-keys/releases/download/3.0/cloudsmith.rabbitmq-server.9F4587F226208342.key
repo_gpgcheck=1
enabled=1
REPO
  ck_install erlang rabbitmq-server
fi
# --8<-- [end:install]

# 3. The rendered config (listeners on this host's address, management UI) and the definitions
#    (the cloudkart and cloudkart-admin users, hashed passwords only, their permissions).
# --8<-- [start:config]
changed=no
ck_put "$CLOUDKART_BUNDLE/rabbitmq/rabbitmq.conf" /etc/rabbitmq/rabbitmq.conf 0644 && changed=yes
ck_put "$CLOUDKART_BUNDLE/rabbitmq/definitions.json" /etc/rabbitmq/definitions.json 0640 root:rabbitmq && changed=yes
if ! grep -q rabbitmq_management /etc/rabbitmq/enabled_plugins 2>/dev/null; then
  # </dev/null: the Erlang tools read stdin, and would swallow the rest of a pasted block.
  rabbitmq-plugins enable --offline rabbitmq_management >/dev/null </dev/null
  changed=yes
fi
systemctl enable -q rabbitmq-server
if [ "$changed" = yes ]; then systemctl restart rabbitmq-server; else systemctl start rabbitmq-server; fi
ck_wait_tcp "$(ck_json address)" 5672 120
# --8<-- [end:config]

# 4. No default guest account: the services log in as cloudkart.
# --8<-- [start:users]
if rabbitmqctl -q list_users </dev/null | awk '{print $1}' | grep -qx guest; then
  rabbitmqctl -q delete_user guest </dev/null
fi
rabbitmqctl -q list_users </dev/null
# --8<-- [end:users]
