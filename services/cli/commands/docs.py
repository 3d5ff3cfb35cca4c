"""`cloudkart docs build|serve`: the course site (mkdocs-material), built strictly so a broken link or
include fails instead of shipping."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import click

from services.cli.app import cli

ROOT = Path(__file__).resolve().parents[3]


def _mkdocs(*args: str) -> int:
    # The hooks render configs and read checks/ relative to the repository, so mkdocs runs from its root.
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run([sys.executable, "-m", "mkdocs", *args], cwd=ROOT, env=env).returncode


@cli.group()
def docs() -> None:
    """The course site: labs, instructor's guide, operations and API reference (docs/, mkdocs.yml)."""


@docs.command("build")
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=ROOT / "site",
    show_default=True,
    help="Folder for the static site (open OUT/index.html or serve it with any web server).",
)
def build_command(out: Path) -> None:
    """Build the site with `mkdocs build --strict`: any warning (broken link, missing include) fails."""
    code = _mkdocs("build", "--strict", "--site-dir", str(out.resolve()))
    if code:
        raise click.ClickException(f"mkdocs build --strict failed (exit {code}); the lines above say why")
    click.echo(f"site: {out.resolve()}/index.html")


@docs.command("serve")
@click.option("--address", default="127.0.0.1:8000", show_default=True, help="HOST:PORT to serve on.")
def serve_command(address: str) -> None:
    """Serve the site with live reload while you edit docs/ (Ctrl-C to stop)."""
    sys.exit(_mkdocs("serve", "--strict", "--dev-addr", address))
