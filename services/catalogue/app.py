"""The catalogue service (port 8082): products, one product, categories, and the internal stock reservation."""

from __future__ import annotations

from typing import Any

import bottle

from services.catalogue import rules
from services.catalogue.cache import TtlCache
from services.catalogue.products import Catalogue
from services.common import config, mongo, validate
from services.common.serve import run_http
from services.common.web import json_list, make_app


def create_app() -> bottle.Bottle:
    db = mongo.database()
    catalogue = Catalogue(db, TtlCache(config.get_float("CATALOGUE_CACHE_SECONDS")))
    app = make_app("catalogue", {"mongodb": lambda: mongo.ping(db)})

    @app.get("/api/catalogue/products")
    def products() -> str:
        category = rules.search_term(bottle.request.query.getunicode("category"), "category")
        text = rules.search_term(bottle.request.query.getunicode("q"), "q")
        return json_list(catalogue.list(category=category, text=text))

    @app.get("/api/catalogue/product/<sku>")
    def product(sku: str) -> dict[str, Any]:
        return catalogue.get(rules.sku(sku))

    @app.get("/api/catalogue/categories")
    def categories() -> str:
        return json_list(catalogue.categories())

    @app.post("/api/catalogue/reserve")
    def reserve() -> dict[str, Any]:
        orderid, lines = rules.reservation(validate.json_body())
        return catalogue.reserve(orderid, lines)

    return app


def main() -> None:
    run_http("catalogue", create_app)
