"""What happens to one order: read it, log it, reserve its stock in the warehouse, send the email.

The warehouse notice is POST /api/catalogue/reserve, which the catalogue makes idempotent by order id,
so an order processed twice (redelivered after a crash) never takes its stock twice.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass
from typing import Any

from services.common.peers import Peer
from services.common.validate import is_uuid

log = logging.getLogger("cloudkart.orders")


class BadOrder(ValueError):
    """The message can never be processed, however often it is retried."""


@dataclass(frozen=True)
class Order:
    orderid: str
    items: list[dict[str, Any]]
    total: Any
    customer: dict[str, Any]


def parse(body: bytes) -> Order:
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise BadOrder("message is not valid JSON") from None
    if not isinstance(data, dict):
        raise BadOrder("message is not a JSON object")
    orderid, cart = data.get("orderid"), data.get("cart")
    if not isinstance(orderid, str) or not is_uuid(orderid):
        raise BadOrder("orderid is missing or not a UUID")
    if not isinstance(cart, dict) or not isinstance(cart.get("items"), list) or not cart["items"]:
        raise BadOrder("cart has no items")
    for item in cart["items"]:
        if not isinstance(item, dict) or not isinstance(item.get("sku"), str):
            raise BadOrder("an item has no sku")
        qty = item.get("qty")
        if isinstance(qty, bool) or not isinstance(qty, int) or qty < 1:
            raise BadOrder(f"item {item['sku']!r} has no positive whole qty")
    customer = data.get("customer") if isinstance(data.get("customer"), dict) else {}
    return Order(orderid, cart["items"], cart.get("total"), customer)


class Fulfilment:
    def __init__(self, catalogue: Peer, processing_seconds: float) -> None:
        self.catalogue = catalogue
        self.processing_seconds = processing_seconds

    def __call__(self, order: Order) -> None:
        """Raises Unavailable when the catalogue does not answer (worth a retry), BadOrder when it never will."""
        lines = [f"{i['qty']} x {i['sku']}" for i in order.items]
        log.info("order received", extra={"orderid": order.orderid, "total": order.total, "items": lines})
        time.sleep(self.processing_seconds)  # the spec's simulated fulfilment work
        self._notify_warehouse(order)
        log.info(
            "confirmation email sent (simulated)",
            extra={"orderid": order.orderid, "to": order.customer.get("email", "unknown")},
        )

    def _notify_warehouse(self, order: Order) -> None:
        items = [{"sku": i["sku"], "qty": i["qty"]} for i in order.items]
        reply = self.catalogue.call("POST", "/api/catalogue/reserve", json={"orderid": order.orderid, "items": items})
        if reply.status == 409:
            # Paid but short of stock: the order stands and a person restocks; retrying cannot help.
            log.warning("warehouse is short of stock", extra={"orderid": order.orderid, "reply": reply.body})
        elif reply.status >= 400:
            raise BadOrder(f"warehouse refused the order: {reply.status} {reply.body}")
        else:
            log.info("warehouse notified", extra={"orderid": order.orderid})
