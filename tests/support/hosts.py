"""`provisioned_hosts`: local systemd hosts booted and provisioned once per test session.

Shared by tests/hosts and the checks/grading tests (registered in tests/conftest.py). Which hosts:
`CLOUDKART_TEST_HOSTS` = "all" (default: the 12 of cloudkart-12, boot + provisioning measured at
68-142 s on 2 cores) or a comma list such as "frontend,user-db,user,catalogue-db,catalogue"
(about 65 s; enough for /health of two services through Nginx). The city import is the full one
(234,908 GeoNames cities, about 7 s on the shipping-db host); CLOUDKART_TEST_CITIES=N cuts it to N.
At the end every host is stopped and the teardown fails if anything is left (bridge, mounts,
processes, cgroups, apt cache). Needs root; the tests are marked `hosts`.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from services.deploy.inventory import Inventory
from services.hosts import HostsError, LocalHosts
from services.hosts.lock import exclusive_use
from services.hosts.machine import preflight
from services.hosts.provision import WORK, provision_hosts

LOCK_WAIT_SECONDS = 1200


@dataclass
class ProvisionedHosts:
    hosts: LocalHosts
    inventory: Inventory
    names: list[str]
    timings: dict[str, float]

    @property
    def url(self) -> str:
        """The shop through Nginx on the frontend host."""
        return f"http://{self.hosts.addresses()['frontend']}"

    def exec(self, host: str, *cmd: str, check: bool = True):
        return self.hosts.exec(host, list(cmd), timeout=120, check=check)

    def hosts_log_dir(self) -> Path:
        """Where each host's role script output goes (one file per host, one section per run)."""
        return WORK / self.hosts.layout.name / "logs"

    def provision(self) -> dict[str, float]:
        return provision_hosts(self.hosts, only=self.names, cities_limit=cities_limit())


def chosen_hosts() -> list[str] | None:
    value = os.environ.get("CLOUDKART_TEST_HOSTS", "all")
    return None if value == "all" else [n.strip() for n in value.split(",") if n.strip()]


def cities_limit() -> int | None:
    value = os.environ.get("CLOUDKART_TEST_CITIES")
    return int(value) if value else None


@pytest.fixture(scope="session")
def provisioned_hosts() -> Iterator[ProvisionedHosts]:
    try:
        preflight()
    except HostsError as exc:
        # A laptop may lack root or systemd-nspawn; in CI the skip counts as a failure (ci_skips).
        pytest.skip(f"local hosts cannot run here: {exc}")
    hosts = LocalHosts("cloudkart-12", quiet=True)
    names = hosts.names(chosen_hosts())
    # Another session on this machine may hold the hosts: wait for it rather than break it.
    with exclusive_use(wait_seconds=LOCK_WAIT_SECONDS):
        try:
            inventory = hosts.up(only=names)
            timings = dict(hosts.timings)
            timings.update(provision_hosts(hosts, only=names, cities_limit=cities_limit()))
            yield ProvisionedHosts(hosts, inventory, names, timings)
        finally:
            hosts.down()
            left = hosts.leftovers()
            assert left == [], f"`hosts down` left these behind: {left}"
