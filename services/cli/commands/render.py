"""`cloudkart render`: every host's configs (Nginx, systemd, env files, data stores, firewall) from a layout."""

from __future__ import annotations

from pathlib import Path

import click

from services.cli.app import cli


@cli.command()
@click.option("--layout", "layout_name", default="cloudkart-12", show_default=True, help="Layout in layout.yml.")
@click.option("--host", "host_names", multiple=True, help="Only this host (repeatable). Default: every host.")
@click.option(
    "--inventory",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Inventory JSON whose addresses replace the layout's (local hosts, Terraform, Vagrant).",
)
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), required=True, help="Writes OUT/<host>/.")
@click.option("--www-dir", default="/opt/cloudkart/www", show_default=True, help="Nginx root: the storefront tree.")
@click.option(
    "--admin-cidr", default="10.231.0.0/24", show_default=True, help="Where SSH (and the RabbitMQ UI) may come from."
)
@click.option("--mongo-standin", is_flag=True, help="Database hosts run the briskdb stand-in as mongod.service.")
@click.option(
    "--secrets-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Where <layout>.json with the generated passwords lives.  [default: var/secrets]",
)
def render(
    layout_name: str,
    host_names: tuple[str, ...],
    inventory: Path | None,
    out: Path,
    www_dir: str,
    admin_cidr: str,
    mongo_standin: bool,
    secrets_dir: Path | None,
) -> None:
    """Render the configs of a layout's hosts into OUT/<host>/ (see host.json in each folder).

    Passwords are generated once per layout into var/secrets/<layout>.json (0600) and reused.
    """
    import dataclasses
    import ipaddress

    from services.deploy import inventory as inventory_file
    from services.deploy import layout as layouts
    from services.deploy.render import RenderOptions, render_layout

    try:
        ipaddress.ip_network(admin_cidr, strict=False)
    except ValueError:
        raise click.BadParameter(
            f"{admin_cidr!r} is not a CIDR such as 10.0.0.0/24", param_hint="--admin-cidr"
        ) from None
    layout = layouts.load(layout_name)
    if inventory:
        inv = inventory_file.load(inventory)
        if inv.layout != layout_name:
            raise click.UsageError(f"{inventory} is an inventory of layout {inv.layout!r}, not {layout_name!r}")
        layout = layout.with_addresses(inv.addresses())
    options = RenderOptions(www_dir=www_dir, admin_cidr=admin_cidr, mongo_standin=mongo_standin)
    if secrets_dir:
        options = dataclasses.replace(options, secrets_dir=secrets_dir)
    folders = render_layout(layout, out, options, list(host_names))
    for folder in folders:
        click.echo(f"rendered {folder}")
