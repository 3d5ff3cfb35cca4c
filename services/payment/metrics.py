"""The shop's business figures for Prometheus; request latency comes from services.common.web."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import prometheus_client

ORDERS = prometheus_client.Counter("cloudkart_orders", "Orders the broker confirmed.")
ITEMS_SOLD = prometheus_client.Counter("cloudkart_items_sold", "Units sold, summed over every order's items.")
REVENUE = prometheus_client.Counter("cloudkart_revenue_rupees", "Order totals in rupees, shipping included.")


def record_order(items: list[dict[str, Any]], total: Decimal) -> None:
    ORDERS.inc()
    ITEMS_SOLD.inc(sum(int(item.get("qty", 0)) for item in items))
    REVENUE.inc(float(total))
