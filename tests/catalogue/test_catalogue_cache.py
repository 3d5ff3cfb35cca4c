"""The catalogue's read cache: over HTTP on the real MongoDB paths, and TtlCache's own rules.

A read served from the cache is observed by changing the product straight in the store: an answer that
still shows the old value cannot have come from the store."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable

import prometheus_client
import pytest
import requests
from pymongo.database import Database

from services.catalogue import cache as cache_module
from services.catalogue.app import create_app
from services.catalogue.cache import TtlCache
from services.catalogue.seeding import seed_products
from services.common import mongo

LONG = "60"  # far beyond any test's duration, so a hit can never be an accident of timing


@pytest.fixture
def cached_catalogue(
    mongo_mode: str,
    close_mongo_clients: None,
    live_server: Callable[..., str],
    monkeypatch: pytest.MonkeyPatch,
) -> Callable[[str], tuple[str, Database]]:
    """Start the seeded catalogue with CATALOGUE_CACHE_SECONDS set; returns its URL and the store behind it."""

    def start(seconds: str) -> tuple[str, Database]:
        monkeypatch.setenv("CATALOGUE_CACHE_SECONDS", seconds)
        db = mongo.database()
        seed_products(db)
        return live_server(create_app()), db

    return start


def qty(url: str, sku: str) -> int:
    answer = requests.get(f"{url}/api/catalogue/product/{sku}", timeout=10)
    assert answer.status_code == 200, answer.text
    return answer.json()["qty"]


def listed_qty(url: str, sku: str) -> int:
    products = requests.get(f"{url}/api/catalogue/products", params={"q": sku}, timeout=10).json()
    return next(p["qty"] for p in products if p["sku"] == sku)


def reads(answered_by: str) -> float:
    return prometheus_client.REGISTRY.get_sample_value("catalogue_cache_reads_total", {"answered_by": answered_by}) or 0


def set_qty(db: Database, sku: str, value: int) -> None:
    assert db["products"].update_one({"sku": sku}, {"$set": {"qty": value}}).matched_count == 1


def test_a_second_read_within_the_ttl_does_not_touch_the_store(cached_catalogue):
    url, db = cached_catalogue(LONG)
    first, first_listed = qty(url, "Linux"), listed_qty(url, "Linux")
    categories = requests.get(f"{url}/api/catalogue/categories", timeout=10).json()
    set_qty(db, "Linux", first + 100)
    db["products"].update_one({"sku": "Linux"}, {"$push": {"categories": "Brand new category"}})
    from_store, from_cache = reads("store"), reads("cache")
    assert qty(url, "Linux") == first
    assert listed_qty(url, "Linux") == first_listed
    assert requests.get(f"{url}/api/catalogue/categories", timeout=10).json() == categories
    assert (reads("store"), reads("cache")) == (from_store, from_cache + 3)


def test_a_reserve_shows_its_new_stock_at_once(cached_catalogue):
    url, _ = cached_catalogue(LONG)
    before, before_listed = qty(url, "Docker"), listed_qty(url, "Docker")
    body = {"orderid": str(uuid.uuid4()), "items": [{"sku": "Docker", "qty": 2}]}
    assert requests.post(f"{url}/api/catalogue/reserve", json=body, timeout=10).status_code == 200
    assert qty(url, "Docker") == before - 2
    assert listed_qty(url, "Docker") == before_listed - 2


def test_ttl_zero_reads_the_store_every_time(cached_catalogue):
    url, db = cached_catalogue("0")
    first = qty(url, "Vault")
    set_qty(db, "Vault", first + 7)
    assert qty(url, "Vault") == first + 7
    assert listed_qty(url, "Vault") == first + 7


def test_an_expired_entry_is_read_again(cached_catalogue):
    url, db = cached_catalogue("0.5")
    first = qty(url, "Bash")
    set_qty(db, "Bash", first + 3)
    time.sleep(0.6)
    assert qty(url, "Bash") == first + 3


def test_a_404_is_not_cached(cached_catalogue):
    url, db = cached_catalogue(LONG)
    assert requests.get(f"{url}/api/catalogue/product/Brand-New", timeout=10).status_code == 404
    product = {"sku": "Brand-New", "name": "New", "description": "", "price": 1, "qty": 4, "categories": []}
    db["products"].insert_one({**product, "image": "/images/Brand-New.svg"})
    assert qty(url, "Brand-New") == 4


class Clock:
    """A clock the test moves by hand, so expiry is exact instead of slept for."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_entries_live_exactly_their_seconds():
    clock, loads = Clock(), []
    cache = TtlCache(2, clock)
    load = lambda: loads.append(1) or len(loads)  # noqa: E731 - a counter is clearer inline
    assert cache.get("k", load) == 1
    clock.now += 1.999
    assert cache.get("k", load) == 1
    clock.now += 0.001
    assert cache.get("k", load) == 2


def test_a_failed_load_is_not_kept():
    cache = TtlCache(60)

    def failing() -> int:
        raise RuntimeError("store down")

    with pytest.raises(RuntimeError):
        cache.get("k", failing)
    assert cache.get("k", lambda: 5) == 5


def test_a_load_that_overlaps_a_clear_is_not_kept():
    cache = TtlCache(60)

    def stale_load() -> str:
        cache.clear()  # a reserve landed while this read was in flight
        return "before the reserve"

    assert cache.get("k", stale_load) == "before the reserve"
    assert cache.get("k", lambda: "after") == "after"


def test_concurrent_misses_on_one_key_load_once():
    cache, loads, release = TtlCache(60), [], threading.Event()

    def slow_load() -> str:
        loads.append(1)
        release.wait(5)
        return "value"

    answers: list[str] = []
    readers = [threading.Thread(target=lambda: answers.append(cache.get("k", slow_load))) for _ in range(8)]
    for reader in readers:
        reader.start()
    time.sleep(0.2)  # let every reader reach the cache while the first load is still running
    release.set()
    for reader in readers:
        reader.join(5)
    assert answers == ["value"] * 8 and len(loads) == 1


def test_many_keys_stay_within_the_cap(monkeypatch):
    monkeypatch.setattr(cache_module, "MAX_ENTRIES", 3)
    cache = TtlCache(60)
    for key in range(10):
        cache.get(key, lambda key=key: key)
    # The three newest are kept, everything older was dropped.
    assert [cache.get(key, lambda: "reloaded") for key in (7, 8, 9)] == [7, 8, 9]
    assert cache.get(6, lambda: "reloaded") == "reloaded"
