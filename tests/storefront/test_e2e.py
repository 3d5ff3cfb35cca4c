"""A shopper buys through the storefront in headless Chromium, on the whole running shop behind Nginx.

Screenshots of every page land in artifacts/screenshots/ (look at them: it must look like a shop).
"""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
import requests

from services.localrun.shop import Shop
from tests.storefront.journey import shop_journey

pytestmark = [pytest.mark.browser, pytest.mark.slow]
CONSUMED_WITHIN_SECONDS = 30


def _order_log(shop: Shop, orderid: str) -> list[dict[str, Any]]:
    entries = []
    for line in shop.log("orders").splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if isinstance(entry, dict) and entry.get("orderid") == orderid:
            entries.append(entry)
    return entries


def _wait_until_fulfilled(shop: Shop, orderid: str) -> list[str]:
    deadline = time.monotonic() + CONSUMED_WITHIN_SECONDS
    while True:
        messages = [entry["msg"] for entry in _order_log(shop, orderid)]
        if any("confirmation email" in m for m in messages) or time.monotonic() > deadline:
            return messages
        time.sleep(0.25)


def _stock(shop: Shop, sku: str) -> int:
    answer = requests.get(f"{shop.url.rstrip('/')}/api/catalogue/product/{sku}", timeout=10)
    answer.raise_for_status()
    return answer.json()["qty"]


def test_shopper_buys_and_the_order_processor_fulfils_it(running_shop: Shop) -> None:
    outcome = shop_journey(running_shop.url)

    assert outcome.page_errors == [], "the page threw JavaScript errors"
    assert outcome.foreign_requests == [], "the storefront loaded something from outside the shop"
    # The only error the browser may log is the 401 of the deliberately wrong password (CSP
    # violations, missing files and Angular errors all land here).
    assert [e for e in outcome.console_errors if "status of 401" not in e] == []
    assert len(outcome.screenshots) == 11
    assert all(p.stat().st_size > 10_000 for p in outcome.screenshots)

    messages = _wait_until_fulfilled(running_shop, outcome.orderid)
    assert "order received" in messages, messages
    assert "warehouse notified" in messages, messages
    assert any("confirmation email" in m for m in messages), messages
    # The warehouse notice took the paid quantity from stock.
    for sku, qty in outcome.bought.items():
        assert _stock(running_shop, sku) == outcome.stock_before[sku] - qty
