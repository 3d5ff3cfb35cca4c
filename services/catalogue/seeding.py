"""The seed catalogue (seed/products.yaml) and loading it into MongoDB idempotently.

Loading upserts by sku: descriptions and prices follow the file, while the live stock of a product
that already exists is kept (orders took from it) unless `reset_stock` is asked for.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from typing import Any

import yaml
from pymongo.database import Database
from pymongo.errors import DuplicateKeyError

from services.catalogue.products import Catalogue

STORED_FIELDS = ("sku", "name", "description", "price", "image", "qty", "categories")


@dataclass
class SeedReport:
    inserted: int = 0
    updated: int = 0


def load_seed() -> list[dict[str, Any]]:
    """Every product of the seed file, with its `image` path filled in."""
    text = resources.files("services.catalogue").joinpath("seed/products.yaml").read_text()
    products = yaml.safe_load(text)["products"]
    for product in products:
        product["image"] = f"/images/{product['sku']}.svg"
    return products


def stored(product: dict[str, Any]) -> dict[str, Any]:
    """The fields the catalogue keeps (the seed's artwork hints stay out of the database)."""
    return {field: product[field] for field in STORED_FIELDS}


def seed_products(
    db: Database, *, reset_stock: bool = False, progress: Callable[[], None] = lambda: None
) -> SeedReport:
    products = Catalogue(db).products()
    report = SeedReport()
    for product in map(stored, load_seed()):
        fields = {k: v for k, v in product.items() if k != "qty" or reset_stock}
        if products.update_one({"sku": product["sku"]}, {"$set": fields}).matched_count:
            report.updated += 1
        else:
            try:
                products.insert_one(product)
                report.inserted += 1
            except DuplicateKeyError:
                # A concurrent seed inserted it first: then it is an update like the others.
                products.update_one({"sku": product["sku"]}, {"$set": fields})
                report.updated += 1
        progress()
    return report
