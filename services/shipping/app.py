"""Shipping service (port 8086): country codes, city matching and shipping cost from MariaDB."""

from __future__ import annotations

import re
from typing import Any

import bottle

from services.common import config
from services.common.errors import BadRequest, NotFound
from services.common.serve import run_http
from services.common.validate import uuid_param
from services.common.web import json_list, make_app
from services.shipping import geo
from services.shipping.db import DEPENDENCY, Cities, MySQLTarget

MATCH_LIMIT = 10
MATCH_MIN_CHARS = 1  # the composite (country_code, city_name) index makes a 1-letter prefix cheap
MATCH_MAX_CHARS = 100
_COUNTRY_RE = re.compile(r"[A-Za-z]{2}")


def like_prefix(text: str) -> str:
    """A LIKE pattern matching `text` literally at the start (%, _ and \\ in a name are not wildcards)."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return escaped + "%"


def _country(code: str) -> str:
    if not _COUNTRY_RE.fullmatch(code):
        raise BadRequest("country must be a two-letter ISO 3166 code, e.g. IN")
    return code.upper()


def _city_prefix(text: str) -> str:
    text = text.strip()
    if not MATCH_MIN_CHARS <= len(text) <= MATCH_MAX_CHARS:
        raise BadRequest(f"city must be {MATCH_MIN_CHARS} to {MATCH_MAX_CHARS} characters long")
    return text


def create_app() -> bottle.Bottle:
    cities = Cities(MySQLTarget.from_url(config.get("MYSQL_URL")))
    app = make_app("shipping", {DEPENDENCY: cities.ping})

    @app.get("/api/shipping/codes")
    def codes() -> str:
        return json_list(cities.query("SELECT code, name FROM countries ORDER BY name"))

    @app.get("/api/shipping/match/<country>/<city:path>")
    def match(country: str, city: str) -> str:
        rows = cities.query(
            "SELECT uuid, city_name AS name, country_code AS country, population FROM cities"
            " WHERE country_code = %s AND city_name LIKE %s"
            " ORDER BY population DESC, city_name LIMIT %s",
            (_country(country), like_prefix(_city_prefix(city)), MATCH_LIMIT),
        )
        return json_list(rows)

    @app.get("/api/shipping/calc/<city_id>")
    def calc(city_id: str) -> dict[str, Any]:
        city_id = uuid_param(city_id, "cityId")
        rows = cities.query(
            "SELECT uuid, city_name, country_code, latitude, longitude FROM cities WHERE uuid = %s", (city_id,)
        )
        if not rows:
            raise NotFound("city", city_id)
        row = rows[0]
        latitude, longitude = float(row["latitude"]), float(row["longitude"])
        distance = geo.distance_from_hyderabad(latitude, longitude)
        return {
            "uuid": row["uuid"],
            "city": row["city_name"],
            "country": row["country_code"],
            "latitude": latitude,
            "longitude": longitude,
            "distance": float(distance),
            "cost": float(geo.shipping_cost(distance)),
        }

    return app


def main() -> None:
    run_http("shipping", create_app)
