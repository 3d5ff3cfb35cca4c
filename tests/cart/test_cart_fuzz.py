"""Schemathesis over the cart's own OpenAPI document: no 5xx, every 4xx a JSON error."""

from __future__ import annotations

from collections.abc import Callable

from tests.support.api_fuzz import fuzz_api


def test_cart_survives_fuzzing(cart_url: str, login: Callable[..., str]) -> None:
    sent = fuzz_api(cart_url, "cart", headers={"X-Session-Id": login()}, max_examples=40)
    assert sent >= 40


def test_cart_without_a_session_survives_fuzzing(cart_url: str) -> None:
    assert fuzz_api(cart_url, "cart", max_examples=15) >= 15
