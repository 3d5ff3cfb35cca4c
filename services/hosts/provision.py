"""Provision local hosts the way a student builds real servers: rendered configs, then role scripts.

For each host: the repository (as /opt/cloudkart/src), its rendered bundle (/opt/cloudkart/bundle)
and a wheelhouse (/opt/cloudkart/wheels: the hosts reach no package index, only the apt cache),
then `labs/roles/<role>.sh` for its roles. Hosts run in waves: a role starts once every role it
connects to (layout.yml's `from:` lists) is built, and the hosts of one wave run in parallel.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from services.deploy.layout import Layout
from services.hosts.local import LocalHosts
from services.hosts.lock import exclusive_use
from services.hosts.machine import HostsError, run
from services.hosts.nspawn import Nspawn
from services.hosts.progress import bar

REPO = Path(__file__).resolve().parents[2]
WORK = REPO / "var" / "hosts"
RUNTIME_REQUIREMENTS = Path(__file__).with_name("runtime-requirements.txt")
ON_HOST = Path("/opt/cloudkart")
ROLE_TIMEOUT = 1800
# Roles whose script installs no Python code (only a distribution package).
NO_VENV_ROLES = {"cart-redis", "rabbitmq"}
# Not part of what runs on a host: history, the build machine's venv, local state, built docs, caches.
TOP_LEVEL_IGNORE = {".git", ".venv", "var", "site", "build"}
ANYWHERE_IGNORE = shutil.ignore_patterns("__pycache__", "*.egg-info", ".pytest_cache", ".ruff_cache")


def _source_ignore(folder: str, names: list[str]) -> set[str]:
    ignored = set(ANYWHERE_IGNORE(folder, names))
    if Path(folder) == REPO:
        ignored |= TOP_LEVEL_IGNORE & set(names)
    return ignored


def role_waves(layout: Layout, roles: list[str]) -> list[list[str]]:
    """`roles` grouped so that each role comes after every role it connects to, in build order."""
    connects_to = {
        client: {server for server, role in layout.roles.items() for li in role.listens if client in li.sources}
        for client in layout.roles
    }
    level: dict[str, int] = {}
    for role in layout.build_order:
        level[role] = 1 + max((level[s] for s in connects_to[role] if s in level), default=-1)
    waves: dict[int, list[str]] = {}
    for role in layout.build_order:
        if role in roles:
            waves.setdefault(level[role], []).append(role)
    return [waves[n] for n in sorted(waves)]


def provision_hosts(
    hosts: LocalHosts, only: list[str] | None = None, jobs: int = 4, cities_limit: int | None = None
) -> dict[str, float]:
    """Provision the running hosts (or `only` these); returns the time of each phase in seconds."""
    with exclusive_use():
        return _provision(hosts, hosts.names(only), jobs, cities_limit)


def _provision(hosts: LocalHosts, names: list[str], jobs: int, cities_limit: int | None) -> dict[str, float]:
    layout = hosts.layout
    stopped = [n for n in names if Nspawn(n).leader() is None]
    if stopped:
        raise HostsError(f"not running: {', '.join(stopped)}; run `cloudkart hosts up` first")
    work = WORK / layout.name
    timings: dict[str, float] = {}

    started = time.monotonic()
    bundle = _render(hosts, work)
    timings["render"] = time.monotonic() - started

    started = time.monotonic()
    source = _snapshot_source(work / "src")
    wheels = _wheelhouse(work / "wheels")
    timings["wheelhouse"] = time.monotonic() - started

    started = time.monotonic()
    for name in names:
        _copy_to_host(name, source, bundle / name, wheels)
    timings["copy"] = time.monotonic() - started

    started = time.monotonic()
    _share_venv(layout, names)
    timings["venv"] = time.monotonic() - started

    env = {
        "CLOUDKART_SRC": str(ON_HOST / "src"),
        "CLOUDKART_BUNDLE": str(ON_HOST / "bundle"),
        "CLOUDKART_WHEELS": str(ON_HOST / "wheels"),
        # No MongoDB package can be downloaded for these hosts: say so, explicitly, to the scripts.
        "CLOUDKART_MONGO": "standin",
    }
    if cities_limit:
        env["CLOUDKART_CITIES_LIMIT"] = str(cities_limit)
    host_of = {role: h.name for h in layout.hosts for role in h.roles if h.name in names}
    started = time.monotonic()
    with bar("provisioning", len(host_of), hosts.quiet) as advance, ThreadPoolExecutor(max_workers=jobs) as pool:
        for wave in role_waves(layout, list(host_of)):
            results = pool.map(lambda role: _run_role(host_of[role], role, env, work / "logs"), wave)
            failed = [message for message in results if message]
            for role in wave:
                advance(role)
            if failed:
                raise HostsError("provisioning failed:\n" + "\n".join(failed))
    timings["roles"] = time.monotonic() - started
    return timings


def _render(hosts: LocalHosts, work: Path) -> Path:
    """`cloudkart render` for these hosts' bridge addresses (contract 7), stand-in MongoDB included."""
    work.mkdir(parents=True, exist_ok=True)
    inventory = work / "inventory.json"
    hosts.inventory(names=[h.name for h in hosts.layout.hosts]).save(inventory)
    bundle = work / "bundle"
    if bundle.exists():
        shutil.rmtree(bundle)
    cloudkart = Path(sys.executable).with_name("cloudkart")
    run(
        [str(cloudkart), "render", "--layout", hosts.layout.name, "--inventory", str(inventory),
         "--mongo-standin", "--out", str(bundle)],
        log=work / "logs" / "render.log",
    )  # fmt: skip
    return bundle


