"""`cloudkart up|down|status|logs`: the whole shop on this machine (see services/localrun/shop.py)."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from services.cli.app import cli
from services.common.config import SERVICES

STATE_DIR = click.option(
    "--state-dir",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="CLOUDKART_STATE_DIR",
    help="Folder for pid files, logs and private store data (default: var/ in the repo).",
)
LOG_PARTS = (*SERVICES, "nginx", "import-cities", "seed", "storefront")


def _shop(state_dir: Path | None, port_base: int | None = None, cities_limit: int | None = None):
    from services.localrun.ports import Ports
    from services.localrun.shop import DEFAULT_STATE_DIR, Shop

    state = state_dir or DEFAULT_STATE_DIR
    try:
        ports = Ports.from_base(port_base) if port_base else None
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--port-base") from None
    return Shop(state, ports, cities_limit=cities_limit)


def _print_status(parts) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table("Part", "PID", "Port", "Health", "Started by")
    for part in parts:
        colour = "green" if part.health == "up" else "red"
        table.add_row(part.name, str(part.pid or "-"), str(part.port or "-"), f"[{colour}]{part.health}", part.owner)
    Console().print(table)


@cli.command()
@STATE_DIR
@click.option(
    "--port-base",
    type=int,
    envvar="CLOUDKART_PORT_BASE",
    help="Run on a block of ports from this one (Nginx here, services at +1..+6, stores at +10..+13) "
    "instead of the spec's ports, e.g. to run a second shop beside the first.",
)
@click.option("--cities-limit", type=click.IntRange(min=1), help="Import only the N most populous cities (faster).")
def up(state_dir: Path | None, port_base: int | None, cities_limit: int | None) -> None:
    """Bring the whole shop up: data stores, cities, products, the six services, storefront and Nginx.

    Redis, MariaDB and RabbitMQ already answering on their ports are reused; missing ones are started
    privately under the state folder. Running it again reuses whatever is already running.
    """
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from services.localrun.shop import ShopError

    shop = _shop(state_dir, port_base, cities_limit)
    steps = shop.steps()
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn()) as progress:
        task = progress.add_task("starting", total=len(steps))

        def step(name: str) -> None:
            progress.update(task, description=f"starting: {name}", completed=[s for s, _ in steps].index(name))

        try:
            parts = shop.up(step)
        except ShopError as exc:
            progress.stop()
            click.echo(f"cloudkart up: {exc}", err=True)
            sys.exit(1)
        progress.update(task, description="started", completed=len(steps))
    for notice in shop.notices:
        click.echo(f"note: {notice}")
    _print_status(parts)
    click.echo(f"\nThe shop is at {shop.url}/  (stop it with `cloudkart down`)")


@cli.command()
@STATE_DIR
def down(state_dir: Path | None) -> None:
    """Stop everything `up` started (by its pid files), and nothing else."""
    stopped = _shop(state_dir).down()
    click.echo(f"stopped: {', '.join(stopped)}" if stopped else "nothing was running")


@cli.command()
@STATE_DIR
def status(state_dir: Path | None) -> None:
    """A table of every part of the local shop: pid, port and health. Exit code 1 if any part is down."""
    parts = _shop(state_dir).status()
    _print_status(parts)
    sys.exit(0 if all(p.health == "up" for p in parts) else 1)


@cli.command()
@STATE_DIR
@click.argument("part", type=click.Choice(LOG_PARTS))
@click.option("-f", "--follow", is_flag=True, help="Keep printing new lines as they come (Ctrl-C to stop).")
def logs(state_dir: Path | None, part: str, follow: bool) -> None:
    """Print the log of PART (a service, nginx, or a setup step) of the local shop."""
    path = _shop(state_dir).log_path(part)
    if not path.exists():
        raise click.ClickException(f"no log yet at {path}: has `cloudkart up` started {part}?")
    with open(path, errors="replace") as log:
        sys.stdout.write(log.read())
        while follow:
            line = log.readline()
            if line:
                sys.stdout.write(line)
                sys.stdout.flush()
            else:
                time.sleep(0.3)
