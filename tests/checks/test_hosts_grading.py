"""Grading the provisioned local systemd hosts: every check passes, then one fault per role makes the
right check fail with its hint while the host's other checks still pass (a mutation test of the checks),
and the host passes again once the fault is undone.

Uses the hosts team's session fixture `provisioned_hosts` (tests/support/hosts.py): the hosts named by
CLOUDKART_TEST_HOSTS (a CI subset by default, "all" for the 12), provisioned by labs/roles/*.sh.
Faults are only planted on hosts that are provisioned.
"""

import json
import time
from dataclasses import dataclass

import pytest

from services.grading import runner
from services.grading.model import Student, load_inventory
from tests.support.hosts import chosen_hosts, cities_limit

# The first test of a session pays for booting and provisioning the hosts (minutes for all 12).
pytestmark = [pytest.mark.hosts, pytest.mark.slow, pytest.mark.timeout(1500)]

REDIS_CLI = "redis-cli -a \"$(sed -n 's/^requirepass //p' /etc/redis/cloudkart.conf)\" --no-auth-warning"
SMOKE_ROLES = {"frontend", "user", "cart", "shipping", "payment", "order-processor", "rabbitmq"}
SMOKE_LAB = "12"
OTHER_LABS = ",".join(f"{lab:02d}" for lab in range(1, 12))


@dataclass(frozen=True)
class Fault:
    name: str
    host: str  # the host whose checks must catch it
    inject: tuple[tuple[str, str], ...]  # (host, command) that plant it
    must_fail: frozenset[str]  # check ids that must catch the fault
    restore: tuple[tuple[str, str], ...]  # (host, command) that undo it
    may_fail: frozenset[str] = frozenset()  # knock-on failures on the same host that are right too


def fault(name, host, inject, must_fail, restore, may_fail=()) -> Fault:
    plant = ((host, inject),) if isinstance(inject, str) else tuple(inject)
    return Fault(f"{name}@{host}", host, plant, frozenset(must_fail), tuple(restore), frozenset(may_fail))


FAULTS = [
    *(
        fault("stop-redis", host, "systemctl stop redis-server", {"REDIS-02", "REDIS-04"},
              [(host, "systemctl start redis-server")], may_fail={"REDIS-05", "REDIS-06"})
        for host in ("user-db", "cart-redis")
    ),
    *(
        fault("redis-bound-to-loopback", host, f"{REDIS_CLI} CONFIG SET bind 127.0.0.1", {"REDIS-04", "REDIS-06"},
              [(host, "systemctl restart redis-server")])
        for host in ("user-db", "cart-redis")
    ),
    fault("stop-mongod", "catalogue-db", "systemctl stop mongod", {"MONGO-02", "MONGO-04"},
          [("catalogue-db", "systemctl start mongod")], may_fail={"MONGO-05", "MONGO-06"}),
    fault("env-file-world-readable", "user", "chmod 0644 /etc/cloudkart/user.env", {"USER-09"},
          [("user", "chmod 0600 /etc/cloudkart/user.env")]),
    fault("stop-catalogue", "catalogue", "systemctl stop catalogue", {"CAT-02", "CAT-04", "CAT-11"},
          [("catalogue", "systemctl start catalogue")], may_fail={"CAT-06", "CAT-12", "CAT-13"}),
    fault("stop-nginx", "frontend", "systemctl stop nginx", {"WEB-02", "WEB-04"},
          [("frontend", "systemctl start nginx")], may_fail={"WEB-14", "SMOKE-01", "SMOKE-02"}),
    fault("drop-city-index", "shipping-db", "mysql -e 'ALTER TABLE cities.cities DROP INDEX idx_city_name'",
          {"MYSQL-13"}, [("shipping-db", "mysql -e 'ALTER TABLE cities.cities ADD INDEX idx_city_name (city_name)'")]),
    fault("empty-cities", "shipping-db",
          "mysql cities -e 'RENAME TABLE cities TO cities_saved; CREATE TABLE cities LIKE cities_saved'",
          {"MYSQL-12", "MYSQL-14"},
          [("shipping-db", "mysql cities -e 'DROP TABLE cities; RENAME TABLE cities_saved TO cities'")]),
    # Payment and the order processor redeclare the queue when it vanishes, so they are stopped first.
    fault("delete-order-queue", "rabbitmq",
          [("order-processor", "systemctl stop order-processor"), ("payment", "systemctl stop payment"),
           ("rabbitmq", "rabbitmqctl delete_queue order-processing")],
          {"MQ-11", "MQ-12", "ORDER-12"},
          [("order-processor", "systemctl restart order-processor"), ("payment", "systemctl restart payment")]),
    fault("stop-order-processor", "order-processor", "systemctl stop order-processor", {"ORDER-02"},
          [("order-processor", "systemctl start order-processor")]),
]  # fmt: skip


