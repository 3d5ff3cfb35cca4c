"""Real systemd hosts (systemd-nspawn), provisioned by the role scripts: the services run and answer.

Needs root. All 12 hosts of cloudkart-12 (one command, 102-185 s measured on 2 cores):
    .venv/bin/pytest -m hosts tests/hosts
A subset: CLOUDKART_TEST_HOSTS=frontend,user-db,user,catalogue-db,catalogue .venv/bin/pytest -m hosts tests/hosts
"""

from __future__ import annotations

import re
import socket

import pytest
import requests

from services.deploy.wiring import UNIT_NAMES
from tests.support.hosts import ProvisionedHosts

pytestmark = pytest.mark.hosts

HTTP_SERVICES = ("user", "catalogue", "cart", "shipping", "payment")
# What the role scripts log when they change something; a second run must log none of it.
CHANGE_LINE = re.compile(r"installed /|created service user|installing the code|apt-get install|dnf install")


def _services_on(hosts: ProvisionedHosts) -> dict[str, str]:
    """Host -> service unit, for the provisioned hosts that run a CloudKart service."""
    layout = hosts.hosts.layout
    return {
        h.name: UNIT_NAMES[c]
        for h in layout.hosts
        if h.name in hosts.names
        for c in layout.components_on(h)
        if c in UNIT_NAMES
    }


def test_every_host_boots_real_systemd(provisioned_hosts: ProvisionedHosts) -> None:
    for name in provisioned_hosts.names:
        result = provisioned_hosts.exec(name, "systemctl", "is-system-running", check=False)
        assert result.stdout.strip() == "running", f"{name}: {result.stdout} (systemctl --failed on the host)"


def test_service_units_are_enabled_and_active(provisioned_hosts: ProvisionedHosts) -> None:
    for host, unit in _services_on(provisioned_hosts).items():
        assert provisioned_hosts.exec(host, "systemctl", "is-enabled", unit).stdout.strip() == "enabled"
        assert provisioned_hosts.exec(host, "systemctl", "is-active", unit).stdout.strip() == "active"


def test_health_answers_through_nginx_on_the_frontend(provisioned_hosts: ProvisionedHosts) -> None:
    running = set(_services_on(provisioned_hosts).values())
    checked = [s for s in HTTP_SERVICES if s in running]
    assert checked, "the provisioned subset runs no HTTP service"
    for service in checked:
        response = requests.get(f"{provisioned_hosts.url}/api/{service}/health", timeout=5)
        assert response.status_code == 200, f"{service}: {response.status_code} {response.text[:200]}"


def test_storefront_and_seeded_products_come_through_nginx(provisioned_hosts: ProvisionedHosts) -> None:
    index = requests.get(provisioned_hosts.url + "/", timeout=5)
    assert index.status_code == 200
    assert "ng-app" in index.text
    products = requests.get(provisioned_hosts.url + "/api/catalogue/products", timeout=5).json()
    assert len(products) > 0
    assert all(p["image"] == f"/images/{p['sku']}.svg" for p in products)


def test_env_files_are_root_only(provisioned_hosts: ProvisionedHosts) -> None:
    for host, unit in _services_on(provisioned_hosts).items():
        service = next(s for s, u in UNIT_NAMES.items() if u == unit)
        stat = provisioned_hosts.exec(host, "stat", "-c", "%a %U", f"/etc/cloudkart/{service}.env").stdout.split()
        assert stat == ["600", "root"], f"{host}: /etc/cloudkart/{service}.env is {stat}"


def test_database_host_is_not_reachable_from_the_build_machine(provisioned_hosts: ProvisionedHosts) -> None:
    """The firewall drops what layout.yml does not list (10.231.0.1 is not the user host)."""
    if "user-db" not in provisioned_hosts.names:
        pytest.skip("user-db is not in this subset")
    address = provisioned_hosts.hosts.addresses()["user-db"]
    with pytest.raises(OSError), socket.create_connection((address, 6379), timeout=2):
        pass


def test_mongodb_stand_in_is_an_explicit_logged_choice(provisioned_hosts: ProvisionedHosts) -> None:
    db = next(n for n in provisioned_hosts.names if n in ("user-db", "catalogue-db"))
    log = (provisioned_hosts.hosts_log_dir() / f"{db}.log").read_text()
    assert "CLOUDKART_MONGO=standin: running the briskdb MongoDB STAND-IN" in log


def test_running_the_role_scripts_again_changes_nothing(provisioned_hosts: ProvisionedHosts) -> None:
    provisioned_hosts.provision()
    for name in provisioned_hosts.names:
        last_run = (provisioned_hosts.hosts_log_dir() / f"{name}.log").read_text().rsplit("\n=== ", 1)[-1]
        changes = [line for line in last_run.splitlines() if CHANGE_LINE.search(line)]
        assert changes == [], f"{name}: the second run changed things: {changes}"
    response = requests.get(f"{provisioned_hosts.url}/api/catalogue/health", timeout=5)
    assert response.status_code == 200
