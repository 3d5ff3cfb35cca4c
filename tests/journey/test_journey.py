"""The whole API journey across all six services, on real stores, as the spec's data flow draws it:
register -> login -> products -> add to cart -> shipping -> pay -> the order processor consumes the order.

Each HTTP service runs its real create_app under waitress on a free port, pointed at the others; the
order processor consumes from the session's private RabbitMQ. Nothing is stubbed.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from services.common import amqp
from tests.orders import queues
from tests.shipping.cities_db import imported_cities, url_of
from tests.shipping.serving import session_server
from tests.support.stores import StoreSet


@contextlib.contextmanager
def shop(stores: StoreSet, workdir: Path) -> Iterator[dict[str, str]]:
    """All five HTTP services started in dependency order; yields their base URLs by name."""
    from services.cart.app import create_app as cart_app
    from services.catalogue.app import create_app as catalogue_app
    from services.catalogue.seeding import seed_products
    from services.common import mongo
    from services.payment.app import create_app as payment_app
    from services.shipping.app import create_app as shipping_app
    from services.user.app import create_app as user_app

    env = {
        "SESSION_REDIS_URL": stores.redis_url,
        "CART_REDIS_URL": stores.redis_url,
        "AMQP_URL": stores.amqp_url,
        "MONGO_URL": stores.mongo_url,
        "MONGO_DB": f"journey_{uuid.uuid4().hex[:8]}",  # a catalogue and users of its own
        "LOG_LEVEL": "WARNING",
    }
    urls: dict[str, str] = {}
    with contextlib.ExitStack() as running, pytest.MonkeyPatch.context() as patch:
        for name, value in env.items():
            patch.setenv(name, value)
        seed_products(mongo.database())
        cities = running.enter_context(imported_cities(stores.mysql_url, workdir))
        urls["shipping"] = running.enter_context(session_server(shipping_app, {"MYSQL_URL": url_of(cities)}))
        urls["catalogue"] = running.enter_context(session_server(catalogue_app, {}))
        urls["user"] = running.enter_context(session_server(user_app, {}))
        peers = {"CATALOGUE_URL": urls["catalogue"], "SHIPPING_URL": urls["shipping"]}
        urls["cart"] = running.enter_context(session_server(cart_app, peers))
        urls["payment"] = running.enter_context(
            session_server(payment_app, {"USER_URL": urls["user"], "CART_URL": urls["cart"]})
        )
        yield urls


@contextlib.contextmanager
def order_processor(catalogue_url: str) -> Iterator[None]:
    from services.orders.app import create_consumer

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CATALOGUE_URL", catalogue_url)
        patch.setenv("ORDER_PROCESSING_SECONDS", "0.2")
        consumer = create_consumer()
    thread = threading.Thread(target=consumer.run)
    thread.start()
    try:
        yield
    finally:
        consumer.stop()
        thread.join(timeout=15)


def test_register_to_processed_order(stores: StoreSet, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    queues.reset(stores.amqp_url)
    with shop(stores, tmp_path) as url, caplog.at_level(logging.INFO, logger="cloudkart.orders"):
        http = requests.Session()
        name = "j" + uuid.uuid4().hex[:10]
        user = {"username": name, "email": f"{name}@example.com", "password": "a long passphrase 7"}
        assert http.post(f"{url['user']}/api/user/register", json=user, timeout=10).status_code == 201
        login = http.post(f"{url['user']}/api/user/login", json={"username": name, "password": user["password"]})
        session = login.json()["sessionId"]
        http.headers["X-Session-Id"] = session

        products = http.get(f"{url['catalogue']}/api/catalogue/products", timeout=10).json()
        product = next(p for p in products if p["qty"] >= 2)
        added = http.post(f"{url['cart']}/api/cart/items", json={"sku": product["sku"], "qty": 2}, timeout=10)
        assert added.status_code == 200, added.text

        [city, *_] = http.get(f"{url['shipping']}/api/shipping/match/GB/London", timeout=10).json()
        shipped = http.post(f"{url['cart']}/api/cart/shipping", json={"cityId": city["uuid"]}, timeout=10)
        assert shipped.status_code == 200, shipped.text
        cart = shipped.json()
        assert cart["shipping"]["cityId"] == city["uuid"]
        assert cart["total"] > 2 * product["price"]

        paid = http.post(f"{url['payment']}/api/payment/pay/{session}", timeout=10)
        assert paid.status_code == 200, paid.text
        orderid = paid.json()["orderid"]
        assert paid.json()["total"] == cart["total"]
        assert http.get(f"{url['cart']}/api/cart/", timeout=10).json()["items"] == []

        def emailed() -> bool:
            return any(getattr(r, "orderid", None) == orderid and "email" in r.getMessage() for r in caplog.records)

        with order_processor(url["catalogue"]):
            # The processor logs the email after the warehouse answered, so the stock is final by then.
            queues.wait_until(emailed, what="the order processor to confirm the order")
        product_now = http.get(f"{url['catalogue']}/api/catalogue/product/{product['sku']}", timeout=10).json()
        assert product_now["qty"] == product["qty"] - 2
    assert queues.depth(stores.amqp_url) == 0
    assert queues.depth(stores.amqp_url, amqp.DEAD_QUEUE) == 0
    received = [r for r in caplog.records if r.getMessage() == "order received"]
    assert [r.orderid for r in received] == [orderid]
