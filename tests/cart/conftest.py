"""Cart tests run the real cart, catalogue and shipping services on the session's real stores."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import requests
from pymongo.database import Database

from services.common.sessions import HEADER, SessionStore
from tests.shipping.conftest import cities_db, shipping_url
from tests.shipping.serving import session_server

__all__ = ["cities_db", "shipping_url"]


@dataclass
class CartClient:
    """One logged-in shopper talking to the cart service."""

    base: str
    session_id: str
    http: requests.Session

    def call(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        headers = {HEADER: self.session_id, **kwargs.pop("headers", {})}
        return self.http.request(method, self.base + path, headers=headers, timeout=10, **kwargs)

    def get(self) -> dict[str, Any]:
        answer = self.call("GET", "/api/cart/")
        assert answer.status_code == 200, answer.text
        return answer.json()

    def add(self, sku: str, qty: Any) -> requests.Response:
        return self.call("POST", "/api/cart/items", json={"sku": sku, "qty": qty})

    def update(self, sku: str, qty: Any) -> requests.Response:
        return self.call("POST", "/api/cart/update", json={"sku": sku, "qty": qty})


@pytest.fixture(scope="session")
def catalogue(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Database]]:
    """The real catalogue service on the seed catalogue, in an embedded MongoDB of its own.

    Shared by all cart tests (seeding takes seconds); a test that depends on a stock level sets it."""
    from services.catalogue.app import create_app
    from services.catalogue.seeding import seed_products
    from services.common import mongo

    env = {
        "MONGO_URL": "",
        "EMBEDDED_MONGO_DIR": str(tmp_path_factory.mktemp("catalogue")),
        "LOG_LEVEL": "WARNING",
        # Tests here set stock straight in the store, behind the service's back: it must read it uncached.
        "CATALOGUE_CACHE_SECONDS": "0",
    }
    with pytest.MonkeyPatch.context() as patch:
        for name, value in env.items():
            patch.setenv(name, value)
        db = mongo.database()
    seed_products(db)
    with session_server(create_app, env) as url:
        yield url, db
    db.client.close()


@pytest.fixture
def catalogue_db(catalogue: tuple[str, Database]) -> Database:
    return catalogue[1]


@pytest.fixture(scope="session")
def cart_url(catalogue: tuple[str, Database], shipping_url: str, redis_url: str) -> Iterator[str]:
    from services.cart.app import create_app

    env = {
        "CATALOGUE_URL": catalogue[0],
        "SHIPPING_URL": shipping_url,
        "SESSION_REDIS_URL": redis_url,
        "CART_REDIS_URL": redis_url,
        "LOG_LEVEL": "WARNING",
    }
    with session_server(create_app, env) as url:
        yield url


@pytest.fixture
def login(service_env: dict[str, str]) -> Callable[..., str]:
    """Create a session the way the user service does; returns its id."""

    def create(user_id: str | None = None) -> str:
        return SessionStore().create(user_id or f"user-{uuid.uuid4()}")

    return create


@pytest.fixture
def shopper(cart_url: str, login: Callable[..., str]) -> CartClient:
    return CartClient(cart_url, login(), requests.Session())
