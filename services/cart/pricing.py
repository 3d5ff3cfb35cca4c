"""Cart totals in Decimal, so 0.1 + 0.2 is 0.3 and a 3 x 1999 cart is 5997, not 5996.999...

Pure: the service passes the lines in and gets the spec's shape out, tested without Redis.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

PAISE = Decimal("0.01")


@dataclass(frozen=True)
class Line:
    sku: str
    name: str
    price: Decimal
    qty: int


def to_money(value: object) -> Decimal:
    """A price from JSON or Redis as Decimal. Floats go through str so 19.99 stays 19.99."""
    if isinstance(value, bool):
        raise ValueError(f"not a price: {value!r}")
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        raise ValueError(f"not a price: {value!r}") from None
    if not amount.is_finite() or amount < 0:
        raise ValueError(f"not a price: {value!r}")
    return amount


def json_number(amount: Decimal) -> int | float:
    """Whole amounts as integers (the spec's 1999), others as numbers with at most two decimals."""
    amount = amount.quantize(PAISE, ROUND_HALF_UP)
    return int(amount) if amount == amount.to_integral_value() else float(amount)


def totals(lines: list[Line], tax_rate: Decimal, shipping_cost: Decimal | None = None) -> dict[str, Any]:
    """The spec's cart shape `{total, tax, items: [{sku, name, price, qty, subtotal}]}`.

    Tax applies to the goods only; the shipping cost, when chosen, is added to the total after tax.
    """
    items = []
    goods = Decimal(0)
    for line in sorted(lines, key=lambda line: line.sku):
        subtotal = line.price * line.qty
        goods += subtotal
        items.append(
            {
                "sku": line.sku,
                "name": line.name,
                "price": json_number(line.price),
                "qty": line.qty,
                "subtotal": json_number(subtotal),
            }
        )
    tax = (goods * tax_rate).quantize(PAISE, ROUND_HALF_UP)
    total = goods + tax + (shipping_cost or Decimal(0))
    return {"total": json_number(total), "tax": json_number(tax), "items": items}
