"""The rendered nftables rulesets load, and they let in exactly what layout.yml's `from:` lists.

The behaviour test loads user-db's ruleset into a private network namespace of its own (a veth pair
between two namespaces this test creates and deletes), so no traffic leaves them.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from services.deploy import layout as layouts
from services.deploy.render import RenderOptions, render_layout
from tests.deploy.conftest import fixed_passwords, rendered_files

needs_nft = pytest.mark.skipif(shutil.which("nft") is None, reason="nft not installed (Debian package nftables)")


@needs_nft
def test_every_rendered_ruleset_passes_nft_check(bundles: dict[str, Path]):
    rulesets = rendered_files(bundles, "*/firewall/cloudkart.nft")
    assert len(rulesets) == 13
    for ruleset in rulesets:
        result = subprocess.run(["nft", "-c", "-f", str(ruleset)], capture_output=True, text=True)
        assert result.returncode == 0, f"{ruleset}:\n{result.stderr}"


def test_rules_open_only_the_from_lists_of_the_layout(bundles: dict[str, Path]):
    twelve = bundles["cloudkart-12"]
    user_db = (twelve / "user-db/firewall/cloudkart.nft").read_text()
    assert "policy drop;" in user_db
    # cart, payment, user
    assert 'tcp dport 6379 ip saddr { 172.31.19.139, 172.31.19.73, 172.31.21.124 } accept comment "redis"' in user_db
    assert 'tcp dport 27017 ip saddr { 172.31.21.124 } accept comment "mongodb"' in user_db  # user only
    assert 'tcp dport 22 ip saddr { 10.231.0.0/24 } accept comment "ssh"' in user_db
    rabbit = (twelve / "rabbitmq/firewall/cloudkart.nft").read_text()
    assert 'tcp dport 15672 ip saddr { 10.231.0.0/24 } accept comment "rabbitmq-management"' in rabbit
    frontend = (twelve / "frontend/firewall/cloudkart.nft").read_text()
    assert 'tcp dport 80 accept comment "nginx from anyone"' in frontend
    order_processor = (twelve / "order-processor/firewall/cloudkart.nft").read_text()
    assert "tcp dport" in order_processor and order_processor.count("tcp dport") == 1  # SSH only
    local = (bundles["all-in-one"] / "local/firewall/cloudkart.nft").read_text()
    assert 'tcp dport 8080 accept comment "nginx from anyone"' in local  # the layout's http_port


# Addresses inside the test's own namespaces only.
NET = "10.250"
ADDRESSES = {
    "user-db": f"{NET}.0.2",
    "user": f"{NET}.0.3",
    "cart": f"{NET}.0.4",
    "payment": f"{NET}.0.5",
    "shipping": f"{NET}.0.6",
}
ADMIN = f"{NET}.9.9"

LISTENER = """
import selectors, socket, sys
sel = selectors.DefaultSelector()
for port in map(int, sys.argv[1:]):
    s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("0.0.0.0", port)); s.listen(16); sel.register(s, selectors.EVENT_READ)
print("ready", flush=True)
while True:
    for key, _ in sel.select():
        key.fileobj.accept()[0].close()
"""

PROBE = """
import json, socket, sys
results = {}
for source, port in json.loads(sys.argv[2]):
    s = socket.socket(); s.settimeout(0.25); s.bind((source, 0))
    results[f"{source}:{port}"] = s.connect_ex((sys.argv[1], port)) == 0
    s.close()
print(json.dumps(results))
"""


def _ip(*args: str) -> None:
    subprocess.run(["ip", *args], check=True, capture_output=True)


@pytest.fixture
def namespaces() -> Iterator[tuple[str, str]]:
    tag = os.getpid() % 100000
    server, client = f"ckfw-s{tag}", f"ckfw-c{tag}"
    _ip("netns", "add", server)
    _ip("netns", "add", client)
    try:
        _ip("link", "add", f"ckfs{tag}", "netns", server, "type", "veth", "peer", "name", f"ckfc{tag}", "netns", client)
        _ip("-n", server, "addr", "add", f"{ADDRESSES['user-db']}/16", "dev", f"ckfs{tag}")
        for address in [*(a for r, a in ADDRESSES.items() if r != "user-db"), ADMIN]:
            _ip("-n", client, "addr", "add", f"{address}/16", "dev", f"ckfc{tag}")
        for ns, dev in ((server, f"ckfs{tag}"), (client, f"ckfc{tag}")):
            _ip("-n", ns, "link", "set", dev, "up")
            _ip("-n", ns, "link", "set", "lo", "up")
        yield server, client
    finally:
        _ip("netns", "del", server)
        _ip("netns", "del", client)


@needs_nft
@pytest.mark.skipif(os.geteuid() != 0, reason="network namespaces need root")
def test_user_db_firewall_lets_in_exactly_its_clients(tmp_path: Path, namespaces: tuple[str, str]):
    server, client = namespaces
    twelve = layouts.load("cloudkart-12")
    twelve = twelve.with_addresses({twelve.host_of_role(r).name: a for r, a in ADDRESSES.items()})
    fixed_passwords(tmp_path / "secrets", "cloudkart-12")
    options = RenderOptions(admin_cidr=f"{NET}.9.0/24", secrets_dir=tmp_path / "secrets")
    render_layout(twelve, tmp_path, options, ["user-db"])
    subprocess.run(
        ["ip", "netns", "exec", server, "nft", "-f", str(tmp_path / "user-db/firewall/cloudkart.nft")], check=True
    )

    ports = (22, 6379, 27017, 8081)
    listener = subprocess.Popen(
        ["ip", "netns", "exec", server, sys.executable, "-c", LISTENER, *map(str, ports)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert listener.stdout.readline().strip() == "ready"
        user, cart, payment, shipping = (ADDRESSES[r] for r in ("user", "cart", "payment", "shipping"))
        probes = [(s, p) for s in (user, cart, payment, shipping, ADMIN) for p in ports]
        started = time.monotonic()
        out = subprocess.run(
            ["ip", "netns", "exec", client, sys.executable, "-c", PROBE, ADDRESSES["user-db"], json.dumps(probes)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert time.monotonic() - started < 15
    finally:
        listener.terminate()
        listener.wait(timeout=5)
    reached = {key for key, ok in json.loads(out).items() if ok}
    assert reached == {f"{user}:6379", f"{cart}:6379", f"{payment}:6379", f"{user}:27017", f"{ADMIN}:22"}


def test_every_address_a_service_is_given_is_open_to_it(bundles: dict[str, Path]):
    """Each URL in a service's env file points at a port whose firewall lets that service's host in."""
    from services.deploy import wiring

    twelve = layouts.load("cloudkart-12")
    by_address = {h.address: h for h in twelve.hosts}
    checked = 0
    for env in (bundles["cloudkart-12"]).glob("*/env/*.env"):
        client = twelve.host(env.parent.parent.name)
        for address, port in re.findall(r"://(?:[^@\s]*@)?([\d.]+):(\d+)", env.read_text()):
            target = by_address[address]
            allowed = [o for o in wiring.openings(twelve, target, "10.231.0.0/24") if o.port == int(port)]
            assert allowed and client.address in (allowed[0].sources or ()), (
                f"{env.name} on {client.name} uses {address}:{port}, but {target.name}'s firewall does not let it in"
            )
            checked += 1
    assert checked >= 12
