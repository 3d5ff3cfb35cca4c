"""`cloudkart hosts ...`: the layout's servers as local systemd hosts (systemd-nspawn), for labs and CI."""

from __future__ import annotations

import os

import click

from services.cli.app import cli

# The layout name is checked when it is used, not at import: every `cloudkart` command imports this
# module, including on hosts whose installed package has no layout.yml.
LAYOUT = click.option(
    "--layout", "layout_name", default="cloudkart-12", show_default=True, help="Layout in layout.yml."
)
ONLY = click.option("--only", help="Comma-separated host names (default: every host of the layout).")


def host_names(value: str | None) -> list[str] | None:
    """An --only value (comma-separated host names) as a list; None when not given."""
    return [n.strip() for n in value.split(",") if n.strip()] if value else None


def _hosts(layout_name: str):
    from services.deploy.layout import LayoutError
    from services.hosts import LocalHosts

    try:
        return LocalHosts(layout_name)
    except LayoutError as exc:
        raise click.BadParameter(str(exc), param_hint="--layout") from None


@cli.group()
def hosts() -> None:
    """Local test hosts: each layout host is a systemd-nspawn container with real systemd (needs root)."""


@hosts.command()
@LAYOUT
@ONLY
def up(layout_name: str, only: str | None) -> None:
    """Boot the hosts on bridge ckbr0 (10.231.0.0/24) and write their inventory.

    The first run builds a Debian 12 base with debootstrap; packages come through an apt cache
    on the bridge address, so later runs are fast.
    """
    local = _hosts(layout_name)
    local.up(only=host_names(only))
    click.echo(f"inventory: {local.inventory_path()}")
    click.echo("timings: " + ", ".join(f"{k} {v:.1f} s" for k, v in local.timings.items()))


@hosts.command()
@LAYOUT
@click.option("--keep-files", is_flag=True, help="Keep each host's disk (overlay upper dir) for a later `up`.")
def down(layout_name: str, keep_files: bool) -> None:
    """Stop every local host, the apt cache and the bridge; leaves no process, mount or cgroup behind."""
    local = _hosts(layout_name)
    local.down(keep_files=keep_files)
    click.echo(f"down in {local.timings['down']:.1f} s")


@hosts.command()
@LAYOUT
def status(layout_name: str) -> None:
    """A table of the layout's hosts: roles, address and systemd state."""
    from rich.console import Console
    from rich.table import Table

    table = Table("Host", "Roles", "Address", "State")
    for row in _hosts(layout_name).status():
        table.add_row(row["host"], row["roles"], row["address"], row["state"])
    Console().print(table)


@hosts.command(name="exec", context_settings={"ignore_unknown_options": True})
@LAYOUT
@click.argument("host")
@click.argument("command", nargs=-1, required=True, type=click.UNPROCESSED)
def exec_(layout_name: str, host: str, command: tuple[str, ...]) -> None:
    """Run COMMAND as root inside HOST, e.g. `cloudkart hosts exec frontend -- systemctl status nginx`."""
    from services.hosts.nspawn import Nspawn

    _hosts(layout_name).names([host])
    argv = Nspawn(host).command(list(command))
    os.execvp(argv[0], argv)  # noqa: S606 (replaces this process: the exit code is the command's)


@hosts.command()
@LAYOUT
@click.argument("host")
def ssh(layout_name: str, host: str) -> None:
    """Open an ssh session to HOST over the bridge, as a student would reach a real server."""
    from services.hosts.local import SSH_CONFIG

    local = _hosts(layout_name)
    address = local.addresses()[local.names([host])[0]]
    os.execvp("ssh", ["ssh", "-F", str(SSH_CONFIG), f"root@{address}"])  # noqa: S606 (interactive: ssh takes over)


@hosts.command()
@LAYOUT
@ONLY
@click.option("--jobs", default=4, show_default=True, help="Hosts provisioned at the same time (1: one by one).")
@click.option(
    "--cities-limit", type=click.IntRange(min=1), help="Import only the N most populous cities (default: all)."
)
def provision(layout_name: str, only: str | None, jobs: int, cities_limit: int | None) -> None:
    """Render the configs for these hosts, copy code, bundle and wheels, and run each role's script.

    Roles run in layout.yml's build_order, in parallel where that order allows.
    Logs: var/hosts/<layout>/logs/<host>.log.
    """
    from services.hosts.provision import provision_hosts

    timings = provision_hosts(_hosts(layout_name), only=host_names(only), jobs=jobs, cities_limit=cities_limit)
    click.echo("timings: " + ", ".join(f"{k} {v:.1f} s" for k, v in timings.items()))
