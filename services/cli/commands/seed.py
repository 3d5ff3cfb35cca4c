"""`cloudkart seed`: load the seed catalogue into the catalogue's MongoDB (MONGO_URL, or the embedded store)."""

from __future__ import annotations

import click

from services.cli.app import cli


@cli.command()
@click.option("--reset-stock", is_flag=True, help="Also set every product's stock back to the seed's qty.")
def seed(reset_stock: bool) -> None:
    """Load the seed products (services/catalogue/seed/products.yaml), upserting by sku.

    Safe to run again: existing products get the file's names, prices and categories, and keep their
    live stock unless --reset-stock is given.
    """
    from rich.progress import Progress

    from services.catalogue.seeding import load_seed, seed_products
    from services.common import mongo

    db = mongo.database()
    with Progress(transient=True) as bar:
        task = bar.add_task("Seeding products", total=len(load_seed()))
        report = seed_products(db, reset_stock=reset_stock, progress=lambda done: bar.advance(task, done))
    click.echo(f"seeded {report.inserted + report.updated} products ({report.inserted} new, {report.updated} updated)")
