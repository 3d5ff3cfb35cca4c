"""`cloudkart storefront build`: the static tree Nginx serves as the shop (contract 2)."""

from __future__ import annotations

from pathlib import Path

import click

from services.cli.app import cli


@cli.group()
def storefront() -> None:
    """The AngularJS storefront (served by Nginx, not by a Python service)."""


@storefront.command("build")
@click.option(
    "--out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write (Nginx's root: var/www locally, /opt/cloudkart/www on hosts). Replaced atomically.",
)
def build_command(out: Path) -> None:
    """Write index.html, the app's JS/CSS, Angular (from the xstatic-angular package, never a CDN)
    and the product images into OUT."""
    from services.storefront.build import build

    written = build(out)
    files = sum(1 for p in written.rglob("*") if p.is_file())
    click.echo(f"storefront: {files} files in {written}")
