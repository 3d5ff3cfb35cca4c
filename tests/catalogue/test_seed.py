"""The seed catalogue's content, its tiles, and `cloudkart seed`."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from click.testing import CliRunner

from services.catalogue import artwork
from services.catalogue.seeding import load_seed
from services.cli.app import _load_commands, cli
from services.common import mongo

SEED = load_seed()


def test_seed_is_a_real_course_shop():
    skus = [p["sku"] for p in SEED]
    assert len(skus) >= 24 and len(set(skus)) == len(skus)
    assert len({c for p in SEED for c in p["categories"]}) >= 5
    for product in SEED:
        assert isinstance(product["price"], int) and 499 <= product["price"] <= 9999, product["sku"]
        assert isinstance(product["qty"], int) and product["qty"] > 0
        assert len(product["description"]) > 40 and product["name"] != product["sku"]
        assert set(product["categories"]) <= artwork.CATEGORY_HUES.keys()


def test_every_product_has_its_own_committed_tile_as_drawn():
    tiles = {}
    for product in SEED:
        path = artwork.IMAGES / f"{product['sku']}.svg"
        text = path.read_text()
        # The committed file is what the generator draws now: the seed and the tiles cannot drift apart.
        assert text == artwork.tile(product), f"{path} is stale: run python -m services.catalogue.artwork"
        root = ET.fromstring(text)  # noqa: S314 (our own generated file, not untrusted input)
        assert root.tag.endswith("svg") and root.get("aria-label") == product["name"]
        tiles[product["sku"]] = text
    assert len(set(tiles.values())) == len(SEED)
    assert sorted(p.stem for p in artwork.IMAGES.glob("*.svg")) == sorted(tiles)


def test_tile_text_is_escaped():
    product = {**SEED[0], "name": "A & B <C>", "short": "Git & <Ops>", "monogram": "<&>"}
    root = ET.fromstring(artwork.tile(product))  # noqa: S314 (our own generated text)
    assert root.get("aria-label") == "A & B <C>"
    assert "Git & <Ops>" in "".join(root.itertext())


def run_seed(*args: str):
    _load_commands()
    return CliRunner().invoke(cli, ["seed", *args], catch_exceptions=False)


def test_seed_command_is_idempotent_and_keeps_live_stock_unless_told(mongo_mode, close_mongo_clients):
    first = run_seed()
    assert first.exit_code == 0 and f"{len(SEED)} new" in first.output
    products = mongo.database()["products"]
    products.update_one({"sku": "Linux"}, {"$set": {"qty": 3, "price": 1}})

    again = run_seed()
    assert again.exit_code == 0 and f"0 new, {len(SEED)} updated" in again.output
    linux = products.find_one({"sku": "Linux"})
    assert linux["qty"] == 3 and linux["price"] == 1999
    assert products.count_documents({}) == len(SEED)

    run_seed("--reset-stock")
    assert products.find_one({"sku": "Linux"})["qty"] == 100


def test_seed_command_has_help():
    _load_commands()
    answer = CliRunner().invoke(cli, ["seed", "--help"])
    assert answer.exit_code == 0 and "--reset-stock" in answer.output
