"""Cart service (port 8083): the caller's cart in Redis, priced from the catalogue, with shipping."""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from urllib.parse import quote

import bottle

from services.cart.pricing import to_money, totals
from services.cart.store import DEPENDENCY, NOT_IN_CART, OVER_STOCK, CartStore
from services.common import config, validate
from services.common.errors import BadRequest, Conflict, Forbidden, NotFound, Unavailable
from services.common.peers import Peer
from services.common.serve import run_http
from services.common.sessions import DEPENDENCY as SESSION_DEPENDENCY
from services.common.sessions import Session, SessionStore
from services.common.stores import redis_client
from services.common.web import make_app

MAX_QTY = 10_000
SKU_MAX_CHARS = 100


def tax_rate() -> Decimal:
    """CART_TAX_RATE as a Decimal fraction; a value that is not one stops the service at start."""
    value = config.get("CART_TAX_RATE")
    try:
        rate = to_money(value)
    except ValueError:
        rate = Decimal(-1)
    if not 0 <= rate <= 1:
        raise config.ConfigError(f"CART_TAX_RATE must be a fraction between 0 and 1 (e.g. 0.18), got {value!r}")
    return rate


class Catalogue:
    """The catalogue service, asked for a product's name, price and stock."""

    def __init__(self) -> None:
        self.peer = Peer("CATALOGUE_URL", "catalogue")

    def product(self, sku: str) -> tuple[dict[str, str], int]:
        """({name, price}, stock) of `sku`, or 404 if the catalogue does not know it."""
        reply = self.peer.call("GET", f"/api/catalogue/product/{quote(sku, safe='')}")
        if reply.status == 404:
            raise NotFound("product", sku)
        body = reply.body
        if 400 <= reply.status < 500:
            raise BadRequest(body.get("error", "catalogue rejected the sku") if isinstance(body, dict) else body)
        if reply.status != 200 or not isinstance(body, dict):
            raise Unavailable("catalogue", f"answered {reply.status} for product {sku!r}")
        try:
            item = {"name": str(body["name"]), "price": str(to_money(body["price"]))}
            stock = int(body.get("qty", 0))
        except (KeyError, TypeError, ValueError) as exc:
            raise Unavailable("catalogue", f"product {sku!r} has no usable name/price/qty") from exc
        return item, stock


def _sku_and_qty(minimum: int) -> tuple[str, int]:
    data = validate.json_body()
    sku = validate.string(data, "sku", max_len=SKU_MAX_CHARS)
    qty = validate.integer(data, "qty", minimum=minimum, maximum=MAX_QTY)
    return sku, qty


def create_app() -> bottle.Bottle:
    sessions = SessionStore()
    carts = CartStore(redis_client("CART_REDIS_URL"), config.get_int("SESSION_TTL"))
    catalogue = Catalogue()
    shipping = Peer("SHIPPING_URL", "shipping")
    rate = tax_rate()
    app = make_app("cart", {SESSION_DEPENDENCY: sessions.ping, DEPENDENCY: carts.ping})

    def session() -> Session:
        """The caller's session, with the user's cart from an earlier session brought into it."""
        current = sessions.require()
        carts.attach(current.id, current.user_id)
        return current

    def priced(session_id: str) -> dict[str, Any]:
        contents = carts.contents(session_id)
        cost = to_money(contents.shipping["cost"]) if contents.shipping else None
        body = totals(contents.lines, rate, cost)
        if contents.shipping:
            body["shipping"] = contents.shipping
        return body

    @app.get("/api/cart/")
    @app.get("/api/cart")
    def get_cart() -> dict[str, Any]:
        return priced(session().id)

    @app.post("/api/cart/items")
    def add_item() -> dict[str, Any]:
        current = session()
        sku, qty = _sku_and_qty(minimum=1)
        item, stock = catalogue.product(sku)
        change = carts.add(current.id, current.user_id, sku, qty, stock, item)
        if not change.ok:
            raise Conflict(
                f"only {stock} of {sku!r} in stock and {change.qty} already in the cart",
                available=stock,
                inCart=change.qty,
            )
        return priced(current.id)

    @app.post("/api/cart/update")
    def update_item() -> dict[str, Any]:
        current = session()
        sku, qty = _sku_and_qty(minimum=0)
        # Removing needs no catalogue call, so an item the catalogue dropped can still be removed.
        item, stock = catalogue.product(sku) if qty else ({}, 0)
        result = carts.set(current.id, current.user_id, sku, qty, stock, item)
        if result == NOT_IN_CART:
            raise NotFound("cart item", sku)
        if result == OVER_STOCK:
            raise Conflict(f"only {stock} of {sku!r} in stock", available=stock)
        return priced(current.id)

    @app.post("/api/cart/shipping")
    def choose_shipping() -> dict[str, Any]:
        current = session()
        city_id = validate.uuid_param(validate.string(validate.json_body(), "cityId", max_len=36), "cityId")
        reply = shipping.call("GET", f"/api/shipping/calc/{city_id}")
        if reply.status == 404:
            raise NotFound("city", city_id)
        if reply.status != 200 or not isinstance(reply.body, dict) or "cost" not in reply.body:
            raise Unavailable("shipping", f"answered {reply.status} for city {city_id}")
        calc = reply.body
        carts.set_shipping(
            current.id,
            {
                "cityId": city_id,
                "city": calc.get("city"),
                "country": calc.get("country"),
                "distance": calc.get("distance"),
                "cost": calc["cost"],
            },
        )
        return priced(current.id)

    @app.delete("/api/cart/<session_id>")
    def clear_cart(session_id: str) -> dict[str, Any]:
        current = sessions.require()
        if session_id != current.id:
            raise Forbidden("you can only clear the cart of your own session")
        carts.clear(current.id)
        return priced(current.id)

    return app


def main() -> None:
    run_http("cart", create_app)
