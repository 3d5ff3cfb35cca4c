#!/usr/bin/env bash
# Vagrant solution mode: install this VM's rendered bundle (uploaded to /tmp/cloudkart-bundle by the
# file provisioner) and run the solution script of each role given as an argument.
# The repository is rsynced to /opt/cloudkart/src by the Vagrantfile.
set -euo pipefail
install -d -m 0700 /opt/cloudkart/bundle
cp -a /tmp/cloudkart-bundle/. /opt/cloudkart/bundle/
chown -R root:root /opt/cloudkart/bundle
rm -rf /tmp/cloudkart-bundle
for role in "$@"; do
  CLOUDKART_SRC=/opt/cloudkart/src CLOUDKART_BUNDLE=/opt/cloudkart/bundle bash "/opt/cloudkart/src/labs/roles/$role.sh"
done
