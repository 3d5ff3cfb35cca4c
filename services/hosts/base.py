"""The Debian 12 base tree every host overlays: built once with debootstrap, then reused."""

from __future__ import annotations

import shutil
from pathlib import Path

from services.hosts.machine import ROOT, apt_mirror, run

BASE = ROOT / "base"
KEY = ROOT / "id_ed25519"
PACKAGES = ",".join(
    (
        *("systemd", "systemd-sysv", "dbus", "iproute2", "openssh-server", "python3", "python3-venv"),
        *("ca-certificates", "nftables", "netbase", "curl"),
    )
)
# Written last: a base without it is a half-finished build and is rebuilt from scratch.
READY = BASE / ".cloudkart-base-ready"


def ensure_base(proxy: str, log: Path) -> bool:
    """Build the base tree unless it is already complete; True when it was built now."""
    if READY.exists():
        return False
    if BASE.exists():
        shutil.rmtree(BASE)
    BASE.parent.mkdir(parents=True, exist_ok=True)
    run(["debootstrap", "--variant=minbase", f"--include={PACKAGES}", "bookworm", str(BASE), apt_mirror()], log=log)
    # debootstrap copies the build machine's name; without the file the name comes from nspawn -M.
    (BASE / "etc/hostname").unlink(missing_ok=True)
    apt_conf = BASE / "etc/apt/apt.conf.d"
    # Hosts have no route to the internet: every package comes through the cache on the bridge.
    (apt_conf / "01proxy").write_text(f'Acquire::http::Proxy "{proxy}";\n')
    # The mirror may be a dated snapshot; the build machine's apt accepts it the same way.
    (apt_conf / "99no-valid-until").write_text('Acquire::Check-Valid-Until "false";\nAcquire::Check-Date "false";\n')
    # Lists fetched once here, so a fresh host can `apt-get install` without an update first.
    run(["chroot", str(BASE), "apt-get", "-o", "Acquire::http::Proxy=false", "update"], log=log)
    run(["chroot", str(BASE), "apt-get", "clean"], log=log)
    _install_root_key(log)
    run(["chroot", str(BASE), "systemctl", "enable", "systemd-networkd"], log=log)
    READY.touch()
    return True


def _install_root_key(log: Path) -> None:
    if not KEY.exists():
        run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "cloudkart-hosts", "-f", str(KEY)], log=log)
    ssh_dir = BASE / "root/.ssh"
    ssh_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    authorized = ssh_dir / "authorized_keys"
    authorized.write_text(KEY.with_suffix(".pub").read_text())
    authorized.chmod(0o600)
