"""pytest plugin that turns the check files into one host's graded checks.

Loaded by the grader with `-p checks.plugin`. It reads the inventory and the host being checked,
parametrizes the checks from layout.yml (units, ports, firewall probes, services), drops checks whose
role is not on the host (or whose lab was not asked for), attaches each item's id, lab, points and hint,
prints the hint under a failure, and writes every result to a JSON file the grader reads.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import testinfra

from checks.catalog import ResolvedCheck, resolve
from checks.probes import UNREACHABLE_PREFIX, Reachability
from checks.targets import HostPlan
from services.deploy import inventory as inventories
from services.grading.model import UNREACHABLE

PLAN = pytest.StashKey[HostPlan]()
CHECK = pytest.StashKey[ResolvedCheck]()

# Fixture name -> which targets of the host it is parametrized over.
PARAMETERS: dict[str, Callable[[HostPlan], list]] = {
    "unit": HostPlan.units,
    "cloudkart_unit": HostPlan.cloudkart_units,
    "listen": HostPlan.listens,
    "datastore_listen": HostPlan.datastore_listens,
    "web_service": HostPlan.web_services,
    "allowed_probe": HostPlan.allowed_probes,
    "blocked_probe": HostPlan.blocked_probes,
}


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("cloudkart", "CloudKart grading")
    group.addoption("--cloudkart-inventory", help="inventory JSON of the environment being checked")
    group.addoption("--cloudkart-host", help="name of the inventory host these checks run on")
    group.addoption("--cloudkart-labs", default="", help="only checks of these labs, e.g. 04,05")
    group.addoption("--cloudkart-results", help="write every check's result to this JSON file")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "cloudkart_absent: nothing of this kind on the host (deselected)")
    path = config.getoption("cloudkart_inventory")
    if not path:
        raise pytest.UsageError("the CloudKart checks need --cloudkart-inventory and --cloudkart-host")
    try:
        config.stash[PLAN] = HostPlan(inventories.load(Path(path)), config.getoption("cloudkart_host"))
    except inventories.InventoryError as exc:
        raise pytest.UsageError(str(exc)) from None
    config.pluginmanager.register(ResultRecorder(config), "cloudkart-results")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    plan = metafunc.config.stash[PLAN]
    for argname, source in PARAMETERS.items():
        if argname in metafunc.fixturenames:
            values = source(plan)
            if values:
                metafunc.parametrize(argname, values, ids=str)
            else:
                metafunc.parametrize(argname, [pytest.param(None, marks=pytest.mark.cloudkart_absent)])


def _fields(item: pytest.Item) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    callspec = getattr(item, "callspec", None)
    for value in callspec.params.values() if callspec else ():
        if hasattr(value, "fields"):
            fields.update(value.fields())
    return fields


def _labs(config: pytest.Config) -> set[int]:
    return {int(lab) for lab in config.getoption("cloudkart_labs").split(",") if lab.strip()}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    plan, labs = config.stash[PLAN], _labs(config)
    keep, drop = [], []
    for item in items:
        role = getattr(item.module, "ROLE", None)
        if item.get_closest_marker("cloudkart_absent") or (role and not plan.has_role(role)):
            drop.append(item)
            continue
        spec = getattr(item.function, "cloudkart_check", None)
        if spec is None:
            raise pytest.UsageError(f"{item.nodeid}: every check needs @check(id, points, hint) metadata")
        resolved = resolve(spec, _fields(item))
        if labs and resolved.lab not in labs:
            drop.append(item)
            continue
        item.stash[CHECK] = resolved
        item.user_properties.extend(
            [("check_id", resolved.id), ("lab", resolved.lab), ("points", resolved.points), ("hint", resolved.hint)]
        )
        keep.append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
    items[:] = keep


class ResultRecorder:
    """Keeps every selected check's outcome and writes them for the grader (`--cloudkart-results`)."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self.results: dict[str, dict[str, Any]] = {}

    def pytest_collection_finish(self, session: pytest.Session) -> None:
        for item in session.items:
            check = item.stash[CHECK]
            self.results[item.nodeid] = {
                "test": item.name,
                "id": check.id,
                "lab": check.lab,
                "points": check.points,
                "hint": check.hint_text(),
                "outcome": "not run",
                "message": "",
                "notes": [],
            }

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(self, item: pytest.Item, call: pytest.CallInfo) -> pytest.TestReport:
        report = yield
        check = item.stash.get(CHECK, None)
        if check and report.failed and hasattr(report.longrepr, "addsection"):
            report.longrepr.addsection("hint", check.hint_text())
        return report

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        record = self.results.get(report.nodeid)
        if record is None:
            return
        record["notes"] = [value for key, value in report.user_properties if key == "note"]
        if report.failed:
            record["outcome"] = "failed" if report.when == "call" else "error"
            record["message"] = _failure_message(report)
        elif report.skipped:
            message = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longreprtext
            record["outcome"] = UNREACHABLE if UNREACHABLE_PREFIX in message else "skipped"
            record["message"] = _tail(message)
        elif report.when == "call" and record["outcome"] == "not run":
            record["outcome"] = "passed"

    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        path = self.config.getoption("cloudkart_results")
        if path:
            data = {"host": self.config.stash[PLAN].host.name, "checks": list(self.results.values())}
            Path(path).write_text(json.dumps(data, indent=1))


def _tail(text: str, limit: int = 2000) -> str:
    return text[-limit:]


def _failure_message(report: pytest.TestReport) -> str:
    """The assertion's own words (what was expected, what was found), not pages of traceback."""
    crash = getattr(report.longrepr, "reprcrash", None)
    if crash is None:
        return _tail(report.longreprtext)
    # pytest appends its introspection ("assert False / + where ...") after the check's own message.
    return _tail(crash.message.split("\nassert ")[0])


@pytest.fixture(scope="session")
def plan(pytestconfig: pytest.Config) -> HostPlan:
    return pytestconfig.stash[PLAN]


@pytest.fixture(scope="session")
def peer(plan: HostPlan) -> Callable[[str], testinfra.host.Host]:
    """Another host of the inventory by name, to probe from it or read its journal."""
    options = {"ssh_config": plan.inventory.ssh_config} if plan.inventory.ssh_config else {}

    def get(name: str) -> testinfra.host.Host:
        return testinfra.get_host(plan.inventory.host(name).connection, **options)

    return get


@pytest.fixture(scope="session")
def reachability(plan: HostPlan, peer: Callable[[str], testinfra.host.Host]) -> Reachability:
    return Reachability(plan, peer)


@pytest.fixture
def note(request: pytest.FixtureRequest) -> Callable[[str], None]:
    """Tell the grader something the student should know even when the check passes."""

    def add(text: str) -> None:
        request.node.user_properties.append(("note", text))

    return add
