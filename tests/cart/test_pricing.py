"""Cart arithmetic, without a server."""

from __future__ import annotations

from decimal import Decimal

import pytest

from services.cart.pricing import Line, json_number, to_money, totals


def test_the_spec_example_adds_up_exactly() -> None:
    cart = totals([Line("Linux", "Linux Administration", Decimal(1999), 3)], Decimal(0))
    assert cart == {
        "total": 5997,
        "tax": 0,
        "items": [{"sku": "Linux", "name": "Linux Administration", "price": 1999, "qty": 3, "subtotal": 5997}],
    }


def test_no_float_drift_on_cents() -> None:
    # In floats, 0.1 * 3 + 0.2 * 3 is 0.9000000000000001.
    cart = totals([Line("a", "A", to_money(0.1), 3), Line("b", "B", to_money(0.2), 3)], Decimal(0))
    assert cart["total"] == 0.9
    assert [item["subtotal"] for item in cart["items"]] == [0.3, 0.6]


def test_tax_is_on_goods_rounded_to_paise_and_shipping_is_added_after() -> None:
    cart = totals([Line("a", "A", Decimal("999.99"), 1)], Decimal("0.18"), Decimal("540.52"))
    assert cart["tax"] == 180.0  # 179.9982 rounds to 180.00
    assert cart["total"] == 1720.51  # 999.99 + 180.00 + 540.52


def test_items_come_sorted_by_sku_and_an_empty_cart_is_zero() -> None:
    cart = totals([Line("b", "B", Decimal(1), 1), Line("a", "A", Decimal(2), 1)], Decimal(0))
    assert [item["sku"] for item in cart["items"]] == ["a", "b"]
    assert totals([], Decimal("0.18")) == {"total": 0, "tax": 0, "items": []}


def test_json_numbers_are_integers_when_whole() -> None:
    assert json_number(Decimal("1999.00")) == 1999 and isinstance(json_number(Decimal("1999.00")), int)
    assert json_number(Decimal("2960.10")) == 2960.1


@pytest.mark.parametrize("bad", [True, -1, "abc", "NaN", "Infinity", None])
def test_to_money_rejects_what_is_not_a_price(bad: object) -> None:
    with pytest.raises(ValueError, match="not a price"):
        to_money(bad)


@pytest.mark.parametrize("value", ["abc", "-0.1", "18", "NaN"])
def test_a_tax_rate_that_is_not_a_fraction_stops_the_service(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    from services.cart.app import tax_rate
    from services.common.config import ConfigError

    monkeypatch.setenv("CART_TAX_RATE", value)
    with pytest.raises(ConfigError, match="CART_TAX_RATE"):
        tax_rate()


def test_the_tax_rate_defaults_to_the_specs_zero(monkeypatch: pytest.MonkeyPatch) -> None:
    from services.cart.app import tax_rate

    monkeypatch.delenv("CART_TAX_RATE", raising=False)
    assert tax_rate() == 0
