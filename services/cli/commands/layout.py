"""`cloudkart layout show|check`: the hosts of a layout, and validation that names the faulty field."""

from __future__ import annotations

import click

from services.cli.app import cli


@cli.group()
def layout() -> None:
    """The deployment layouts of layout.yml (all-in-one, cloudkart-12)."""


@layout.command()
@click.option("--layout", "layout_name", default="cloudkart-12", show_default=True, help="Layout in layout.yml.")
def show(layout_name: str) -> None:
    """Print the layout's hosts: name, address, size, roles and ports, in build order."""
    from rich.console import Console
    from rich.table import Table

    from services.deploy import layout as layouts

    loaded = layouts.load(layout_name)
    table = Table("Host", "Address", "Size", "Roles", "Ports", title=f"{loaded.name}: {loaded.description}")
    for host in loaded.hosts_in_build_order():
        ports = sorted({p.port for role in host.roles for p in loaded.roles[role].listens})
        table.add_row(host.name, host.address, host.size.name, ", ".join(host.roles), ", ".join(map(str, ports)))
    Console(width=140).print(table)


@layout.command()
@click.option("--file", "path", type=click.Path(exists=True, dir_okay=False), help="Another layout file to check.")
def check(path: str | None) -> None:
    """Validate every layout in layout.yml; exit 1 naming the field at fault."""
    from pathlib import Path

    from services.deploy import layout as layouts

    file = Path(path) if path else layouts.LAYOUT_FILE
    try:
        for name in layouts.names(file):
            loaded = layouts.load(name, file)
            click.echo(f"{name}: ok ({len(loaded.hosts)} hosts)")
    except layouts.LayoutError as exc:
        raise click.ClickException(f"{file}: {exc}") from None
