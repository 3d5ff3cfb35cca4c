"""`cloudkart env`: the table of every environment variable the services read."""

from __future__ import annotations

import click

from services.cli.app import cli
from services.common.config import SERVICES, SETTINGS, settings_for


@cli.command("env")
@click.option("--service", type=click.Choice(SERVICES), help="Only the variables this service reads.")
@click.option("--markdown", is_flag=True, help="Print a Markdown table (used by the README and docs).")
def env_table(service: str | None, markdown: bool) -> None:
    """List every environment variable, its default and which services read it."""
    rows = settings_for(service) if service else list(SETTINGS.values())
    if markdown:
        click.echo("| Variable | Default | Used by | Meaning |\n| --- | --- | --- | --- |")
        for s in rows:
            click.echo(f"| `{s.name}` | `{s.default}` | {', '.join(s.used_by)} | {s.help} |")
        return
    from rich.console import Console
    from rich.table import Table

    table = Table("Variable", "Default", "Used by", "Meaning")
    for s in rows:
        table.add_row(s.name, s.default, ", ".join(s.used_by), s.help)
    Console().print(table)
