"""Payment under test: the real user service, a cart stand-in, and the session's private RabbitMQ."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
import requests

from tests.orders import queues
from tests.payment.cart_standin import CartStandin
from tests.shipping.serving import session_server
from tests.support.stores import StoreSet


@dataclass
class PaymentRig:
    url: str
    cart: CartStandin
    amqp_url: str
    login: Callable[[], str]

    def pay(self, session_id: str, header: str | None = None) -> requests.Response:
        caller = session_id if header is None else header
        return requests.post(f"{self.url}/api/payment/pay/{session_id}", headers={"X-Session-Id": caller}, timeout=10)


@pytest.fixture(scope="module")
def user_url(stores: StoreSet) -> Iterator[str]:
    """The real user service, one per module: each app keeps its MongoDB client open, and the Mongo
    stand-in accepts only about 30 connections, so one app per test would exhaust it."""
    from services.user.app import create_app

    env = {"SESSION_REDIS_URL": stores.redis_url, "MONGO_URL": stores.mongo_url, "LOG_LEVEL": "WARNING"}
    with session_server(create_app, env) as url:
        yield url


@pytest.fixture
def login(user_url: str) -> Callable[[], str]:
    """Registers a fresh user and returns a session id from a real login."""

    def new_session() -> str:
        name = "u" + uuid.uuid4().hex[:12]
        form = {"username": name, "email": f"{name}@example.com", "password": "correct horse 42"}
        registered = requests.post(f"{user_url}/api/user/register", json=form, timeout=10)
        assert registered.status_code == 201, registered.text
        credentials = {"username": name, "password": form["password"]}
        answer = requests.post(f"{user_url}/api/user/login", json=credentials, timeout=10)
        return answer.json()["sessionId"]

    return new_session


def start_payment(
    monkeypatch: pytest.MonkeyPatch,
    live_server: Callable[..., str],
    user_url: str,
    login: Callable[[], str],
    amqp_url: str,
) -> PaymentRig:
    """Payment pointed at `amqp_url`, the real user service and a fresh cart stand-in."""
    from services.payment.app import create_app

    cart = CartStandin()
    monkeypatch.setenv("USER_URL", user_url)
    monkeypatch.setenv("CART_URL", live_server(cart.app))
    monkeypatch.setenv("AMQP_URL", amqp_url)
    return PaymentRig(live_server(create_app()), cart, amqp_url, login)


@pytest.fixture
def rig(
    monkeypatch: pytest.MonkeyPatch,
    live_server: Callable[..., str],
    user_url: str,
    login: Callable[[], str],
    service_env: dict[str, str],
) -> PaymentRig:
    queues.reset(service_env["AMQP_URL"])  # the session's broker: empty the queues earlier tests left
    return start_payment(monkeypatch, live_server, user_url, login, service_env["AMQP_URL"])
