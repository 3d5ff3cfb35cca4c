"""What the build machine must offer before any host can boot, and the commands we run on it."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

from services.common.failures import ExpectedFailure

# Everything the local hosts leave on disk lives here (base tree, overlays, keys, logs).
ROOT = Path(os.environ.get("CLOUDKART_HOSTS_DIR", "/srv/cloudkart-hosts"))
CGROUP_HIERARCHIES = (Path("/sys/fs/cgroup/systemd"), Path("/sys/fs/cgroup/unified"))
TOOLS = {
    "systemd-nspawn": "systemd-container",
    "debootstrap": "debootstrap",
    "nsenter": "util-linux",
    "ip": "iproute2",
    "apt-cacher-ng": "apt-cacher-ng",
    "ssh-keygen": "openssh-client",
}


class HostsError(ExpectedFailure, RuntimeError):
    """The machine cannot run local hosts, or a host step failed; the message says what to do."""


def preflight() -> None:
    """Fail early, with the fix, when this machine cannot boot nspawn hosts."""
    if os.geteuid() != 0:
        raise HostsError("local hosts need root (systemd-nspawn, bridges and mounts): run as root or with sudo")
    missing = sorted({pkg for tool, pkg in TOOLS.items() if not _which(tool)})
    if missing:
        raise HostsError(f"missing tools; install them with: apt-get install -y {' '.join(missing)}")
    absent = [str(h) for h in CGROUP_HIERARCHIES if not (h / "cgroup.procs").exists()]
    if absent:
        raise HostsError(
            f"cgroup hierarchies {', '.join(absent)} are not mounted; the hosts' systemd needs the "
            "name=systemd (v1) and unified (v2) hierarchies (see docs: local hosts)"
        )


def _which(tool: str) -> str | None:
    return shutil.which(tool, path=os.environ.get("PATH", "") + ":/usr/sbin:/sbin")


def run(cmd: list[str], *, log: Path | None = None, check: bool = True, **kwargs) -> subprocess.CompletedProcess:
    """Run a build-machine command; its output goes to `log` (appended) so failures can be read later."""
    if log is None:
        result = subprocess.run(cmd, capture_output=True, text=True, **kwargs)
        output = result.stdout + result.stderr
    else:
        log.parent.mkdir(parents=True, exist_ok=True)
        with log.open("a") as out:
            result = subprocess.run(cmd, stdout=out, stderr=subprocess.STDOUT, text=True, **kwargs)
        output = log.read_text()[-2000:]
    if check and result.returncode != 0:
        raise HostsError(f"{' '.join(cmd)} failed ({result.returncode}):\n{output[-2000:]}")
    return result


def apt_mirror() -> str:
    """The Debian mirror the build machine already uses, so hosts get the same package versions."""
    sources = Path("/etc/apt/sources.list.d/debian.sources")
    if sources.exists():
        for line in sources.read_text().splitlines():
            if line.startswith("URIs:"):
                return line.split()[1].rstrip("/")
    return "http://deb.debian.org/debian"


def alive(pid: int) -> bool:
    """True while `pid` runs; reaps it first when it is our own exited child (else it stays a zombie)."""
    try:
        done, _ = os.waitpid(pid, os.WNOHANG)
        if done:
            return False
    except ChildProcessError:
        pass
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def stop_pid(pid: int, grace_seconds: float) -> None:
    """SIGTERM one process we started, SIGKILL it if it outlives the grace period."""
    if not alive(pid):
        return
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + grace_seconds
    while alive(pid):
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            break
        time.sleep(0.05)
