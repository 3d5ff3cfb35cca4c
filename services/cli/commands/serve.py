"""`cloudkart serve SERVICE`: run one service in the foreground (what each systemd unit runs)."""

from __future__ import annotations

import importlib

import click

from services.cli.app import cli
from services.common.config import SERVICES


@cli.command()
@click.argument("service", type=click.Choice(SERVICES))
def serve(service: str) -> None:
    """Run SERVICE in the foreground, logging JSON lines to stdout.

    Its settings come from environment variables (see `cloudkart env`).
    """
    importlib.import_module(f"services.{service}.app").main()
