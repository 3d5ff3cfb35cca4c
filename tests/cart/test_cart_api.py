"""The cart service over HTTP, with the real catalogue and shipping services and real Redis."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest
import redis
import requests

from services.cart.store import cart_key
from tests.cart.conftest import CartClient
from tests.conftest import free_port


def test_add_takes_name_and_price_from_the_catalogue(shopper: CartClient) -> None:
    answer = shopper.add("Linux", 3)
    assert answer.status_code == 200, answer.text
    assert answer.json() == {
        "total": 5997,
        "tax": 0,
        "items": [{"sku": "Linux", "name": "Linux Administration", "price": 1999, "qty": 3, "subtotal": 5997}],
    }
    assert shopper.get() == answer.json()


def test_adds_accumulate_and_update_sets_or_removes(shopper: CartClient) -> None:
    shopper.add("Linux", 1)
    shopper.add("Linux", 2)
    shopper.add("Bash", 1)
    assert {i["sku"]: i["qty"] for i in shopper.get()["items"]} == {"Linux": 3, "Bash": 1}
    assert shopper.update("Linux", 5).json()["total"] == 5 * 1999 + 999
    assert [i["sku"] for i in shopper.update("Linux", 0).json()["items"]] == ["Bash"]


@pytest.mark.parametrize("sku", ["NoSuchCourse", "../../etc", "Linux/../Bash", "' OR 1=1"])
def test_unknown_or_malformed_sku_is_a_4xx_and_adds_nothing(shopper: CartClient, sku: str) -> None:
    answer = shopper.add(sku, 1)
    assert answer.status_code in (400, 404), answer.text  # 400 when the catalogue finds the sku malformed
    assert answer.json()["error"]
    assert shopper.get()["items"] == []


def test_more_than_stock_is_409_and_the_cart_keeps_what_it_had(shopper: CartClient) -> None:
    assert shopper.add("Linux", 99).status_code == 200  # seed stock is 100
    answer = shopper.add("Linux", 2)
    assert answer.status_code == 409
    assert answer.json()["available"] == 100 and answer.json()["inCart"] == 99
    assert shopper.update("Linux", 101).status_code == 409
    assert shopper.get()["items"][0]["qty"] == 99


def test_update_of_an_item_not_in_the_cart_is_404(shopper: CartClient) -> None:
    answer = shopper.update("Linux", 2)
    assert answer.status_code == 404
    assert "cart item" in answer.json()["error"]


@pytest.mark.parametrize(
    ("body", "status", "fragment"),
    [
        ({"sku": "Linux", "qty": 0}, 400, "qty must be between 1"),
        ({"sku": "Linux", "qty": -3}, 400, "qty must be between 1"),
        ({"sku": "Linux", "qty": 10**12}, 400, "qty must be between 1"),
        ({"sku": "Linux", "qty": 1.5}, 400, "whole number"),
        ({"sku": "Linux", "qty": "2"}, 400, "whole number"),
        ({"sku": "Linux", "qty": True}, 400, "whole number"),
        ({"sku": "Linux"}, 400, "qty is required"),
        ({"qty": 1}, 400, "sku is required"),
        ({"sku": 42, "qty": 1}, 400, "sku must be a string"),
        ({"sku": "", "qty": 1}, 400, "sku must be 1 to"),
        ({"sku": "x" * 101, "qty": 1}, 400, "sku must be 1 to"),
        ([{"sku": "Linux", "qty": 1}], 400, "JSON object"),
    ],
)
def test_bad_add_bodies_are_400_saying_why(shopper: CartClient, body: object, status: int, fragment: str) -> None:
    answer = shopper.call("POST", "/api/cart/items", json=body)
    assert answer.status_code == status, answer.text
    assert fragment in answer.json()["error"]
    assert shopper.get()["items"] == []


@pytest.mark.parametrize(
    ("data", "headers", "status"),
    [
        (b"{not json", {"Content-Type": "application/json"}, 400),
        (b"", {"Content-Type": "application/json"}, 400),
        (b'{"sku": "Linux", "qty": 1}', {"Content-Type": "text/plain"}, 415),
        (b'{"sku": "' + b"x" * 20_000 + b'", "qty": 1}', {"Content-Type": "application/json"}, 413),
    ],
)
def test_malformed_bodies_are_4xx_json(shopper: CartClient, data: bytes, headers: dict, status: int) -> None:
    answer = shopper.call("POST", "/api/cart/items", data=data, headers=headers)
    assert answer.status_code == status
    assert answer.json()["error"]


def test_update_rejects_negative_and_bool(shopper: CartClient) -> None:
    shopper.add("Linux", 1)
    for qty in (-1, True, None, "0"):
        answer = shopper.update("Linux", qty)
        assert answer.status_code == 400, qty
    assert shopper.get()["items"][0]["qty"] == 1


def test_every_call_needs_a_live_session(cart_url: str) -> None:
    for headers in ({}, {"X-Session-Id": str(uuid.uuid4())}, {"X-Session-Id": "' OR 1=1"}):
        answer = requests.get(cart_url + "/api/cart/", headers=headers, timeout=10)
        assert answer.status_code == 401
        assert answer.json()["error"]


def test_delete_clears_only_the_callers_own_cart(cart_url: str, login: Callable[..., str]) -> None:
    alice = CartClient(cart_url, login(), requests.Session())
    bob = CartClient(cart_url, login(), requests.Session())
    alice.add("Linux", 1)
    answer = bob.call("DELETE", f"/api/cart/{alice.session_id}")
    assert answer.status_code == 403
    assert len(alice.get()["items"]) == 1
    answer = alice.call("DELETE", f"/api/cart/{alice.session_id}")
    assert answer.status_code == 200
    assert answer.json() == {"total": 0, "tax": 0, "items": []}


def test_concurrent_adds_are_never_lost(cart_url: str, login: Callable[..., str], catalogue_db) -> None:
    """robot-shop lost most of these; 20 clients x 50 adds must end at exactly 1000."""
    catalogue_db.products.update_one({"sku": "Bash"}, {"$set": {"qty": 5000}})
    session_id = login()

    def client(_: int) -> list[int]:
        me = CartClient(cart_url, session_id, requests.Session())
        return [me.add("Bash", 1).status_code for _ in range(50)]

    with ThreadPoolExecutor(20) as pool:
        statuses = [s for batch in pool.map(client, range(20)) for s in batch]
    assert statuses.count(200) == 1000
    cart = CartClient(cart_url, session_id, requests.Session()).get()
    assert cart["items"][0]["qty"] == 1000
    assert cart["total"] == 1000 * 999


def test_concurrent_adds_never_exceed_stock(cart_url: str, login: Callable[..., str], catalogue_db) -> None:
    catalogue_db.products.update_one({"sku": "Bash"}, {"$set": {"qty": 30}})
    session_id = login()

    def add(_: int) -> int:
        return CartClient(cart_url, session_id, requests.Session()).add("Bash", 1).status_code

    with ThreadPoolExecutor(10) as pool:
        statuses = list(pool.map(add, range(50)))
    assert statuses.count(200) == 30 and statuses.count(409) == 20
    assert CartClient(cart_url, session_id, requests.Session()).get()["items"][0]["qty"] == 30


def test_cart_follows_the_user_to_their_next_login(cart_url: str, login: Callable[..., str], redis_url: str) -> None:
    store = redis.Redis.from_url(redis_url)
    first = CartClient(cart_url, login("user-persist"), requests.Session())
    first.add("Linux", 2)
    second = CartClient(cart_url, login("user-persist"), requests.Session())
    second.add("Linux", 1)
    second.add("Bash", 1)
    assert {i["sku"]: i["qty"] for i in second.get()["items"]} == {"Linux": 3, "Bash": 1}
    # Moved, not copied: the old session's cart is gone, so nothing can be counted twice.
    assert not store.exists(cart_key(first.session_id))
    # Going back to the older session (another tab) takes the same cart along, still not doubled.
    assert {i["sku"]: i["qty"] for i in first.get()["items"]} == {"Linux": 3, "Bash": 1}
    assert not store.exists(cart_key(second.session_id))


def test_other_users_carts_never_merge(cart_url: str, login: Callable[..., str]) -> None:
    alice = CartClient(cart_url, login(), requests.Session())
    alice.add("Linux", 1)
    bob = CartClient(cart_url, login(), requests.Session())
    assert bob.get()["items"] == []


def test_cart_keys_expire_like_sessions(shopper: CartClient, redis_url: str) -> None:
    shopper.add("Linux", 1)
    ttl = redis.Redis.from_url(redis_url).ttl(cart_key(shopper.session_id))
    assert 86_000 < ttl <= 86_400


def test_shipping_choice_is_added_to_the_total(shopper: CartClient, shipping_url: str) -> None:
    london = requests.get(shipping_url + "/api/shipping/match/GB/London", timeout=10).json()[0]
    shopper.add("Linux", 1)
    answer = shopper.call("POST", "/api/cart/shipping", json={"cityId": london["uuid"]})
    assert answer.status_code == 200, answer.text
    cart = answer.json()
    assert cart["shipping"]["city"] == "London" and cart["shipping"]["cityId"] == london["uuid"]
    assert cart["total"] == round(1999 + cart["shipping"]["cost"], 2)
    assert shopper.get() == cart


@pytest.mark.parametrize(
    ("body", "status"),
    [({"cityId": "not-a-uuid"}, 400), ({}, 400), ({"cityId": 7}, 400), ({"cityId": str(uuid.uuid4())}, 404)],
)
def test_bad_shipping_choices_are_4xx(shopper: CartClient, body: dict, status: int) -> None:
    answer = shopper.call("POST", "/api/cart/shipping", json=body)
    assert answer.status_code == status, answer.text
    assert "shipping" not in shopper.get()


def test_unknown_route_and_wrong_method_are_json(shopper: CartClient) -> None:
    assert shopper.call("GET", "/api/cart/nope/deeper").status_code == 404
    answer = shopper.call("PUT", "/api/cart/items")
    assert answer.status_code == 405
    assert "not allowed" in answer.json()["error"]


def test_catalogue_down_is_503_naming_it(
    cart_url: str, login: Callable[..., str], monkeypatch: pytest.MonkeyPatch, live_server: Callable[..., str]
) -> None:
    from services.cart.app import create_app

    monkeypatch.setenv("CATALOGUE_URL", f"http://127.0.0.1:{free_port()}")
    shopper = CartClient(live_server(create_app()), login(), requests.Session())
    answer = shopper.add("Linux", 1)
    assert answer.status_code == 503
    assert answer.json()["dependency"] == "catalogue"
    assert shopper.get()["items"] == []  # reading the cart does not need the catalogue


def test_cart_redis_down_is_503_and_health_names_it(
    service_env: dict[str, str], monkeypatch: pytest.MonkeyPatch, live_server: Callable[..., str], login
) -> None:
    from services.cart.app import create_app

    # A port nothing listens on: the cart's Redis "down" without touching anyone's real Redis.
    monkeypatch.setenv("CART_REDIS_URL", f"redis://127.0.0.1:{free_port()}/0")
    monkeypatch.setenv("HTTP_TIMEOUT", "1")
    shopper = CartClient(live_server(create_app()), login(), requests.Session())
    answer = shopper.call("GET", "/api/cart/")
    assert answer.status_code == 503
    assert answer.json()["dependency"] == "cart store (redis)"
    health = requests.get(shopper.base + "/health", timeout=10)
    assert health.status_code == 503
    assert "cart store (redis)" in health.json()["error"]
