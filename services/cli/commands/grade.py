"""`cloudkart grade`: run the testinfra checks on students' hosts and write the gradebook."""

from __future__ import annotations

import os
from pathlib import Path

import click

from services.cli.app import cli


@cli.command()
@click.option(
    "--inventory",
    "inventory_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Grade one environment: an inventory JSON (from `cloudkart hosts up`, `infra output`, Vagrant or a file).",
)
@click.option(
    "--roster",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Grade a class: a CSV with the header `student,inventory` (paths relative to the roster).",
)
@click.option("--labs", default="", help="Only the checks of these labs, e.g. 04,05 (default: every lab).")
@click.option(
    "--jobs",
    type=click.IntRange(min=1),
    default=lambda: max(8, 2 * (os.cpu_count() or 1)),
    show_default="2 x CPUs, at least 8 (checks mostly wait on the network)",
    help="Hosts checked at the same time (1 = one after another).",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="Folder for junit/<student>.xml, gradebook.csv, report.html and the raw per-host logs.",
)
def grade(inventory_path: Path | None, roster: Path | None, labs: str, jobs: int, out: Path) -> None:
    """Check every host of every student with pytest + testinfra and grade the result.

    Each host's checks run in their own process, over ssh (the inventory's `connection` and `ssh_config`)
    or any other testinfra backend the inventory names (local://, docker:// through the local hosts'
    nsenter shim). Each check has an id (e.g. REDIS-04), a lab, points and a hint.

    \b
    Writes to --out:
      junit/<student>.xml  one test suite per host; failures carry the hint
      gradebook.csv        student, lab, points, max, total, total_max, unreachable_checks
      report.html          readable report: scores per lab and, for each failed check, what to fix
      raw/                 each host's pytest output and results JSON
    A host that does not answer is reported as unreachable: its checks score 0 and the other hosts and
    students are still graded. The exit status is 0 when grading ran, whatever the scores.

    The city-import check expects the inventory's `extra.expected_cities` rows (default: 200,000;
    the import loads about 235,000 real cities). `cloudkart checks` lists every check with its lab, points and hint.
    """
    from services.grading import console
    from services.grading.model import Student, read_roster

    if bool(inventory_path) == bool(roster):
        raise click.UsageError("give exactly one of --inventory or --roster")
    if labs and not all(part.strip().isdigit() for part in labs.split(",")):
        raise click.BadParameter("a comma-separated list of lab numbers, e.g. 04,05", param_hint="--labs")
    students = read_roster(roster) if roster else [Student(inventory_path.stem, inventory_path.resolve())]
    console.grade_and_report(students, labs, jobs, out)


@cli.command("checks")
@click.option("--labs", default="", help="Only these labs, e.g. 04,05.")
@click.option("--markdown", is_flag=True, help="Print a Markdown table (for the docs) instead of a terminal table.")
def list_checks(labs: str, markdown: bool) -> None:
    """List every graded check: id, lab, points and the hint a student sees when it fails.

    Run only one lab's checks against your hosts with `cloudkart grade --inventory INV.json --labs 04 --out DIR`.
    """
    from rich.console import Console
    from rich.table import Table

    from checks.labs import lab_name
    from checks.listing import all_checks

    wanted = {int(lab) for lab in labs.split(",") if lab.strip().isdigit()}
    rows = [c for c in all_checks() if not wanted or c.lab in wanted]
    if markdown:
        click.echo("| Check | Lab | Points | When it fails |\n| --- | --- | --- | --- |")
        for c in rows:
            hint = c.hint.replace("|", r"\|")
            click.echo(f"| {c.id} | {lab_name(c.lab)} | {c.points} | {hint} |")
        return
    table = Table("check", "lab", "points", "when it fails", title=f"{len(rows)} checks")
    for c in rows:
        table.add_row(c.id, lab_name(c.lab), str(c.points), c.hint)
    Console().print(table)