def provisioned(fault: Fault) -> bool:
    names = chosen_hosts()
    hosts = {fault.host, *(h for h, _ in fault.inject), *(h for h, _ in fault.restore)}
    return names is None or hosts <= set(names)


@pytest.fixture(scope="module")
def student(provisioned_hosts, tmp_path_factory) -> Student:
    """The hosts' inventory, told how many cities the CI import loads (the labs import all of them)."""
    data = json.loads(provisioned_hosts.inventory.to_json())
    if cities_limit():
        data.setdefault("extra", {})["expected_cities"] = cities_limit()
    path = tmp_path_factory.mktemp("inventory") / "ci.json"
    path.write_text(json.dumps(data))
    return Student("ci", path)


@pytest.fixture(scope="module")
def labs(provisioned_hosts) -> str:
    """Every lab, but the smoke test only when the hosts it crosses are all there."""
    roles = {role for host in provisioned_hosts.inventory.hosts for role in host.roles}
    return "" if roles >= SMOKE_ROLES else OTHER_LABS


def failures(student: Student, host: str, labs: str, workdir) -> dict[str, str]:
    job = runner.Job(student.name, student.inventory_path, load_inventory(student), host)
    report = runner.run_job(job, labs, workdir)
    assert report.reachable, report.problem
    assert report.results, f"no checks ran on {host}"
    return {r.id: f"{r.hint}\n{r.message}" for r in report.results if r.outcome != "passed"}


def test_every_check_passes_and_parallel_grading_is_faster(student, labs, tmp_path):
    timings = {}
    for jobs in (1, 12):
        start = time.monotonic()
        reports = runner.grade([student], labs, tmp_path / f"jobs{jobs}", jobs)
        timings[jobs] = time.monotonic() - start
        failed = [(r.host, c.id, c.message[:300]) for r in reports for c in r.results if c.outcome != "passed"]
        assert not failed
        assert all(r.reachable and r.results for r in reports)
    print(f"\ngrading {len(reports)} hosts: --jobs 1 {timings[1]:.1f} s, --jobs 12 {timings[12]:.1f} s")
    assert timings[12] < timings[1]


@pytest.mark.parametrize("planted", [f for f in FAULTS if provisioned(f)], ids=lambda f: f.name)
def test_fault_is_caught_by_the_right_check(planted, provisioned_hosts, student, labs, tmp_path):
    try:
        for host, command in planted.inject:
            provisioned_hosts.exec(host, "sh", "-c", command)
        failed = failures(student, planted.host, labs, tmp_path / "broken")
    finally:
        for host, command in planted.restore:
            provisioned_hosts.exec(host, "sh", "-c", command)
    assert planted.must_fail <= set(failed), f"{planted.name} was not caught: failed {sorted(failed)}"
    assert set(failed) <= planted.must_fail | planted.may_fail, f"{planted.name} also failed: {failed}"
    assert all("see lab" in failed[check] for check in planted.must_fail)
    deadline = time.monotonic() + 30
    while (left := failures(student, planted.host, labs, tmp_path / "restored")) and time.monotonic() < deadline:
        time.sleep(2)  # a restarted daemon takes a moment to listen again
    assert left == {}, f"{planted.name} was not undone: {left}"


def test_nsenter_backend_grades_like_ssh(provisioned_hosts, labs, tmp_path):
    """docker://NAME through the grader's nsenter shim: no ssh at all, the same verdicts."""
    data = json.loads(provisioned_hosts.inventory.to_json())
    data["ssh_config"] = None
    if cities_limit():
        data.setdefault("extra", {})["expected_cities"] = cities_limit()
    for host in data["hosts"]:
        host["connection"] = f"docker://{host['name']}"
    path = tmp_path / "nsenter.json"
    path.write_text(json.dumps(data))
    reports = runner.grade([Student("nsenter", path)], labs, tmp_path / "raw", jobs=12)
    assert all(r.reachable and r.results for r in reports), [r.problem for r in reports]
    failed = [(r.host, c.id, c.message[:300]) for r in reports for c in r.results if c.outcome != "passed"]
    assert not failed
