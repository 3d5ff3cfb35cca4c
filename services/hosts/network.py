"""The hosts' private bridge and the apt cache listening on it.

No NAT and no forwarding: the hosts reach only the bridge address, where apt-cacher-ng fetches
Debian packages for them (a second run installs from the cache).
"""

from __future__ import annotations

import ipaddress
import shutil
import socket
import subprocess
import time
from pathlib import Path

from services.hosts.machine import ROOT, HostsError, alive, apt_mirror, run, stop_pid

BRIDGE = "ckbr0"
SUBNET = ipaddress.ip_network("10.231.0.0/24")
GATEWAY = str(SUBNET.network_address + 1)
FIRST_HOST = 11
CACHE_PORT = 3142
PROXY_URL = f"http://{GATEWAY}:{CACHE_PORT}"
CACHE_PID = ROOT / "run/apt-cacher-ng.pid"
CACHE_DIR = ROOT / "apt-cache"


def host_address(index: int) -> str:
    """The i-th host of a layout (0-based) gets .11, .12, ... on the bridge."""
    address = SUBNET.network_address + FIRST_HOST + index
    if address not in SUBNET or address == SUBNET.broadcast_address:
        raise HostsError(f"{SUBNET} has no room for host number {index + 1}")
    return str(address)


def bridge_up() -> None:
    if not Path(f"/sys/class/net/{BRIDGE}").exists():
        run(["ip", "link", "add", BRIDGE, "type", "bridge"])
        run(["ip", "addr", "add", f"{GATEWAY}/{SUBNET.prefixlen}", "dev", BRIDGE])
    run(["ip", "link", "set", BRIDGE, "up"])


def bridge_down() -> None:
    if Path(f"/sys/class/net/{BRIDGE}").exists():
        run(["ip", "link", "del", BRIDGE])


def cache_running() -> int | None:
    """PID of the apt cache we started, if it is still alive."""
    try:
        pid = int(CACHE_PID.read_text())
    except (OSError, ValueError):
        return None
    return pid if alive(pid) else None


def cache_up(log: Path) -> None:
    """Start our own apt-cacher-ng on the bridge (Debian's package never starts it here: policy-rc.d)."""
    if cache_running():
        return
    for sub in ("data", "log", "run"):
        (CACHE_DIR / sub).mkdir(parents=True, exist_ok=True)
    # A private copy of the config: the packaged backends_debian is empty on these machines (every
    # request would be a 503), and the build machine's own /etc stays untouched.
    conf = CACHE_DIR / "conf"
    if not conf.exists():
        shutil.copytree("/etc/apt-cacher-ng", conf)
    (conf / "backends_debian").write_text(apt_mirror() + "/\n")
    run(["chown", "-R", "apt-cacher-ng:apt-cacher-ng", str(CACHE_DIR)])
    CACHE_PID.parent.mkdir(parents=True, exist_ok=True)
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("a") as out:
        proc = subprocess.Popen(
            [
                "runuser", "-u", "apt-cacher-ng", "--", "/usr/sbin/apt-cacher-ng", "-c", str(conf),
                "foreground=1", f"BindAddress={GATEWAY}", f"Port={CACHE_PORT}",
                f"CacheDir={CACHE_DIR / 'data'}", f"LogDir={CACHE_DIR / 'log'}",
                f"SocketPath={CACHE_DIR / 'run/socket'}", f"PidFile={CACHE_DIR / 'run/pid'}",
            ],
            stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True,
        )  # fmt: skip
    CACHE_PID.write_text(str(proc.pid))
    _wait_for_port(GATEWAY, CACHE_PORT, proc)


def _wait_for_port(host: str, port: int, proc: subprocess.Popen) -> None:
    for _ in range(100):
        if proc.poll() is not None:
            raise HostsError(f"apt-cacher-ng exited ({proc.returncode}); see {ROOT}/logs/apt-cacher-ng.log")
        try:
            socket.create_connection((host, port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.1)
    raise HostsError(f"apt-cacher-ng did not listen on {host}:{port} within 10 s")


def cache_down() -> None:
    pid = cache_running()
    if pid:
        # runuser forwards SIGTERM to apt-cacher-ng, which exits within ~2 s.
        stop_pid(pid, grace_seconds=5)
    CACHE_PID.unlink(missing_ok=True)
