"""Facts read from a host by running commands on it (or on its peers), shared by the check files."""

from __future__ import annotations

import json
import shlex
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING

import pytest

from checks.components import RUNTIME_PYTHON

if TYPE_CHECKING:
    import testinfra.host

    from checks.targets import HostPlan, UnitTarget

UNREACHABLE_PREFIX = "unreachable:"  # a skip with this reason scores like an unreachable host
PROBE_SECONDS = 1  # a LAN or VPC answers in milliseconds; a dropped SYN waits the whole timeout
STANDIN_MARK = "mongo-standin"
STANDIN_NOTE = (
    "MongoDB on this host is a stand-in: mongod.service runs `cloudkart mongo-standin` (briskdb's Mongo "
    "wire listener) because no MongoDB package can be installed on the local test hosts; on RHEL or AWS "
    "the lab installs real MongoDB from MongoDB's repository."
)

# Runs on the checked host with the Python it already has; prints {"status": ..., "body": ...}.
# The body is capped (a product list is a few kB) so a wrong URL cannot flood the check's output.
_HTTP_GET = """
import json, sys, urllib.request, urllib.error
try:
    with urllib.request.urlopen(sys.argv[1], timeout=5) as r:
        print(json.dumps({"status": r.status, "body": r.read(1 << 20).decode(errors="replace")}))
except urllib.error.HTTPError as e:
    print(json.dumps({"status": e.code, "body": e.read(500).decode(errors="replace")}))
except Exception as e:
    print(json.dumps({"status": 0, "body": f"{type(e).__name__}: {e}"}))
"""


def connection_error(exc: Exception) -> str:
    """What went wrong reaching a host, in ssh's words when ssh said it (testinfra wraps its result)."""
    result = exc.args[0] if exc.args else None
    said = getattr(result, "stderr", "") or ""
    return said.strip()[:300] if said.strip() else f"{type(exc).__name__}: {exc}"[:300]


def installed_unit(host: testinfra.host.Host, target: UnitTarget) -> str:
    """The first of the component's accepted unit names that exists here (Debian and RHEL differ)."""
    for name in target.units:
        if host.service(name).exists:
            return name
    return target.unit


def is_mongo_standin(host: testinfra.host.Host) -> bool:
    return STANDIN_MARK in host.run("systemctl cat mongod.service").stdout


def host_python(host: testinfra.host.Host) -> str:
    return RUNTIME_PYTHON if host.file(RUNTIME_PYTHON).exists else "python3"


def http_get(host: testinfra.host.Host, url: str) -> tuple[int, str]:
    """GET `url` from the host itself (the service may listen only on the host's private address)."""
    result = host.run(f"{host_python(host)} -c {shlex.quote(_HTTP_GET)} {shlex.quote(url)}")
    try:
        answer = json.loads(result.stdout)
    except ValueError:
        return 0, (result.stderr or result.stdout).strip()[:500]
    return answer["status"], answer["body"]


def tcp_probe_command(targets: list[tuple[str, int]]) -> str:
    """One shell command that tries every address:port at once and prints `addr:port=open|closed`."""
    tries = [
        f"(timeout {PROBE_SECONDS} bash -c '</dev/tcp/{address}/{port}' 2>/dev/null"
        f" && echo {address}:{port}=open || echo {address}:{port}=closed) &"
        for address, port in targets
    ]
    return " ".join([*tries, "wait"])


class Reachability:
    """Which of this host's ports each other host can open, probed once from every client in parallel."""

    def __init__(self, plan: HostPlan, peer: Callable[[str], testinfra.host.Host]) -> None:
        self.plan = plan
        self.peer = peer
        self._open: dict[str, set[str]] | None = None
        self._errors: dict[str, str] = {}

    def _probe_from(self, client: str) -> tuple[str, set[str]]:
        targets = sorted({(p.listen.address, p.listen.port) for p in self.plan.probes() if p.client == client})
        try:
            result = self.peer(client).run(tcp_probe_command(targets))
        except Exception as exc:  # an unreachable client must not hide the other probes
            self._errors[client] = connection_error(exc)
            return client, set()
        return client, {line.split("=")[0] for line in result.stdout.split() if line.endswith("=open")}

    def _all(self) -> dict[str, set[str]]:
        if self._open is None:
            clients = sorted({p.client for p in self.plan.probes()})
            with ThreadPoolExecutor(max_workers=max(1, len(clients))) as pool:
                self._open = dict(pool.map(self._probe_from, clients))
        return self._open

    def can_connect(self, client: str, address: str, port: int) -> bool:
        opened = self._all()
        if client in self._errors:
            pytest.skip(f"{UNREACHABLE_PREFIX} could not run the probe on {client}: {self._errors[client]}")
        return f"{address}:{port}" in opened[client]
