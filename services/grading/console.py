"""The terminal side of grading: a progress bar while hosts are checked, then a summary table."""

from __future__ import annotations

import time
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from services.grading import reports, runner
from services.grading.model import HostReport, Student


def grade_and_report(students: list[Student], labs: str, jobs: int, out: Path) -> list[HostReport]:
    console = Console(width=max(Console().width, 140))  # a gradebook row must not be cut to '…'
    planned = runner.plan_jobs(students)  # counted for the bar, then run: each inventory is read once
    start = time.monotonic()
    with Progress(
        TextColumn("grading"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.description}"),
        TimeElapsedColumn(), console=console, transient=True,
    ) as progress:  # fmt: skip
        task = progress.add_task("", total=len(planned))

        def done(report: HostReport) -> None:
            progress.update(task, advance=1, description=f"{report.student}/{report.host}")

        host_reports = runner.run_jobs(planned, labs, out / "raw", jobs, done)
    scores = reports.write_all(host_reports, out)
    elapsed = time.monotonic() - start

    all_labs = sorted({s.lab for labs_of in scores.values() for s in labs_of})
    table = Table(
        title=f"CloudKart points per lab ({len(host_reports)} hosts in {elapsed:.1f} s, {jobs} at a time)",
        caption="cells: points earned / points possible; unreachable hosts score 0",
        pad_edge=False,
    )
    table.add_column("student", no_wrap=True)
    for lab in all_labs:
        table.add_column(f"{lab:02d}", justify="right", no_wrap=True)
    table.add_column("total", justify="right", no_wrap=True)
    table.add_column("unreachable")
    for student, lab_scores in scores.items():
        by_lab = {s.lab: s for s in lab_scores}
        cells = [f"{by_lab[lab].points}/{by_lab[lab].max}" if lab in by_lab else "-" for lab in all_labs]
        total = f"{sum(s.points for s in lab_scores)}/{sum(s.max for s in lab_scores)}"
        missing = [r.host for r in host_reports if r.student == student and r.problem]
        table.add_row(student, *cells, total, ", ".join(missing) or "-")
    console.print(table)
    for note in sorted({note for r in host_reports for check in r.results for note in check.notes}):
        console.print(f"[bold]note:[/bold] {note}", markup=True, highlight=False)
    console.print(f"wrote {out}/gradebook.csv, {out}/report.html and {out}/junit/")
    return host_reports
