"""The shipping service over HTTP, on a real MariaDB holding the 2,000 most populous real cities."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import requests

from services.shipping.app import MATCH_LIMIT
from services.shipping.db import MySQLTarget
from tests.conftest import free_port


def get(base: str, path: str) -> requests.Response:
    return requests.get(base + path, timeout=10)


def test_codes_lists_only_countries_with_cities(shipping_url: str, cities_db: MySQLTarget) -> None:
    codes = get(shipping_url, "/api/shipping/codes").json()
    assert {"code": "IN", "name": "India"} in codes
    conn = cities_db.connect()
    with conn.cursor() as cur:
        cur.execute("SELECT COUNT(DISTINCT country_code) FROM cities")
        assert len(codes) == cur.fetchone()[0]
    assert [c["name"] for c in codes] == sorted(c["name"] for c in codes)


def test_match_is_a_case_insensitive_prefix_most_populous_first(shipping_url: str) -> None:
    found = get(shipping_url, "/api/shipping/match/in/hYd").json()
    assert found[0]["name"] == "Hyderabad"
    assert all(city["name"].lower().startswith("hyd") and city["country"] == "IN" for city in found)
    populations = [city["population"] for city in found]
    assert populations == sorted(populations, reverse=True)


def test_match_returns_exactly_the_limit_when_more_cities_match(shipping_url: str, cities_db: MySQLTarget) -> None:
    conn = cities_db.connect()
    with conn.cursor() as cur:
        cur.execute("SELECT COUNT(*) FROM cities WHERE country_code = 'IN' AND city_name LIKE 'b%'")
        assert cur.fetchone()[0] > MATCH_LIMIT  # the test only means something if more match
    assert len(get(shipping_url, "/api/shipping/match/IN/b").json()) == MATCH_LIMIT


def test_match_returns_every_city_when_fewer_than_the_limit_match(shipping_url: str, cities_db: MySQLTarget) -> None:
    conn = cities_db.connect()
    with conn.cursor() as cur:
        cur.execute("SELECT COUNT(*) FROM cities WHERE country_code = 'GB' AND city_name LIKE 'lon%'")
        expected = cur.fetchone()[0]
    assert 0 < expected < MATCH_LIMIT
    assert len(get(shipping_url, "/api/shipping/match/GB/lon").json()) == expected


@pytest.mark.parametrize(
    "city", ["'; DROP TABLE cities; --", "x' OR '1'='1", "%", "_", "\\", "London%", "Lon_on", "%25"]
)
def test_sql_and_wildcard_looking_names_match_literally(shipping_url: str, city: str) -> None:
    answer = get(shipping_url, f"/api/shipping/match/GB/{requests.utils.quote(city, safe='')}")
    assert answer.status_code == 200
    assert answer.json() == []
    assert get(shipping_url, "/api/shipping/match/GB/London").json()[0]["name"] == "London"


def test_match_on_an_unknown_country_is_empty(shipping_url: str) -> None:
    assert get(shipping_url, "/api/shipping/match/QQ/a").json() == []


@pytest.mark.parametrize(
    ("path", "fragment"),
    [
        ("/api/shipping/match/IND/hyd", "two-letter"),
        ("/api/shipping/match/1N/hyd", "two-letter"),
        ("/api/shipping/match/IN%0A/hyd", "two-letter"),
        ("/api/shipping/match/IN/%20%20", "1 to 100 characters"),
        ("/api/shipping/match/IN/" + "a" * 101, "1 to 100 characters"),
        ("/api/shipping/calc/not-a-uuid", "UUID"),
        ("/api/shipping/calc/1%27%20OR%201=1", "UUID"),
    ],
)
def test_malformed_input_is_a_400_saying_why(shipping_url: str, path: str, fragment: str) -> None:
    answer = get(shipping_url, path)
    assert answer.status_code == 400
    assert fragment in answer.json()["error"]


def test_calc_gives_distance_and_cost_from_hyderabad(shipping_url: str) -> None:
    london = get(shipping_url, "/api/shipping/match/GB/London").json()[0]
    calc = get(shipping_url, f"/api/shipping/calc/{london['uuid']}").json()
    assert calc["city"] == "London" and calc["country"] == "GB" and calc["uuid"] == london["uuid"]
    assert 7700 < calc["distance"] < 7740
    assert calc["cost"] == round(calc["distance"] * 0.07 + 1e-9, 2)


def test_calc_of_an_unknown_city_is_404(shipping_url: str) -> None:
    answer = get(shipping_url, "/api/shipping/calc/00000000-0000-4000-8000-000000000000")
    assert answer.status_code == 404
    assert "not found" in answer.json()["error"]


@pytest.mark.parametrize(("method", "path"), [("POST", "/api/shipping/codes"), ("DELETE", "/api/shipping/calc/x")])
def test_wrong_method_is_a_json_405(shipping_url: str, method: str, path: str) -> None:
    answer = requests.request(method, shipping_url + path, timeout=10)
    assert answer.status_code == 405
    assert "not allowed" in answer.json()["error"]


def test_unknown_route_is_a_json_404(shipping_url: str) -> None:
    answer = get(shipping_url, "/api/shipping/nope")
    assert answer.status_code == 404
    assert "no such endpoint" in answer.json()["error"]


def test_mariadb_down_is_503_naming_it(
    service_env: dict[str, str], monkeypatch: pytest.MonkeyPatch, live_server: Callable
) -> None:
    from services.shipping.app import create_app

    # A port nothing listens on: MariaDB "down" without touching the machine's own server.
    monkeypatch.setenv("MYSQL_URL", f"mysql://root@127.0.0.1:{free_port()}/cities")
    monkeypatch.setenv("HTTP_TIMEOUT", "1")
    base = live_server(create_app())
    for path in ("/api/shipping/codes", "/api/shipping/calc/00000000-0000-4000-8000-000000000000", "/health"):
        answer = get(base, path)
        assert answer.status_code == 503, path
        assert "mysql" in answer.json()["error"], path


def test_missing_table_is_503_saying_to_import(
    mysql_url: str, service_env: dict[str, str], monkeypatch: pytest.MonkeyPatch, live_server: Callable
) -> None:
    from services.shipping.app import create_app
    from tests.shipping.cities_db import drop_database, private_target, url_of

    empty = private_target(mysql_url)
    conn = empty.connect(with_database=False)
    with conn.cursor() as cur:
        cur.execute(f"CREATE DATABASE `{empty.database}`")
    try:
        monkeypatch.setenv("MYSQL_URL", url_of(empty))
        answer = get(live_server(create_app()), "/api/shipping/codes")
        assert answer.status_code == 503
        assert "import-cities" in answer.json()["error"]
    finally:
        drop_database(empty)


def test_health_is_ok_with_the_database_up(shipping_url: str) -> None:
    assert get(shipping_url, "/health").text == "OK"
