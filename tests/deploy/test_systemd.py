"""Every rendered unit passes `systemd-analyze verify` with no warning and scores <= 2.0 on security."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.deploy.conftest import rendered_files

VENV_CLOUDKART = Path(sys.executable).with_name("cloudkart")
MAX_EXPOSURE = 2.0


@pytest.fixture(scope="module")
def units(bundles: dict[str, Path]) -> list[Path]:
    found = rendered_files(bundles, "*/systemd/*.service")
    # 6 services on the all-in-one host, 6 on their own hosts, and a mongod stand-in per database host.
    assert len(found) == 6 + 1 + 6 + 2
    return found


def _runnable_copy(unit: Path, folder: Path) -> Path:
    # verify checks that ExecStart= is executable; /opt/cloudkart/venv only exists on a deployed host,
    # so point it at this checkout's venv. Every other line is verified exactly as rendered.
    copy = folder / unit.name
    copy.write_text(unit.read_text().replace("/opt/cloudkart/venv/bin/cloudkart", str(VENV_CLOUDKART)))
    return copy


def test_every_unit_verifies_without_a_warning(units: list[Path], tmp_path: Path):
    for i, unit in enumerate(units):
        folder = tmp_path / str(i)
        folder.mkdir()
        result = subprocess.run(
            ["systemd-analyze", "verify", str(_runnable_copy(unit, folder))], capture_output=True, text=True
        )
        # verify exits 0 even on unknown keys; its warnings are on stderr.
        assert result.returncode == 0 and result.stderr == "", f"{unit}:\n{result.stderr}"


def test_verify_would_catch_a_misspelt_key(units: list[Path], tmp_path: Path):
    broken = _runnable_copy(units[0], tmp_path)
    broken.write_text(broken.read_text().replace("ProtectSystem=", "ProtectSystm="))
    result = subprocess.run(["systemd-analyze", "verify", str(broken)], capture_output=True, text=True)
    assert "Unknown key 'ProtectSystm'" in result.stderr


def exposure(unit: Path) -> float:
    result = subprocess.run(
        ["systemd-analyze", "security", "--offline=yes", "--no-pager", str(unit)], capture_output=True, text=True
    )
    match = re.search(r"Overall exposure level for \S+: (\d+\.\d+)", result.stdout)
    assert match, f"no score for {unit}:\n{result.stdout}{result.stderr}"
    return float(match.group(1))


def test_every_unit_scores_at_most_2_on_systemd_security(units: list[Path]):
    scores = {f"{u.parent.parent.name}/{u.name}": exposure(u) for u in units}
    assert max(scores.values()) <= MAX_EXPOSURE, scores


def test_the_score_parser_sees_an_unhardened_unit_as_unsafe(tmp_path: Path):
    plain = tmp_path / "plain.service"
    plain.write_text("[Service]\nExecStart=/bin/true\n")
    assert exposure(plain) > 9.0


def test_units_run_as_their_own_user_with_their_env_file(units: list[Path]):
    for unit in units:
        text = unit.read_text()
        name = unit.stem
        assert f"User=cloudkart-{name}\n" in text and "DynamicUser=yes\n" in text
        assert "Restart=on-failure\n" in text and f"SyslogIdentifier={name}\n" in text
        if name == "mongod":
            assert "ExecStart=/opt/cloudkart/venv/bin/cloudkart mongo-standin --listen " in text
        else:
            service = "orders" if name == "order-processor" else name
            assert f"EnvironmentFile=/etc/cloudkart/{service}.env\n" in text
            assert f"ExecStart=/opt/cloudkart/venv/bin/cloudkart serve {service}\n" in text


def test_services_start_after_their_data_store_only_when_it_shares_the_host(bundles: dict[str, Path]):
    local_cart = (bundles["all-in-one"] / "local/systemd/cart.service").read_text()
    remote_cart = (bundles["cloudkart-12"] / "cart/systemd/cart.service").read_text()
    assert "After=network-online.target redis-server.service redis.service\n" in local_cart
    assert "After=network-online.target\n" in remote_cart


# MemoryDenyWriteExecute= forbids memory that is both writable and executable. The kernel's
# PR_SET_MDWE (Linux 6.3+) applies the same rule to one process, so the libraries can be tried here.
MDWE_PROBE = """
import ctypes, sys
PR_SET_MDWE, PR_MDWE_REFUSE_EXEC_GAIN = 65, 1
libc = ctypes.CDLL(None, use_errno=True)
if libc.prctl(PR_SET_MDWE, PR_MDWE_REFUSE_EXEC_GAIN, 0, 0, 0) != 0:
    sys.exit(77)
import tempfile
import bcrypt, waitress, bottle, pymongo, redis, pika, pymysql, jinja2, prometheus_client, briskdb
hashed = bcrypt.hashpw(b"secret", bcrypt.gensalt(rounds=10))
assert bcrypt.checkpw(b"secret", hashed)
with tempfile.TemporaryDirectory() as folder:  # the Mongo stand-in's native store
    db = briskdb.open(folder, shards=2, documents=True)
    db.close()
print("ok")
"""


def test_service_libraries_work_when_writable_memory_cannot_become_executable():
    result = subprocess.run([sys.executable, "-c", MDWE_PROBE], capture_output=True, text=True, timeout=60)
    if result.returncode == 77:
        pytest.skip("kernel has no PR_SET_MDWE (needs Linux 6.3+)")
    assert result.returncode == 0 and result.stdout.strip() == "ok", result.stderr
