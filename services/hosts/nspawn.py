"""Boot, enter and stop one host: an overlay on the base tree, booted by systemd-nspawn.

The build machine's PID 1 is not systemd and its cgroups are hybrid, so each nspawn is started
from its own cgroup in BOTH the name=systemd (v1) and the unified (v2) hierarchy. Started from
the root cgroup, two hosts would share one `/payload` tree and see each other's units.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from services.hosts.base import BASE
from services.hosts.machine import CGROUP_HIERARCHIES, ROOT, HostsError, alive, run, stop_pid
from services.hosts.network import BRIDGE, SUBNET

HOSTS_DIR = ROOT / "hosts"
CGROUP_PARENT = "cloudkart-hosts"
PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
BOOT_TIMEOUT = 90


@dataclass(frozen=True)
class Nspawn:
    """One local host by name; all of its state is on disk, so any process can manage it."""

    name: str

    @property
    def dir(self) -> Path:
        return HOSTS_DIR / self.name

    @property
    def root(self) -> Path:
        return self.dir / "root"

    def cgroups(self) -> list[Path]:
        return [h / CGROUP_PARENT / self.name for h in CGROUP_HIERARCHIES]

    def leader(self) -> int | None:
        """PID (on the build machine) of the host's systemd, or None when it is not running."""
        procs = CGROUP_HIERARCHIES[1] / CGROUP_PARENT / self.name / "payload/init.scope/cgroup.procs"
        try:
            # cgroupfs files report size 0, so read them instead of testing their size.
            first = procs.read_text().split()
        except OSError:
            return None
        return int(first[0]) if first else None

    def supervisor(self) -> int | None:
        try:
            pid = int((self.dir / "nspawn.pid").read_text())
        except (OSError, ValueError):
            return None
        return pid if alive(pid) else None

    def boot(self, address: str) -> str:
        """Mount the overlay, start systemd in it and wait until it is up; returns systemd's state."""
        if self.supervisor():
            return self.state()
        for sub in ("upper", "work", "root"):
            (self.dir / sub).mkdir(parents=True, exist_ok=True)
        if not os.path.ismount(self.root):
            lower, upper, work = BASE, self.dir / "upper", self.dir / "work"
            run(["mount", "-t", "overlay", "overlay", "-o", f"lowerdir={lower},upperdir={upper},workdir={work}",
                 str(self.root)])  # fmt: skip
        network = self.root / "etc/systemd/network"
        network.mkdir(parents=True, exist_ok=True)
        # Sorts before the stock 80-container-host0.network, which would wait for DHCP.
        (network / "10-host0.network").write_text(
            f"[Match]\nName=host0\n\n[Network]\nAddress={address}/{SUBNET.prefixlen}\n"
        )
        for cgroup in self.cgroups():
            cgroup.mkdir(parents=True, exist_ok=True)
        with (self.dir / "console.log").open("a") as console:
            proc = subprocess.Popen(
                ["systemd-nspawn", "-D", str(self.root), "-M", self.name, "--register=no", "--keep-unit",
                 "--console=passive", f"--network-bridge={BRIDGE}", "--resolv-conf=off", "-b"],
                stdout=console, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                start_new_session=True, preexec_fn=self._enter_own_cgroups,
            )  # fmt: skip
        (self.dir / "nspawn.pid").write_text(str(proc.pid))
        deadline = time.monotonic() + 10
        while self.leader() is None:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise HostsError(f"{self.name} did not start; see {self.dir / 'console.log'}")
            time.sleep(0.05)
        return self.wait_booted()

    def _enter_own_cgroups(self) -> None:
        # Runs in the child between fork and exec: nspawn then splits this cgroup into
        # supervisor/ and payload/ for this host alone.
        for cgroup in self.cgroups():
            (cgroup / "cgroup.procs").write_text(str(os.getpid()))

    def wait_booted(self) -> str:
        # Right after the leader appears its systemd may not answer on D-Bus yet: ask again.
        deadline = time.monotonic() + BOOT_TIMEOUT
        while True:
            remaining = max(deadline - time.monotonic(), 1)
            result = self.exec(["systemctl", "is-system-running", "--wait"], timeout=remaining, check=False)
            state = result.stdout.strip() or "unknown"
            if state in ("running", "degraded"):
                return state
            if time.monotonic() > deadline:
                raise HostsError(f"{self.name} did not finish booting (state {state}); see {self.dir / 'console.log'}")
            time.sleep(0.2)

    def state(self) -> str:
        if self.leader() is None:
            return "stopped"
        return self.exec(["systemctl", "is-system-running"], timeout=10, check=False).stdout.strip() or "unknown"

    def command(self, cmd: list[str]) -> list[str]:
        """The build-machine command that runs `cmd` as root inside this host (all its namespaces)."""
        pid = self.leader()
        if pid is None:
            raise HostsError(f"host {self.name} is not running")
        return ["nsenter", "-t", str(pid), "-m", "-u", "-i", "-n", "-p", "-C", "--",
                "env", "-i", f"PATH={PATH}", "HOME=/root", "TERM=dumb", "LANG=C.UTF-8", *cmd]  # fmt: skip

    def exec(self, cmd: list[str], *, timeout: float | None = None, check: bool = True,
             input: str | None = None) -> subprocess.CompletedProcess:  # fmt: skip
        # No terminal for commands in a host: a background job reading one would be stopped (SIGTTIN).
        stdin = None if input is not None else subprocess.DEVNULL
        result = subprocess.run(
            self.command(cmd), capture_output=True, text=True, timeout=timeout, input=input, stdin=stdin
        )
        if check and result.returncode != 0:
            raise HostsError(f"{self.name}: {' '.join(cmd)} failed ({result.returncode}):\n{result.stderr[-2000:]}")
        return result

    def stop(self, remove: bool) -> None:
        """Power the host off and leave nothing behind: no process, cgroup dir or mount (nor files, with remove)."""
        supervisor = self.supervisor()
        leader = self.leader()
        netns = _netns(leader) if leader else None
        if supervisor:
            if leader:
                self.exec(["systemctl", "poweroff"], timeout=10, check=False)
            # A clean poweroff takes 2-6 s; SIGTERM to nspawn also halts the host cleanly.
            deadline = time.monotonic() + 20
            while alive(supervisor) and time.monotonic() < deadline:
                time.sleep(0.05)
            stop_pid(supervisor, grace_seconds=10)
        self._kill_leftovers()
        if netns:
            _kill_entered(netns)
        for cgroup in self.cgroups():
            # nspawn leaves its emptied cgroup dirs behind; remove the deepest first.
            for path in sorted((p for p in cgroup.rglob("*") if p.is_dir()), key=lambda p: -len(p.parts)):
                path.rmdir()
            if cgroup.exists():
                cgroup.rmdir()
        if os.path.ismount(self.root):
            run(["umount", str(self.root)])
        (self.dir / "nspawn.pid").unlink(missing_ok=True)
        if remove and self.dir.exists():
            run(["rm", "-rf", "--one-file-system", str(self.dir)])

    def _kill_leftovers(self) -> None:
        # Only when nspawn had to be killed can processes of this host outlive it; they are all ours.
        for cgroup in self.cgroups():
            for procs in cgroup.rglob("cgroup.procs"):
                for pid in procs.read_text().split():
                    with contextlib.suppress(ProcessLookupError):
                        os.kill(int(pid), signal.SIGKILL)
        deadline = time.monotonic() + 5
        while any(p.read_text().strip() for c in self.cgroups() for p in c.rglob("cgroup.procs")):
            if time.monotonic() > deadline:
                raise HostsError(f"processes of host {self.name} survived SIGKILL")
            time.sleep(0.05)


def _netns(pid: int) -> str | None:
    try:
        return os.readlink(f"/proc/{pid}/ns/net")
    except OSError:
        return None


def _kill_entered(netns: str) -> None:
    """Kill the `nsenter` processes we started into a host (an interrupted provision leaves them).

    They live outside the host's cgroups, and while one is alive the host's network namespace,
    and with it its vb-* link on the bridge, outlive the host.
    """
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit() and _netns(int(proc.name)) == netns:
            with contextlib.suppress(ProcessLookupError):
                os.kill(int(proc.name), signal.SIGKILL)


def remove_cgroup_parents() -> None:
    for hierarchy in CGROUP_HIERARCHIES:
        parent = hierarchy / CGROUP_PARENT
        if parent.exists() and not any(p.is_dir() for p in parent.iterdir()):
            parent.rmdir()
