"""One payment, in the spec's order: user, cart, gateway, order id, publish, clear the cart, confirm.

A double submit must not create two orders. Two things make sure of that:
- a short Redis lock per session, so two clicks are handled one after the other;
- the confirmation is remembered twice: as "pending" (with the cart's fingerprint) from the moment the
  broker confirmed the order until the cart is cleared, and as "recent" for a short while after. A
  retry whose cart was never cleared (cart service down) gets the same order back instead of a second
  one, and a second click after the cart was cleared gets the same confirmation, not "cart is empty".
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import time
import uuid
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

import redis

from services.common.errors import BadRequest, Conflict, Unauthorized, Unavailable
from services.common.peers import Peer
from services.common.stores import redis_errors
from services.payment import metrics

log = logging.getLogger("cloudkart.payment")

REDIS = "payment store (redis)"
LOCK_SECONDS = 30  # longer than the slowest payment: peers time out after HTTP_TIMEOUT each
LOCK_WAIT_SECONDS = 10
RECENT_SECONDS = 120
PENDING_SECONDS = 86400  # a day to retry clearing the cart of an order that was already placed


def fingerprint(cart: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(cart, sort_keys=True).encode()).hexdigest()


def charge(total: Decimal, orderid: str) -> dict[str, str]:
    """The simulated payment gateway: approves every charge and names the transaction."""
    log.info("gateway charge approved", extra={"orderid": orderid, "amount": str(total)})
    return {"status": "approved", "transaction": str(uuid.uuid4())}


def _well_formed(cart: Any) -> bool:
    """The cart shape the order is built from; anything else is the cart service misbehaving."""
    if not isinstance(cart, dict) or not isinstance(cart.get("items", []), list):
        return False
    total = cart.get("total", 0)
    if isinstance(total, bool) or not isinstance(total, int | float):
        return False
    return all(
        isinstance(item, dict) and isinstance(item.get("qty"), int) and not isinstance(item["qty"], bool)
        for item in cart.get("items", [])
    )


class Checkout:
    def __init__(self, users: Peer, carts: Peer, store: redis.Redis, publish: Callable[[dict[str, Any]], None]) -> None:
        self.users, self.carts, self.store, self.publish = users, carts, store, publish

    def pay(self, session_id: str) -> dict[str, Any]:
        user = self._user(session_id)
        with self._locked(session_id):
            cart = self._cart(session_id)
            if not cart.get("items"):
                recent = self._remembered(f"payment:recent:{session_id}")
                if recent is None:
                    raise BadRequest("cart is empty: add something before paying")
                return recent["confirmation"]
            pending = self._remembered(f"payment:pending:{session_id}")
            if pending is not None and pending["fingerprint"] == fingerprint(cart):
                log.info("repeat of a published order", extra={"orderid": pending["confirmation"]["orderid"]})
                confirmation = pending["confirmation"]
            else:
                confirmation = self._place(session_id, user, cart)
            self._clear_cart(session_id, confirmation)
            return confirmation

    def _place(self, session_id: str, user: dict[str, Any], cart: dict[str, Any]) -> dict[str, Any]:
        total = Decimal(str(cart.get("total", 0)))
        orderid = str(uuid.uuid4())
        payment = charge(total, orderid)
        customer = {k: user[k] for k in ("id", "username", "email") if k in user}
        # "user" carries the session id, as the spec's message format says; "customer" says who it is.
        self.publish({"orderid": orderid, "user": session_id, "customer": customer, "cart": cart})
        confirmation = {
            "orderid": orderid,
            "total": cart.get("total", 0),
            "items": cart["items"],
            "payment": payment,
            "status": "accepted",
        }
        self._remember(
            f"payment:pending:{session_id}",
            {"fingerprint": fingerprint(cart), "confirmation": confirmation},
            PENDING_SECONDS,
        )
        metrics.record_order(cart["items"], total)
        log.info("order published", extra={"orderid": orderid, "total": str(total), "items": len(cart["items"])})
        return confirmation

    def _clear_cart(self, session_id: str, confirmation: dict[str, Any]) -> None:
        reply = self.carts.call("DELETE", f"/api/cart/{session_id}", session_id=session_id)
        if reply.status >= 400:
            raise Conflict(f"order {confirmation['orderid']} is placed but the cart service refused to clear the cart")
        self._remember(f"payment:recent:{session_id}", {"confirmation": confirmation}, RECENT_SECONDS)
        with redis_errors(REDIS):
            self.store.delete(f"payment:pending:{session_id}")

    def _user(self, session_id: str) -> dict[str, Any]:
        reply = self.users.call("GET", "/api/user/me", session_id=session_id)
        if reply.status in (401, 403, 404):
            raise Unauthorized("session is unknown or has expired: log in again")
        if reply.status != 200 or not isinstance(reply.body, dict):
            raise Unavailable(self.users.name, f"unexpected answer {reply.status}")
        return reply.body

    def _cart(self, session_id: str) -> dict[str, Any]:
        reply = self.carts.call("GET", "/api/cart/", session_id=session_id)
        if reply.status == 401:
            raise Unauthorized("session is unknown or has expired: log in again")
        if reply.status != 200 or not _well_formed(reply.body):
            raise Unavailable(self.carts.name, f"unexpected answer {reply.status}")
        return reply.body

    @contextlib.contextmanager
    def _locked(self, session_id: str) -> Iterator[None]:
        key, token = f"payment:lock:{session_id}", str(uuid.uuid4())
        deadline = time.monotonic() + LOCK_WAIT_SECONDS
        with redis_errors(REDIS):
            while not self.store.set(key, token, nx=True, ex=LOCK_SECONDS):
                if time.monotonic() > deadline:
                    raise Conflict("a payment for this session is still in progress: try again shortly")
                time.sleep(0.05)
        try:
            yield
        finally:
            with redis_errors(REDIS):
                # Only our own lock: if it expired and another request took it, leave theirs alone.
                if self.store.get(key) == token:
                    self.store.delete(key)

    def _remembered(self, key: str) -> dict[str, Any] | None:
        with redis_errors(REDIS):
            raw = self.store.get(key)
        return json.loads(raw) if raw else None

    def _remember(self, key: str, value: dict[str, Any], seconds: int) -> None:
        with redis_errors(REDIS):
            self.store.set(key, json.dumps(value), ex=seconds)
