"""Entry point of the `cloudkart` command: a click group that every module in `commands/` extends."""

from __future__ import annotations

import importlib
import pkgutil

import click

from services.cli import commands
from services.common.failures import ExpectedFailure

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


class _Commands(click.Group):
    def invoke(self, ctx: click.Context) -> object:
        # One place for every command: an expected failure is its message, not a traceback.
        try:
            return super().invoke(ctx)
        except ExpectedFailure as exc:
            raise click.ClickException(str(exc)) from None


@click.group(cls=_Commands, context_settings=CONTEXT)
@click.version_option(package_name="cloudkart")
def cli() -> None:
    """CloudKart: run the shop, build its environments, and grade students' servers."""


def _load_commands() -> None:
    for module in pkgutil.iter_modules(commands.__path__):
        importlib.import_module(f"{commands.__name__}.{module.name}")


def main() -> None:
    _load_commands()
    cli()
