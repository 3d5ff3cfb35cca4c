"""Runs the checks of every student's hosts in parallel: one pytest + testinfra process per (student, host).

A host that does not answer is not checked; its checks are listed (collected without running) and score 0
as unreachable, and the other hosts and students carry on.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

import testinfra

from checks.probes import connection_error
from services.deploy.inventory import Inventory, InventoryError
from services.grading.model import UNREACHABLE, CheckResult, HostReport, Student, load_inventory

REPO = Path(__file__).resolve().parents[2]
CHECKS_DIR = REPO / "checks"
CONNECT_SECONDS = 10
HOST_TIMEOUT_SECONDS = 600
CHECK_TIMEOUT_SECONDS = 90  # one check; a host that vanishes mid-run must not hang a check for long
# Only testinfra and our plugin: auto-loading every installed pytest plugin (hypothesis, schemathesis,
# playwright...) costs seconds per host process.
PYTEST_ENV = dict(os.environ, PYTEST_DISABLE_PLUGIN_AUTOLOAD="1")
# docker://NAME connections reach local nspawn hosts through this `docker` stand-in (nsenter).
DOCKER_SHIM = Path(__file__).resolve().parent / "shim"


def use_docker_shim() -> None:
    """Put the shim first on PATH, for testinfra in this process and in the per-host pytest runs."""
    for env in (os.environ, PYTEST_ENV):
        if not env.get("PATH", "").startswith(f"{DOCKER_SHIM}:"):
            env["PATH"] = f"{DOCKER_SHIM}:{env.get('PATH', '')}"


@dataclass(frozen=True)
class Job:
    student: str
    inventory_path: Path
    inventory: Inventory | None
    host: str
    problem: str = ""  # why the job cannot run at all (bad inventory)


def plan_jobs(students: Iterable[Student]) -> list[Job]:
    jobs = []
    for student in students:
        try:
            inventory = load_inventory(student)
        except InventoryError as exc:
            jobs.append(Job(student.name, student.inventory_path, None, "(inventory)", str(exc)))
            continue
        jobs.extend(Job(student.name, student.inventory_path, inventory, h.name) for h in inventory.hosts)
    return jobs


def reachable(inventory: Inventory, host: str) -> str:
    """'' when the host answers a command, else why not."""
    connection = inventory.host(host).connection
    options: dict = {"ssh_config": inventory.ssh_config} if inventory.ssh_config else {}
    if connection.startswith("ssh://"):
        options["ssh_extra_args"] = f"-o ConnectTimeout={CONNECT_SECONDS} -o BatchMode=yes"
    try:
        result = testinfra.get_host(connection, **options).run("true")
    except Exception as exc:  # every backend fails its own way; all mean "cannot check this host"
        return connection_error(exc)
    if result.rc != 0:
        return f"`true` exited {result.rc}: {(result.stderr or result.stdout).strip()[:300]}"
    return ""


def pytest_command(job: Job, labs: str, results: Path, *, collect_only: bool) -> list[str]:
    assert job.inventory is not None
    command = [
        sys.executable, "-m", "pytest", str(CHECKS_DIR),
        "-p", "testinfra.plugin", "-p", "pytest_timeout", "-p", "checks.plugin", "-p", "no:cacheprovider",
        "-q", "--tb=short", "--no-header", "--rootdir", str(REPO), "-o", "addopts=",
        "-o", f"timeout={CHECK_TIMEOUT_SECONDS}",
        "--hosts", job.inventory.host(job.host).connection,
        "--cloudkart-inventory", str(job.inventory_path), "--cloudkart-host", job.host,
        "--cloudkart-results", str(results), "--cloudkart-labs", labs,
    ]  # fmt: skip
    if job.inventory.ssh_config:
        command += ["--ssh-config", job.inventory.ssh_config]
    if collect_only:
        command.append("--collect-only")
    return command


def run_job(job: Job, labs: str, workdir: Path) -> HostReport:
    start = time.monotonic()
    if job.inventory is None:
        return HostReport(job.student, job.host, False, [], 0.0, job.problem)
    problem = reachable(job.inventory, job.host)
    workdir.mkdir(parents=True, exist_ok=True)
    results = workdir / f"{job.student}--{job.host}.json"
    log = workdir / f"{job.student}--{job.host}.log"
    command = pytest_command(job, labs, results, collect_only=bool(problem))
    with open(log, "w") as output:
        try:
            subprocess.run(
                command, stdout=output, stderr=subprocess.STDOUT, cwd=REPO, env=PYTEST_ENV, timeout=HOST_TIMEOUT_SECONDS
            )
        except subprocess.TimeoutExpired:
            problem = problem or f"the checks did not finish in {HOST_TIMEOUT_SECONDS} s; see {log}"
    checks = _read_results(results, job, unreachable=bool(problem))
    if checks is None:
        problem = problem or f"the checks did not run; see {log}"
    return HostReport(job.student, job.host, not problem, checks or [], time.monotonic() - start, problem)


def _read_results(path: Path, job: Job, *, unreachable: bool) -> list[CheckResult] | None:
    """The host's check results, or None when pytest wrote none (it crashed or was killed)."""
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    checks = []
    for raw in data["checks"]:
        result = CheckResult(student=job.student, host=job.host, **raw)
        if unreachable:
            result.outcome = UNREACHABLE
            result.message = f"host {job.host} did not answer, so this check could not run"
        checks.append(result)
    return checks


def grade(students: Iterable[Student], labs: str, workdir: Path, jobs: int) -> list[HostReport]:
    """Every host of every student, `jobs` at a time."""
    return run_jobs(plan_jobs(students), labs, workdir, jobs)


def run_jobs(
    planned: list[Job],
    labs: str,
    workdir: Path,
    jobs: int,
    on_done: Callable[[HostReport], None] = lambda report: None,
) -> list[HostReport]:
    """The planned jobs, `jobs` at a time; `on_done` is told about each host as it finishes."""
    workdir.mkdir(parents=True, exist_ok=True)
    if any(job.inventory and job.inventory.host(job.host).connection.startswith("docker://") for job in planned):
        use_docker_shim()
    reports = []
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        futures = [pool.submit(run_job, job, labs, workdir) for job in planned]
        for future in as_completed(futures):
            report = future.result()
            reports.append(report)
            on_done(report)
    return sorted(reports, key=lambda r: (r.student, r.host))
