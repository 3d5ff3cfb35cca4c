"""The Vagrantfile reads layout.yml: `vagrant validate` (no VM is booted) and its machine list vs layout.py.

Needs Debian's vagrant package (it brings ruby); ./cloudkart installs it with the test packages.
"""

from __future__ import annotations

import json
import os
import subprocess

from services.deploy import inventory as inventory_file
from services.deploy import layout as layouts
from services.infra.driver import REPO

LAYOUT = layouts.load("cloudkart-12")


def _run(argv: list[str], home, **env: str) -> subprocess.CompletedProcess:
    # A private VAGRANT_HOME: validation must not depend on (or touch) the user's boxes and plugins.
    environ = {k: v for k, v in os.environ.items() if not k.startswith("CLOUDKART_")}
    environ.update(env, VAGRANT_HOME=str(home), VAGRANT_CHECKPOINT_DISABLE="1")
    return subprocess.run(argv, cwd=REPO, env=environ, capture_output=True, text=True, timeout=120)


def _validate(home, **env: str) -> subprocess.CompletedProcess:
    return _run(["vagrant", "validate", "--ignore-provider"], home, **env)


def _machines(home, **env: str) -> dict:
    done = _run(["ruby", "vagrant/machines.rb"], home, **env)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_all_twelve_validate(tmp_path):
    done = _validate(tmp_path)
    assert done.returncode == 0, done.stderr + done.stdout
    assert "validated successfully" in done.stdout


def test_subset_validates(tmp_path):
    done = _validate(tmp_path, CLOUDKART_HOSTS="frontend,cart")
    assert done.returncode == 0, done.stderr + done.stdout
    assert "==> cart:" in done.stdout and "==> frontend:" in done.stdout
    assert "==> payment:" not in done.stdout


def test_unknown_host_in_subset_is_named(tmp_path):
    done = _validate(tmp_path, CLOUDKART_HOSTS="frontend,nope")
    assert done.returncode != 0
    assert "unknown host(s) nope" in done.stderr


def test_bad_mode_is_refused(tmp_path):
    done = _validate(tmp_path, CLOUDKART_MODE="demo")
    assert done.returncode != 0
    assert "CLOUDKART_MODE must be lab or solution" in done.stderr


def test_solution_mode_needs_the_rendered_bundles(tmp_path):
    done = _validate(tmp_path, CLOUDKART_MODE="solution", CLOUDKART_BUNDLES=str(tmp_path / "none"))
    assert done.returncode != 0
    assert "cloudkart render --layout cloudkart-12" in done.stderr


def test_solution_mode_validates_with_rendered_bundles(tmp_path):
    render = subprocess.run(
        [str(REPO / ".venv/bin/cloudkart"), "render", "--layout", "cloudkart-12", "--out", str(tmp_path / "render"),
         "--host", "frontend", "--host", "cart", "--admin-cidr", "10.0.2.2/32", "--secrets-dir", str(tmp_path)],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert render.returncode == 0, render.stderr
    done = _validate(
        tmp_path, CLOUDKART_MODE="solution", CLOUDKART_BUNDLES=str(tmp_path / "render"), CLOUDKART_HOSTS="frontend,cart"
    )
    assert done.returncode == 0, done.stderr + done.stdout


def test_machines_are_the_layouts_hosts_in_build_order(tmp_path):
    machines = _machines(tmp_path)["machines"]
    expected = [
        {
            "name": h.name,
            "address": h.address,
            "roles": list(h.roles),
            "size": h.size.name,
            "memory_mb": h.size.vm_memory_mb,
            "cpus": h.size.cpus,
            "public": any(LAYOUT.roles[r].public for r in h.roles),
        }
        for h in LAYOUT.hosts_in_build_order()
    ]
    assert machines == expected


def test_subset_totals_are_the_sum_of_its_sizes(tmp_path):
    listed = _machines(tmp_path, CLOUDKART_HOSTS="frontend, cart ")
    assert [m["name"] for m in listed["machines"]] == ["cart", "frontend"]
    sizes = [LAYOUT.host("frontend").size, LAYOUT.host("cart").size]
    assert listed["total_memory_mb"] == sum(s.vm_memory_mb for s in sizes)
    assert listed["total_cpus"] == sum(s.cpus for s in sizes)


def test_inventory_is_the_grading_format_reached_through_vagrants_ssh_config(tmp_path):
    done = _run(["ruby", "vagrant/machines.rb", "--inventory"], tmp_path, CLOUDKART_HOSTS="cart,frontend")
    assert done.returncode == 0, done.stderr
    inventory = inventory_file.from_dict(json.loads(done.stdout))
    assert inventory.source == "vagrant"
    assert inventory.addresses() == {"cart": LAYOUT.host("cart").address, "frontend": LAYOUT.host("frontend").address}
    assert inventory.host("cart").connection == "ssh://vagrant@cart"
    assert inventory.host("cart").public_address is None
    assert inventory.ssh_config == str(REPO / "var" / "vagrant" / "ssh_config")
