"""Grading the provisioned local systemd hosts: every check passes, then one fault per role makes the
right check fail with its hint while the host's other checks still pass (a mutation test of the checks).

Needs root and the hosts team's session fixture `provisioned_hosts` (tests/support/hosts.py): the
12-host layout booted and provisioned by labs/roles/*.sh, with `.inventory_path()` and
`.exec(host, [cmd...])` as in services.hosts.local.LocalHosts.
"""

import json
import time
from dataclasses import dataclass

import pytest

from services.grading import runner
from services.grading.model import Student, load_inventory

pytestmark = [pytest.mark.hosts, pytest.mark.slow]
pytest.importorskip("tests.support.hosts", reason="the local hosts fixture (hosts team) is not in this tree yet")

REDIS_PASSWORD = "$(sed -n 's/^requirepass //p' /etc/redis/cloudkart.conf)"


@dataclass(frozen=True)
class Fault:
    host: str
    inject: str
    must_fail: frozenset[str]  # check ids that must catch the fault
    may_fail: frozenset[str]  # knock-on failures on the same host that are correct too
    restore: tuple[tuple[str, str], ...]  # (host, command) run afterwards


def fault(host, inject, must_fail, restore, may_fail=()) -> Fault:
    return Fault(host, inject, frozenset(must_fail), frozenset(may_fail), tuple(restore))


FAULTS = {
    "stop-redis": fault(
        "cart-redis", "systemctl stop redis-server", {"REDIS-02", "REDIS-04"},
        [("cart-redis", "systemctl start redis-server")], may_fail={"REDIS-05", "REDIS-06"},
    ),
    "redis-wrong-bind": fault(
        "cart-redis", f"redis-cli -a {REDIS_PASSWORD} --no-auth-warning CONFIG SET bind 127.0.0.1",
        {"REDIS-04", "REDIS-06"}, [("cart-redis", "systemctl restart redis-server")],
    ),
    "drop-city-index": fault(
        "shipping-db", "mysql -e 'ALTER TABLE cities.cities DROP INDEX idx_city_name'", {"MYSQL-13"},
        [("shipping-db", "mysql -e 'ALTER TABLE cities.cities ADD INDEX idx_city_name (city_name)'")],
    ),
    "empty-cities": fault(
        "shipping-db",
        "mysql cities -e 'RENAME TABLE cities TO cities_saved; CREATE TABLE cities LIKE cities_saved'",
        {"MYSQL-12", "MYSQL-14"},
        [("shipping-db", "mysql cities -e 'DROP TABLE cities; RENAME TABLE cities_saved TO cities'")],
    ),
    "env-file-world-readable": fault(
        "user", "chmod 0644 /etc/cloudkart/user.env", {"USER-09"}, [("user", "chmod 0600 /etc/cloudkart/user.env")]
    ),
    "delete-order-queue": fault(
        "rabbitmq", "rabbitmqctl delete_queue order-processing", {"MQ-11", "MQ-12", "ORDER-12"},
        [("order-processor", "systemctl restart order-processor"), ("payment", "systemctl restart payment")],
    ),
    "stop-order-processor": fault(
        "order-processor", "systemctl stop order-processor", {"ORDER-02"},
        [("order-processor", "systemctl start order-processor")],
    ),
    "stop-nginx": fault(
        "frontend", "systemctl stop nginx", {"WEB-02", "WEB-04"}, [("frontend", "systemctl start nginx")],
        may_fail={"WEB-14", "SMOKE-01", "SMOKE-02"},
    ),
    "stop-catalogue": fault(
        "catalogue", "systemctl stop catalogue", {"CAT-02", "CAT-04", "CAT-11"},
        [("catalogue", "systemctl start catalogue")], may_fail={"CAT-12", "CAT-13"},
    ),
}  # fmt: skip


@pytest.fixture(scope="module")
def hosts(request):
    return request.getfixturevalue("provisioned_hosts")


@pytest.fixture(scope="module")
def student(hosts, tmp_path_factory):
    """The hosts' inventory, told how many cities the CI import loads (the labs import them all)."""
    data = json.loads(hosts.inventory_path().read_text())
    rows = hosts.exec("shipping-db", ["mysql", "-N", "-e", "SELECT COUNT(*) FROM cities.cities"]).stdout
    data.setdefault("extra", {})["expected_cities"] = int(rows.strip())
    path = tmp_path_factory.mktemp("inventory") / "ci.json"
    path.write_text(json.dumps(data))
    return Student("ci", path)


def failures(student, host, workdir) -> dict[str, str]:
    job = runner.Job(student.name, student.inventory_path, load_inventory(student), host)
    report = runner.run_job(job, "", workdir)
    assert report.reachable, report.problem
    return {r.id: r.hint + "\n" + r.message for r in report.results if r.outcome != "passed"}


def test_every_check_passes_and_parallel_grading_is_faster(student, tmp_path):
    timings = {}
    for jobs in (1, 12):
        start = time.monotonic()
        reports = runner.grade([student], "", tmp_path / f"jobs{jobs}", jobs)
        timings[jobs] = time.monotonic() - start
        failed = [(r.host, c.id, c.message) for r in reports for c in r.results if c.outcome != "passed"]
        assert not failed
        assert all(r.reachable and r.results for r in reports)
    print(f"\ngrading 12 hosts: --jobs 1 {timings[1]:.1f} s, --jobs 12 {timings[12]:.1f} s")
    assert timings[12] < timings[1]


@pytest.mark.parametrize("name", list(FAULTS))
def test_fault_is_caught_by_the_right_check(name, hosts, student, tmp_path):
    broken = FAULTS[name]
    hosts.exec(broken.host, ["sh", "-c", broken.inject])
    try:
        failed = failures(student, broken.host, tmp_path / "broken")
    finally:
        for host, command in broken.restore:
            hosts.exec(host, ["sh", "-c", command])
    assert broken.must_fail <= set(failed), f"{name} was not caught: failed {sorted(failed)}"
    assert set(failed) <= broken.must_fail | broken.may_fail, f"{name} also failed unrelated checks: {failed}"
    assert all("see lab" in failed[check] for check in broken.must_fail)
    time.sleep(2)  # let restored daemons settle before the host is graded again
    assert failures(student, broken.host, tmp_path / "restored") == {}, f"{name} was not restored"
