"""The `running_shop` fixture other teams' end-to-end tests stand on: the whole shop behind the real Nginx."""

from __future__ import annotations

import json

import requests

from services.localrun.shop import Shop


def test_nginx_serves_the_storefront_and_every_service_api(running_shop: Shop):
    page = requests.get(f"{running_shop.url}/", timeout=10)
    assert page.status_code == 200
    assert page.headers["Content-Type"].startswith("text/html")
    for service in ("user", "catalogue", "cart", "payment", "shipping"):
        health = requests.get(f"{running_shop.url}/api/{service}/health", timeout=10)
        assert health.status_code == 200, (service, health.text)


def test_the_internal_reserve_endpoint_answers_the_order_processor_but_not_the_internet(running_shop: Shop):
    outside = requests.post(f"{running_shop.url}/api/catalogue/reserve", json={}, timeout=10)
    assert outside.status_code == 404
    assert "error" in outside.json()
    inside = requests.post(f"{running_shop.service_url('catalogue')}/api/catalogue/reserve", json={}, timeout=10)
    assert inside.status_code == 400  # it exists there, and says what is wrong with the empty order


def test_service_logs_are_json_lines_naming_their_service(running_shop: Shop):
    requests.get(f"{running_shop.url}/api/catalogue/categories", timeout=10)
    entries = [json.loads(line) for line in running_shop.log("catalogue").splitlines() if line.startswith("{")]
    assert any(e.get("path") == "/api/catalogue/categories" for e in entries)
    assert {e["service"] for e in entries} == {"catalogue"}


def test_its_orders_travel_on_a_virtual_host_of_its_own(running_shop: Shop, amqp_url: str):
    # Another test's consumer on the session broker's default vhost never takes the shop's orders.
    assert running_shop.amqp_url.endswith("/shop")
    assert running_shop.amqp_url != amqp_url
