"""The parts of local hosts that need no root: host selection, role waves, refusal messages."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from services.cli.app import _load_commands, cli
from services.deploy import layout as layouts
from services.hosts import HostsError, LocalHosts, machine
from services.hosts.network import host_address
from services.hosts.provision import role_waves

CLOUDKART = str(Path(sys.executable).with_name("cloudkart"))
_load_commands()


def test_each_host_gets_a_fixed_address_on_the_bridge() -> None:
    addresses = LocalHosts("cloudkart-12").addresses()
    assert addresses["frontend"] == "10.231.0.11"
    assert addresses["order-processor"] == "10.231.0.22"
    assert len(set(addresses.values())) == 12


def test_address_range_is_bounded() -> None:
    with pytest.raises(HostsError, match="no room"):
        host_address(250)


def test_unknown_host_is_refused_with_the_known_names() -> None:
    with pytest.raises(HostsError, match=r"no host\(s\) nope .*have: frontend"):
        LocalHosts("cloudkart-12").names(["frontend", "nope"])


def test_unknown_layout_is_a_usage_error() -> None:
    result = subprocess.run([CLOUDKART, "hosts", "status", "--layout", "nope"], capture_output=True, text=True)
    assert result.returncode == 2
    assert "no layout 'nope'" in result.stderr


def test_inventory_lists_only_the_chosen_hosts_in_the_shared_format() -> None:
    inventory = LocalHosts("cloudkart-12").inventory(names=["frontend", "cart"])
    assert inventory.source == "local-hosts"
    assert [h.name for h in inventory.hosts] == ["frontend", "cart"]
    frontend, cart = inventory.hosts
    assert frontend.connection == "ssh://root@10.231.0.11"
    assert frontend.public_address == "10.231.0.11"
    assert cart.public_address is None


def test_every_role_comes_after_the_roles_it_connects_to() -> None:
    layout = layouts.load("cloudkart-12")
    waves = role_waves(layout, list(layout.roles))
    wave_of = {role: i for i, wave in enumerate(waves) for role in wave}
    assert sorted(wave_of) == sorted(layout.roles)
    for server, role in layout.roles.items():
        for listen in role.listens:
            for client in listen.sources:
                if client in layout.roles:
                    assert wave_of[client] > wave_of[server], f"{client} must be built after {server}"
    assert waves[0] == ["user-db", "catalogue-db", "cart-redis", "shipping-db", "rabbitmq"]
    assert waves[-1] == ["frontend"]


def test_waves_of_a_subset_keep_only_its_roles() -> None:
    layout = layouts.load("cloudkart-12")
    assert role_waves(layout, ["frontend", "catalogue", "catalogue-db"]) == [
        ["catalogue-db"],
        ["catalogue"],
        ["frontend"],
    ]


def test_up_without_root_says_it_needs_root(monkeypatch: pytest.MonkeyPatch) -> None:
    # The repository is not readable by an unprivileged user on CI machines, so the uid is swapped.
    monkeypatch.setattr(machine.os, "geteuid", lambda: 1000)
    result = CliRunner().invoke(cli, ["hosts", "up", "--only", "frontend"])
    assert result.exit_code == 1
    assert "need root" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_missing_tools_are_named_with_their_package(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(machine, "_which", lambda tool: None if tool == "systemd-nspawn" else "/bin/true")
    if os.geteuid() != 0:
        pytest.skip("the root check comes first")
    with pytest.raises(HostsError, match="apt-get install -y systemd-container"):
        machine.preflight()
