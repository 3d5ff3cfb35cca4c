"""Static facts of the role scripts that the labs rely on (the scripts themselves run in test_local_hosts)."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

from services.deploy import layout as layouts

ROLES_DIR = Path(__file__).resolve().parents[2] / "labs" / "roles"
ROLES = list(layouts.load("cloudkart-12").roles)


@pytest.mark.parametrize("role", ROLES)
def test_each_role_has_an_executable_strict_script(role: str) -> None:
    script = ROLES_DIR / f"{role}.sh"
    assert os.access(script, os.X_OK), f"{script} missing or not executable"
    text = script.read_text()
    assert "set -euo pipefail" in text
    assert f"ck_begin {role}\n" in text
    subprocess.run(["bash", "-n", str(script)], check=True)


@pytest.mark.parametrize("script", sorted(ROLES_DIR.glob("*.sh")), ids=lambda p: p.name)
def test_snippet_markers_pair_up(script: Path) -> None:
    """The labs include the steps between markers; an unpaired marker would include the wrong text."""
    markers = re.findall(r"# --8<-- \[(start|end):([\w-]+)\]", script.read_text())
    open_name = None
    for kind, name in markers:
        if kind == "start":
            assert open_name is None, f"{script.name}: {name} starts inside {open_name}"
            open_name = name
        else:
            assert open_name == name, f"{script.name}: end:{name} without its start"
            open_name = None
    assert open_name is None, f"{script.name}: {open_name} never ends"
    assert markers, f"{script.name}: no snippet markers"


def test_lib_refuses_an_unknown_os(tmp_path: Path) -> None:
    fake = tmp_path / "os-release"
    fake.write_text('ID=plan9\nPRETTY_NAME="Plan 9"\n')
    # The same function, with the os-release path swapped: the message names the supported systems.
    lib = (ROLES_DIR / "lib.sh").read_text().replace("/etc/os-release", str(fake))
    result = subprocess.run(["bash", "-c", lib + "\nck_detect_os"], capture_output=True, text=True)
    assert result.returncode == 1
    assert "support Debian 12 and RHEL 9" in result.stderr


@pytest.mark.parametrize(
    ("release", "expected"), [("ID=debian", "debian"), ('ID=rocky\nID_LIKE="rhel centos fedora"', "rhel")]
)
def test_lib_chooses_the_package_manager_from_os_release(tmp_path: Path, release: str, expected: str) -> None:
    fake = tmp_path / "os-release"
    fake.write_text(release + "\n")
    lib = (ROLES_DIR / "lib.sh").read_text().replace("/etc/os-release", str(fake))
    result = subprocess.run(["bash", "-c", lib + '\nck_detect_os; echo "$CK_OS"'], capture_output=True, text=True)
    assert result.stdout.strip() == expected
