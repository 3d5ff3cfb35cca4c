"""Schemathesis over the shipping service's own OpenAPI document: no 5xx, every 4xx a JSON error."""

from __future__ import annotations

from tests.support.api_fuzz import fuzz_api


def test_shipping_survives_fuzzing(shipping_url: str) -> None:
    assert fuzz_api(shipping_url, "shipping", max_examples=40) >= 40
