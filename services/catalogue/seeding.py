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
from pymongo.errors import BulkWriteError

from services.catalogue.products import Catalogue
from services.common.mongo import retry_conflicts

DUPLICATE_KEY = 11000
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
    db: Database, *, reset_stock: bool = False, progress: Callable[[int], None] = lambda done: None
) -> SeedReport:
    products = Catalogue(db).products()
    wanted = [stored(p) for p in load_seed()]
    existing = {p["sku"] for p in products.find({"sku": {"$in": [p["sku"] for p in wanted]}}, {"sku": 1})}
    report = SeedReport()
    for product in (p for p in wanted if p["sku"] in existing):
        fields = {k: v for k, v in product.items() if k != "qty" or reset_stock}
        retry_conflicts(
            lambda product=product, fields=fields: products.update_one({"sku": product["sku"]}, {"$set": fields})
        )
        report.updated += 1
        progress(1)
    new = [p for p in wanted if p["sku"] not in existing]
    if new:
        try:
            # One batch: on a fresh store this is most of the work, and one write instead of dozens.
            retry_conflicts(lambda: products.insert_many(new, ordered=False))
        except BulkWriteError as exc:
            # Only "a concurrent seed inserted it first" is fine: theirs is the same product.
            if any(error["code"] != DUPLICATE_KEY for error in exc.details["writeErrors"]):
                raise
        report.inserted += len(new)
        progress(len(new))
    return report
