"""`cloudkart grade` end to end on real targets: this machine through testinfra's local backend (its own
Redis on 127.0.0.1:6379), a student whose host refuses ssh (a closed port on 127.0.0.1), and a student
whose inventory is broken. The unreachable and broken ones score 0 and do not stop the others."""

import csv
import json
import socket
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from services.deploy import layout as layouts
from services.grading import runner
from services.grading.model import Student, load_inventory

CLOUDKART = str(Path(sys.executable).with_name("cloudkart"))  # the venv running the tests, wherever it is


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # nothing listens once the socket is closed


def inventory(path: Path, connection: str, ssh_config: str | None = None) -> Path:
    roles = list(layouts.load("all-in-one").hosts[0].roles)
    data = {"layout": "all-in-one", "source": "file", "ssh_config": ssh_config,
            "hosts": [{"name": "local", "roles": roles, "address": "127.0.0.1", "connection": connection}]}  # fmt: skip
    path.write_text(json.dumps(data))
    return path


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    root = tmp_path_factory.mktemp("grade")
    ssh_config = root / "ssh_config"
    ssh_config.write_text("Host *\n  StrictHostKeyChecking no\n  UserKnownHostsFile /dev/null\n  LogLevel ERROR\n")
    inventory(root / "alice.json", "local://")
    inventory(root / "bob.json", f"ssh://root@127.0.0.1:{closed_port()}", str(ssh_config))
    (root / "carol.json").write_text("{not json")
    (root / "roster.csv").write_text("student,inventory\nalice,alice.json\nbob,bob.json\ncarol,carol.json\n")
    out = root / "out"
    run = subprocess.run(
        [CLOUDKART, "grade", "--roster", str(root / "roster.csv"), "--labs", "01,04", "--jobs", "3", "--out", str(out)],
        capture_output=True, text=True, timeout=240,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    return out, run.stdout


def junit_cases(path: Path) -> dict[str, ET.Element]:
    # The file is the grader's own output, written moments ago by this test.
    return {case.get("classname"): case for case in ET.parse(path).iter("testcase")}  # noqa: S314


def gradebook(out: Path) -> dict[tuple[str, str], dict[str, str]]:
    with open(out / "gradebook.csv") as handle:
        return {(row["student"], row["lab"]): row for row in csv.DictReader(handle)}


def test_listening_redis_on_this_machine_passes(graded):
    out, _ = graded
    case = junit_cases(out / "junit" / "alice.xml")["local.REDIS-04"]
    assert case.find("failure") is None and case.find("error") is None


def test_failed_check_carries_its_hint_in_junit_and_html(graded):
    out, _ = graded
    case = junit_cases(out / "junit" / "alice.xml")["local.WEB-11"]
    failure = case.find("failure")
    assert failure is not None
    assert "/etc/nginx/conf.d/cloudkart.conf" in failure.get("message")
    assert "see lab 01" in failure.get("message")
    assert "/etc/nginx/conf.d/cloudkart.conf does not exist" in (failure.text or "")
    assert "WEB-11: Nginx has no CloudKart site" in (out / "report.html").read_text()


def test_only_the_requested_labs_are_graded(graded):
    out, _ = graded
    labs = {lab for student, lab in gradebook(out) if student == "alice"}
    assert labs == {"01", "04"}


def test_unreachable_student_scores_zero_and_is_marked(graded):
    out, stdout = graded
    rows = {lab: row for (student, lab), row in gradebook(out).items() if student == "bob"}
    assert rows, "bob's checks must still be listed"
    assert all(row["points"] == "0" and int(row["unreachable_checks"]) > 0 for row in rows.values())
    errors = [case.find("error") for case in junit_cases(out / "junit" / "bob.xml").values()]
    assert errors and all(e is not None and e.get("type") == "unreachable" for e in errors)
    assert "bob" in stdout and "local" in stdout


def test_reachable_student_is_graded_beside_the_unreachable_one(graded):
    out, _ = graded
    alice = gradebook(out)[("alice", "04")]
    assert int(alice["points"]) > 0
    assert alice["unreachable_checks"] == "0"


def test_broken_inventory_is_reported_not_fatal(graded):
    out, _ = graded
    html = (out / "report.html").read_text()
    assert "carol" in html
    assert "cannot read inventory" in html
    assert (out / "junit" / "carol.xml").exists()


def test_host_without_checks_in_the_chosen_labs_is_not_unreachable(tmp_path):
    student = Student("dave", inventory(tmp_path / "dave.json", "local://"))
    (report,) = runner.grade([student], "13", tmp_path / "raw", jobs=1)
    assert report.reachable, report.problem
    assert report.results == []


def test_probe_from_an_unreachable_client_scores_as_unreachable(tmp_path):
    """cart-redis is this machine; every other host of the 12 refuses ssh, so no probe can run from them."""
    port = closed_port()
    hosts = [
        {"name": h.name, "roles": list(h.roles), "address": "127.0.0.1",
         "connection": "local://" if h.name == "cart-redis" else f"ssh://root@127.0.0.1:{port}"}
        for h in layouts.load("cloudkart-12").hosts
    ]  # fmt: skip
    path = tmp_path / "inv.json"
    path.write_text(json.dumps({"layout": "cloudkart-12", "hosts": hosts}))
    student = Student("frank", path)
    job = runner.Job("frank", path, load_inventory(student), "cart-redis")
    report = runner.run_job(job, "04", tmp_path)
    firewall = [r for r in report.results if r.id in ("REDIS-06", "REDIS-07")]
    assert len(firewall) == 11
    assert all(r.outcome == "unreachable" and r.earned == 0 for r in firewall)
    assert all("could not run the probe on" in r.message for r in firewall)
