"""The whole shop through the frontend, as a shopper uses it: register, log in, add to cart, pick a city, pay,
and see the order processor log that order in its journal.

Runs from the grading machine against the frontend's public address; the order is a real one (one unit
of stock, one new account named smoke-...)."""

import json
import secrets
import time

import requests

from checks.catalog import check
from checks.labs import SMOKE_LAB

ROLE = "frontend"
SKU = "Linux"
CITY = ("IN", "Hyderabad")
PROCESSED = "confirmation email sent"
JOURNAL_WAIT_SECONDS = 20
STOREFRONT_MARK = 'ng-app="cloudkart"'  # Nginx's own welcome page must not pass for the shop


class Shopper:
    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.http = requests.Session()
        self.session_id = ""

    def call(self, step: str, method: str, path: str, **kwargs) -> dict | list:
        headers = {"X-Session-Id": self.session_id} if self.session_id else {}
        try:
            answer = self.http.request(method, self.base_url + path, headers=headers, timeout=10, **kwargs)
        except requests.RequestException as exc:
            raise AssertionError(f"step '{step}': {method} {path} failed: {exc}") from None
        assert answer.ok, f"step '{step}': {method} {path} answered {answer.status_code}: {answer.text[:300]}"
        return answer.json()


def frontend_url(plan) -> str:
    return f"http://{plan.host.public_address or plan.host.address}:{plan.layout.http_port}"


def processed_in_journal(order_host, orderid: str) -> bool:
    journal = order_host.run("journalctl -u order-processor -o cat --no-pager -n 2000").stdout
    return any(orderid in line and PROCESSED in line for line in journal.splitlines())


@check(
    "SMOKE-01",
    points=1,
    lab=SMOKE_LAB,
    hint="the frontend does not serve the storefront: check Nginx's root (/opt/cloudkart/www) and that port 80 "
    "is open to everyone on the frontend host",
)
def test_storefront_served_through_frontend(plan):
    try:
        answer = requests.get(frontend_url(plan) + "/", timeout=10)
    except requests.RequestException as exc:
        raise AssertionError(f"GET {frontend_url(plan)}/ failed: {exc}") from None
    assert answer.status_code == 200, f"GET / answered {answer.status_code}"
    assert STOREFRONT_MARK in answer.text, "GET / returned a page, but not the CloudKart storefront (ng-app)"


@check(
    "SMOKE-02",
    points=5,
    lab=SMOKE_LAB,
    hint="an order placed through the frontend was not processed: the message names the step that failed; "
    "follow the order's path (Nginx -> user -> cart -> shipping -> payment -> RabbitMQ -> order processor) and "
    "read `journalctl -u <unit>` on the host of that step",
)
def test_order_placed_through_frontend_is_processed(plan, peer):
    shopper = Shopper(frontend_url(plan))
    username, password = f"smoke-{secrets.token_hex(4)}", secrets.token_urlsafe(16)
    shopper.call(
        "register", "POST", "/api/user/register",
        json={"username": username, "email": f"{username}@example.com", "password": password},
    )  # fmt: skip
    login = shopper.call("log in", "POST", "/api/user/login", json={"username": username, "password": password})
    shopper.session_id = login["sessionId"]
    shopper.call("add to cart", "POST", "/api/cart/items", json={"sku": SKU, "qty": 1})
    cities = shopper.call("find the city", "GET", "/api/shipping/match/{}/{}".format(*CITY))
    assert cities, f"step 'find the city': no match for {CITY}"
    shopper.call("choose shipping", "POST", "/api/cart/shipping", json={"cityId": cities[0]["uuid"]})
    order = shopper.call("pay", "POST", f"/api/payment/pay/{shopper.session_id}")
    orderid = order["orderid"]

    order_host = peer(plan.layout.host_of_role("order-processor").name)
    deadline = time.monotonic() + JOURNAL_WAIT_SECONDS
    while not processed_in_journal(order_host, orderid):
        assert time.monotonic() < deadline, (
            f"step 'order processed': order {orderid} was paid but the order processor's journal has no "
            f"'{PROCESSED}' line for it after {JOURNAL_WAIT_SECONDS} s: {json.dumps(order)[:200]}"
        )
        time.sleep(1)
