"""`LocalHosts`: a layout's hosts booted on this machine, with the inventory grading reads.

hosts = LocalHosts("cloudkart-12")
inventory = hosts.up(only=["frontend", "catalogue"])   # boots, returns the inventory
hosts.exec("frontend", ["systemctl", "is-active", "nginx"])
hosts.down()                                           # leaves nothing behind
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from services.deploy import layout as layouts
from services.deploy.inventory import Inventory, InventoryHost
from services.hosts import base, network
from services.hosts.lock import exclusive_use
from services.hosts.machine import CGROUP_HIERARCHIES, ROOT, HostsError, preflight
from services.hosts.nspawn import CGROUP_PARENT, HOSTS_DIR, Nspawn, remove_cgroup_parents
from services.hosts.progress import bar

__all__ = ["HostsError", "LocalHosts"]

SSH_CONFIG = ROOT / "ssh_config"
LOGS = ROOT / "logs"


@dataclass
class LocalHosts:
    layout_name: str = "cloudkart-12"
    quiet: bool = False
    timings: dict[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.layout = layouts.load(self.layout_name)

    def addresses(self) -> dict[str, str]:
        """Every layout host's address on the bridge (stable: by its position in the layout)."""
        return {h.name: network.host_address(i) for i, h in enumerate(self.layout.hosts)}

    def names(self, only: list[str] | None = None) -> list[str]:
        known = [h.name for h in self.layout.hosts]
        unknown = sorted(set(only or ()) - set(known))
        if unknown:
            have = ", ".join(known)
            raise HostsError(f"layout {self.layout_name} has no host(s) {', '.join(unknown)} (have: {have})")
        return [n for n in known if not only or n in only]

    def up(self, only: list[str] | None = None) -> Inventory:
        """Boot the hosts (all of the layout, or `only` these) and write the inventory; safe to repeat."""
        preflight()
        with exclusive_use():
            return self._up(self.names(only))

    def _up(self, names: list[str]) -> Inventory:
        addresses = self.addresses()
        network.bridge_up()
        network.cache_up(LOGS / "apt-cacher-ng.log")
        started = time.monotonic()
        if not base.READY.exists() and not self.quiet:
            print(f"building the Debian 12 base tree in {base.BASE} (once, about a minute)")
        if base.ensure_base(network.PROXY_URL, LOGS / "base.log"):
            self.timings["base_build"] = time.monotonic() - started
        self._write_ssh_config()
        started = time.monotonic()
        with bar("booting", len(names), self.quiet) as advance:
            for name in names:
                Nspawn(name).boot(addresses[name])
                advance(name)
        self.timings["boot"] = time.monotonic() - started
        inventory = self.inventory()
        inventory.save(self.inventory_path())
        return inventory

    def running(self) -> list[str]:
        return [h.name for h in self.layout.hosts if Nspawn(h.name).leader() is not None]

    def inventory(self, names: list[str] | None = None) -> Inventory:
        """The running hosts (or `names`) in the shared inventory format, reached over ssh on the bridge."""
        addresses = self.addresses()
        chosen = names if names is not None else self.running()
        hosts = tuple(
            InventoryHost(
                name=h.name,
                roles=h.roles,
                address=addresses[h.name],
                connection=f"ssh://root@{addresses[h.name]}",
                public_address=addresses[h.name] if any(self.layout.roles[r].public for r in h.roles) else None,
            )
            for h in self.layout.hosts
            if h.name in chosen
        )
        return Inventory(layout=self.layout_name, source="local-hosts", hosts=hosts, ssh_config=str(SSH_CONFIG))

    def inventory_path(self) -> Path:
        return ROOT / f"{self.layout_name}.inventory.json"

    def status(self) -> list[dict[str, str]]:
        addresses = self.addresses()
        return [
            {"host": h.name, "roles": ", ".join(h.roles), "address": addresses[h.name], "state": Nspawn(h.name).state()}
            for h in self.layout.hosts
        ]

    def exec(self, host: str, cmd: list[str], *, timeout: float | None = None, check: bool = True):
        self.names([host])
        return Nspawn(host).exec(cmd, timeout=timeout, check=check)

    def down(self, keep_files: bool = False) -> None:
        """Stop every host ever booted here, then the apt cache and the bridge: nothing is left running."""
        preflight()
        with exclusive_use():
            self._down(keep_files)

    def _down(self, keep_files: bool) -> None:
        names = sorted(p.name for p in HOSTS_DIR.iterdir()) if HOSTS_DIR.exists() else []
        started = time.monotonic()
        with bar("stopping", len(names), self.quiet) as advance, ThreadPoolExecutor(max_workers=12) as pool:
            for name in pool.map(lambda n: (Nspawn(n).stop(remove=not keep_files), n)[1], names):
                advance(name)
        remove_cgroup_parents()
        if HOSTS_DIR.exists() and not any(HOSTS_DIR.iterdir()):
            HOSTS_DIR.rmdir()
        # A stale inventory would send grading to hosts that no longer exist.
        for path in ROOT.glob("*.inventory.json"):
            path.unlink()
        network.cache_down()
        network.bridge_down()
        self.timings["down"] = time.monotonic() - started

    def leftovers(self) -> list[str]:
        """What is still there of the local hosts (empty after `down`): links, mounts, processes, cgroups."""
        found = []
        links = Path("/sys/class/net")
        found += [f"link {p.name}" for p in links.iterdir() if p.name == network.BRIDGE or p.name.startswith("vb-")]
        mounts = Path("/proc/mounts").read_text().splitlines()
        found += [f"mount {line.split()[1]}" for line in mounts if line.split()[1].startswith(str(ROOT) + "/")]
        for hierarchy in CGROUP_HIERARCHIES:
            parent = hierarchy / CGROUP_PARENT
            if parent.exists():
                procs = [pid for p in parent.rglob("cgroup.procs") for pid in p.read_text().split()]
                found.append(f"cgroup {parent}" + (f" with processes {', '.join(procs)}" if procs else ""))
        if cache_pid := network.cache_running():
            found.append(f"apt-cacher-ng (PID {cache_pid})")
        return found

    def _write_ssh_config(self) -> None:
        # Host keys come from the shared base tree and change on every rebuild: no known_hosts.
        SSH_CONFIG.write_text(
            f"Host {network.SUBNET.with_prefixlen.rsplit('.', 1)[0]}.*\n"
            "  User root\n"
            f"  IdentityFile {base.KEY}\n"
            "  IdentitiesOnly yes\n"
            "  StrictHostKeyChecking no\n"
            "  UserKnownHostsFile /dev/null\n"
            "  LogLevel ERROR\n"
            "  ControlMaster auto\n"
            "  ControlPath /tmp/cloudkart-ssh-%C\n"
            "  ControlPersist 60s\n"
        )
