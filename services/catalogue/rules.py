"""What the catalogue accepts from a client. Each failure is a 400 that says what to fix."""

from __future__ import annotations

import re
from typing import Any

from services.catalogue.products import Line
from services.common import validate
from services.common.errors import BadRequest

SKU_RE = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")
ORDERID_RE = re.compile(r"^[A-Za-z0-9-]{1,64}$")
QUERY_MAX = 100
MAX_LINES = 100
MAX_QTY = 10_000


def sku(value: str) -> str:
    if not SKU_RE.match(value):
        raise BadRequest("sku must be 1 to 64 characters: letters, digits, '_', '.' or '-'")
    return value


def search_term(value: str | None, name: str) -> str | None:
    if value is None:
        return None
    value = value.strip()
    if len(value) > QUERY_MAX:
        raise BadRequest(f"{name} must be at most {QUERY_MAX} characters long")
    return value or None


def reservation(data: dict[str, Any]) -> tuple[str, list[Line]]:
    orderid = validate.string(data, "orderid", max_len=64)
    if not ORDERID_RE.match(orderid):
        raise BadRequest("orderid must be 1 to 64 letters, digits or '-'")
    items = data.get("items")
    if not isinstance(items, list) or not items:
        raise BadRequest("items must be a non-empty list of {sku, qty}")
    if len(items) > MAX_LINES:
        raise BadRequest(f"items must hold at most {MAX_LINES} lines")
    wanted: dict[str, int] = {}
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            raise BadRequest(f"items[{index}] must be an object {{sku, qty}}")
        code = sku(validate.string(item, "sku", max_len=64))
        # The same sku twice in one order is one line with the summed quantity.
        wanted[code] = wanted.get(code, 0) + validate.integer(item, "qty", minimum=1, maximum=MAX_QTY)
    return orderid, [Line(code, qty) for code, qty in wanted.items()]
