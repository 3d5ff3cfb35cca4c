"""A small real HTTP cart for payment's tests while the cart service is being written by its team.

It answers the two calls payment makes (GET /api/cart/ and DELETE /api/cart/<sessionId>) from a dict,
and can be told to fail the DELETE, so a test can see what payment does when clearing the cart fails.
"""

from __future__ import annotations

import json
from typing import Any

import bottle

EMPTY = {"total": 0, "tax": 0, "items": []}


class CartStandin:
    def __init__(self) -> None:
        self.carts: dict[str, dict[str, Any]] = {}
        self.delete_fails = False
        self.app = bottle.Bottle()
        self.app.route("/health", "GET", lambda: "OK")
        self.app.route("/api/cart/", "GET", self._get)
        self.app.route("/api/cart/<session_id>", "DELETE", self._delete)

    def fill(self, session_id: str, *items: tuple[str, float, int]) -> dict[str, Any]:
        lines = [
            {"sku": sku, "name": sku.title(), "price": price, "qty": qty, "subtotal": round(price * qty, 2)}
            for sku, price, qty in items
        ]
        self.carts[session_id] = {"total": round(sum(i["subtotal"] for i in lines), 2), "tax": 0, "items": lines}
        return self.carts[session_id]

    def _get(self) -> dict[str, Any]:
        return self.carts.get(bottle.request.get_header("X-Session-Id"), EMPTY)

    def _delete(self, session_id: str) -> Any:
        if self.delete_fails:
            return bottle.HTTPResponse(json.dumps({"error": "down"}), status=503)
        if bottle.request.get_header("X-Session-Id") != session_id:
            return bottle.HTTPResponse(json.dumps({"error": "not your cart"}), status=403)
        self.carts.pop(session_id, None)
        return EMPTY