def _snapshot_source(dest: Path) -> Path:
    """The working tree as it is now (what `git clone` plus local changes would give a host)."""
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(REPO, dest, ignore=_source_ignore, symlinks=True)
    return dest


def _wheelhouse(wheels: Path) -> Path:
    """Wheels of the runtime dependencies, built once per requirements (the code goes as source)."""
    stamp = hashlib.sha256(RUNTIME_REQUIREMENTS.read_bytes() + (REPO / "requirements.txt").read_bytes()).hexdigest()
    marker = wheels / ".requirements-sha256"
    if marker.exists() and marker.read_text() == stamp:
        return wheels
    if wheels.exists():
        shutil.rmtree(wheels)
    run(
        [sys.executable, "-m", "pip", "-q", "--disable-pip-version-check", "wheel", "-w", str(wheels),
         "-r", str(RUNTIME_REQUIREMENTS), "-c", str(REPO / "requirements.txt")],
        log=wheels.parent / "logs" / "wheelhouse.log",
    )  # fmt: skip
    marker.write_text(stamp)
    return wheels


def _copy_to_host(name: str, source: Path, bundle: Path, wheels: Path) -> None:
    # The overlay root is mounted on the build machine: a plain copy, as scp would do.
    root = Nspawn(name).root / ON_HOST.relative_to("/")
    for src, dest in ((source, root / "src"), (bundle, root / "bundle"), (wheels, root / "wheels")):
        if dest.exists():
            shutil.rmtree(dest)
        shutil.copytree(src, dest, symlinks=True)
    (root / "bundle").chmod(0o700)


def _share_venv(layout: Layout, names: list[str]) -> None:
    """Build /opt/cloudkart/venv once, with the role scripts' own function, and give every host a copy.

    Installing it on each host (pip, bytecode) costs minutes on two cores; the hosts share one base
    tree, so one build fits all. The role scripts then find it current and leave it as it is.
    """
    needing = [n for n in names if set(layout.host(n).roles) - NO_VENV_ROLES]
    if not needing:
        return
    builder = Nspawn(needing[0])
    lib = ON_HOST / "src" / "labs" / "roles" / "lib.sh"
    builder.exec(
        ["env", f"CLOUDKART_SRC={ON_HOST / 'src'}", f"CLOUDKART_WHEELS={ON_HOST / 'wheels'}",
         "bash", "-c", f"set -euo pipefail; source {lib}; ck_detect_os; ck_venv"],
        timeout=ROLE_TIMEOUT,
    )  # fmt: skip
    venv = builder.root / ON_HOST.relative_to("/") / "venv"

    def copy(name: str) -> None:
        dest = Nspawn(name).root / ON_HOST.relative_to("/") / "venv"
        if _venv_stamps(dest) == _venv_stamps(venv):
            return
        if dest.exists():
            shutil.rmtree(dest)
        shutil.copytree(venv, dest, symlinks=True)

    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(copy, needing[1:]))


def _venv_stamps(venv: Path) -> list[str | None]:
    stamps = (venv / ".cloudkart-installed", venv / ".cloudkart-code")
    return [stamp.read_text() if stamp.exists() else None for stamp in stamps]


def _run_role(host: str, role: str, env: dict[str, str], logs: Path) -> str | None:
    """Run one role's script on its host; None when it succeeded, else what failed and where to read."""
    log = logs / f"{host}.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    script = str(ON_HOST / "src" / "labs" / "roles" / f"{role}.sh")
    command = Nspawn(host).command(["env", *(f"{k}={v}" for k, v in env.items()), "bash", script])
    with log.open("a") as out:
        out.write(f"=== {time.strftime('%H:%M:%S')} {role}.sh\n")
        out.flush()
        try:
            result = subprocess.run(
                command, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT, timeout=ROLE_TIMEOUT
            )
        except subprocess.TimeoutExpired:
            return f"{host}: {role}.sh took more than {ROLE_TIMEOUT} s; see {log}"
    if result.returncode != 0:
        tail = log.read_text().splitlines()[-5:]
        return f"{host}: {role}.sh exited {result.returncode}; see {log}\n  " + "\n  ".join(tail)
    return None
