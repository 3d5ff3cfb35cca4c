"""The catalogue over HTTP, seeded, on both MongoDB paths."""

from __future__ import annotations

import concurrent.futures
import uuid

import pytest
import requests

from services.catalogue.seeding import load_seed

SEED = {p["sku"]: p for p in load_seed()}


def get(url: str, path: str, **params: str) -> requests.Response:
    return requests.get(f"{url}{path}", params=params, timeout=10)


def reserve(url: str, items: list[dict], orderid: str | None = None) -> requests.Response:
    body = {"orderid": orderid or str(uuid.uuid4()), "items": items}
    return requests.post(f"{url}/api/catalogue/reserve", json=body, timeout=10)


def stock(url: str, sku: str) -> int:
    return get(url, f"/api/catalogue/product/{sku}").json()["qty"]


def test_products_are_the_seed_in_the_spec_shape_without_mongo_ids(catalogue_url):
    products = get(catalogue_url, "/api/catalogue/products").json()
    assert [p["sku"] for p in products] == sorted(SEED)
    for product in products:
        assert set(product) == {"sku", "name", "description", "price", "image", "qty", "categories"}
        assert product["image"] == f"/images/{product['sku']}.svg"
        assert product["price"] == SEED[product["sku"]]["price"]


def test_category_filter_returns_exactly_that_category(catalogue_url):
    linux = get(catalogue_url, "/api/catalogue/products", category="Linux").json()
    assert {p["sku"] for p in linux} == {s for s, p in SEED.items() if "Linux" in p["categories"]}
    assert get(catalogue_url, "/api/catalogue/products", category="Gardening").json() == []


def test_text_search_is_case_insensitive_over_name_and_description(catalogue_url):
    by_name = {p["sku"] for p in get(catalogue_url, "/api/catalogue/products", q="KUBERNETES").json()}
    assert {"Kubernetes", "CKA"} <= by_name
    by_description = {p["sku"] for p in get(catalogue_url, "/api/catalogue/products", q="promql").json()}
    assert by_description == {"Monitoring"}


def test_search_text_is_literal_never_a_pattern(catalogue_url):
    for term in (".*", "(", "[a-z]+", "\\", "$where", "^Linux"):
        answer = get(catalogue_url, "/api/catalogue/products", q=term)
        assert answer.status_code == 200
        assert answer.json() == [], term


def test_too_long_search_is_a_400(unseeded_catalogue_url):
    answer = get(unseeded_catalogue_url, "/api/catalogue/products", q="x" * 101)
    assert answer.status_code == 400 and "at most 100" in answer.json()["error"]


def test_one_product_and_unknown_or_malformed_skus(catalogue_url):
    linux = get(catalogue_url, "/api/catalogue/product/Linux")
    assert linux.status_code == 200 and linux.json()["name"] == "Linux Administration"
    assert "_id" not in linux.json()
    assert get(catalogue_url, "/api/catalogue/product/NoSuchCourse").status_code == 404
    assert get(catalogue_url, "/api/catalogue/product/bad sku!").status_code == 400


def test_categories_are_sorted_and_complete(catalogue_url):
    categories = get(catalogue_url, "/api/catalogue/categories").json()
    assert categories == sorted({c for p in SEED.values() for c in p["categories"]})


def test_reserve_takes_stock_once_per_order(catalogue_url):
    before = stock(catalogue_url, "Docker")
    orderid = str(uuid.uuid4())
    first = reserve(catalogue_url, [{"sku": "Docker", "qty": 2}, {"sku": "Docker", "qty": 1}], orderid)
    assert first.status_code == 200 and first.json()["repeated"] is False
    assert first.json()["items"] == [{"sku": "Docker", "qty": 3}]
    again = reserve(catalogue_url, [{"sku": "Docker", "qty": 3}], orderid)
    assert again.status_code == 200 and again.json()["repeated"] is True
    assert stock(catalogue_url, "Docker") == before - 3


def test_reserve_short_of_one_line_takes_nothing_at_all(catalogue_url):
    before = {sku: stock(catalogue_url, sku) for sku in ("Linux", "Vault")}
    answer = reserve(catalogue_url, [{"sku": "Linux", "qty": 1}, {"sku": "Vault", "qty": before["Vault"] + 1}])
    assert answer.status_code == 409
    assert answer.json()["sku"] == "Vault" and answer.json()["available"] == before["Vault"]
    assert {sku: stock(catalogue_url, sku) for sku in before} == before


def test_reserve_of_an_unknown_sku_is_404_and_takes_nothing(catalogue_url):
    before = stock(catalogue_url, "Linux")
    answer = reserve(catalogue_url, [{"sku": "Linux", "qty": 1}, {"sku": "Nope", "qty": 1}])
    assert answer.status_code == 404
    assert stock(catalogue_url, "Linux") == before


def test_concurrent_reservations_never_oversell(catalogue_url):
    available = stock(catalogue_url, "Vault")
    attempts = available + 10
    one = [{"sku": "Vault", "qty": 1}]
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        codes = list(pool.map(lambda _: reserve(catalogue_url, one).status_code, range(attempts)))
    assert codes.count(200) == available and codes.count(409) == 10
    assert stock(catalogue_url, "Vault") == 0


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({"items": [{"sku": "Linux", "qty": 1}]}, "orderid is required"),
        ({"orderid": "o1"}, "items must be a non-empty list"),
        ({"orderid": "o1", "items": []}, "items must be a non-empty list"),
        ({"orderid": "o1", "items": "Linux"}, "items must be a non-empty list"),
        ({"orderid": "o 1", "items": [{"sku": "Linux", "qty": 1}]}, "orderid must be"),
        ({"orderid": 7, "items": [{"sku": "Linux", "qty": 1}]}, "orderid must be a string"),
        ({"orderid": "o1", "items": [{"sku": "Linux"}]}, "qty is required"),
        ({"orderid": "o1", "items": [{"sku": "Linux", "qty": 0}]}, "qty must be between 1"),
        ({"orderid": "o1", "items": [{"sku": "Linux", "qty": "2"}]}, "qty must be a whole number"),
        ({"orderid": "o1", "items": [{"sku": "Linux", "qty": True}]}, "qty must be a whole number"),
        ({"orderid": "o1", "items": [{"sku": "Linux", "qty": 1.5}]}, "qty must be a whole number"),
        ({"orderid": "o1", "items": [["Linux", 1]]}, "items[0] must be an object"),
        ({"orderid": "o1", "items": [{"qty": 1}]}, "sku is required"),
    ],
)
def test_reserve_input_is_checked_with_a_clear_400(unseeded_catalogue_url, body, expected):
    answer = requests.post(f"{unseeded_catalogue_url}/api/catalogue/reserve", json=body, timeout=10)
    assert answer.status_code == 400
    assert expected in answer.json()["error"]
