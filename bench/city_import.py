"""City import speed: `cloudkart import-cities --synthetic 948000` against a raw LOAD DATA of the same file.

One command:

    .venv/bin/python bench/city_import.py                  # private MariaDB on a free port, ~1-2 minutes
    .venv/bin/python bench/city_import.py --mysql-url mysql://root@127.0.0.1:3306/bench_cities

The import is timed end to end (reading GeoNames, writing the TSV, LOAD DATA into staging, the three
indexes, the atomic swap, the checks), step by step. The baseline, in the same run and on the same
server, is the least any import of that file can cost: one `LOAD DATA LOCAL INFILE` of the very same
TSV into the final table with its indexes already in place. The ratio says what the safety steps cost.
The database is dropped at the end; a private MariaDB is stopped.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

from rich.console import Console
from rich.progress import Progress
from rich.table import Table

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from services.localrun.datastores import MariaDBServer, free_port
from services.shipping.cityimport import (
    CITIES_COLUMNS,
    CITIES_INDEXES,
    SPEC_ROWS,
    TABLE_OPTIONS,
    CityImporter,
    ImportPlan,
    load_data_sql,
    run_import,
    write_tsv,
)
from services.shipping.db import MySQLTarget

DATABASE = "cloudkart_bench_cities"


@contextlib.contextmanager
def mariadb(url: str | None, workdir: Path) -> Iterator[MySQLTarget]:
    if url:
        yield MySQLTarget.from_url(url)
        return
    server = MariaDBServer(workdir / "mysql", free_port())
    server.start()
    try:
        yield replace(MySQLTarget.from_url(server.url), database=DATABASE)
    finally:
        server.stop()


def timed_import(target: MySQLTarget, rows: int, workdir: Path, progress: Progress) -> tuple[float, dict[str, float]]:
    """Seconds for the whole import, and per step."""
    steps: dict[str, float] = {}
    task = progress.add_task("import", total=rows)
    last = [time.perf_counter(), "reading GeoNames"]

    def step(name: str) -> None:
        now = time.perf_counter()
        steps[str(last[1])] = now - float(last[0])
        last[:] = [now, name]
        progress.update(task, description=f"import: {name}")

    started = time.perf_counter()
    run_import(target, ImportPlan(total=rows), workdir, step=step, advance=lambda n: progress.advance(task, n))
    step("done")
    return time.perf_counter() - started, steps


def raw_load(target: MySQLTarget, rows: int, workdir: Path) -> float:
    """Seconds for one LOAD DATA of the same rows into the final table, indexes already there."""
    cities, _, _ = ImportPlan(total=rows).rows()
    tsv = workdir / "raw.tsv"
    write_tsv(cities, tsv)
    importer = CityImporter(target)
    try:
        importer.execute("DROP TABLE IF EXISTS cities_raw")
        importer.execute(f"CREATE TABLE cities_raw ({CITIES_COLUMNS}) {TABLE_OPTIONS}")
        importer.execute(f"ALTER TABLE cities_raw {CITIES_INDEXES}")
        started = time.perf_counter()
        importer.execute(load_data_sql("cities_raw", tsv))
        return time.perf_counter() - started
    finally:
        importer.execute("DROP TABLE IF EXISTS cities_raw")
        importer.close()
        tsv.unlink(missing_ok=True)


def drop(target: MySQLTarget) -> None:
    conn = target.connect(with_database=False)
    with conn.cursor() as cur:
        cur.execute(f"DROP DATABASE IF EXISTS `{target.database}`")
    conn.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mysql-url", help="use this server and database instead of a private MariaDB")
    parser.add_argument("--rows", type=int, default=SPEC_ROWS, help=f"rows to import ({SPEC_ROWS})")
    args = parser.parse_args()
    console = Console(width=120)
    with (
        tempfile.TemporaryDirectory(prefix="cloudkart-bench-cities-") as tmp,
        mariadb(args.mysql_url, Path(tmp)) as target,
    ):
        try:
            with Progress(console=console, transient=True) as progress:
                total, steps = timed_import(target, args.rows, Path(tmp), progress)
            with console.status("baseline: raw LOAD DATA of the same file"):
                raw = raw_load(target, args.rows, Path(tmp))
        finally:
            drop(target)
    table = Table(title=f"City import, {args.rows:,} rows")
    table.add_column("what")
    table.add_column("seconds", justify="right")
    table.add_column("rows/s", justify="right")
    for name, seconds in steps.items():
        table.add_row(f"  import step: {name}", f"{seconds:.2f}", "")
    table.add_row("cloudkart import-cities (all steps)", f"{total:.2f}", f"{args.rows / total:,.0f}")
    table.add_row("baseline: raw LOAD DATA, indexed table", f"{raw:.2f}", f"{args.rows / raw:,.0f}")
    table.add_row("ratio import / baseline", f"{total / raw:.2f}x", "")
    console.print(table)


if __name__ == "__main__":
    main()
