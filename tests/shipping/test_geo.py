"""Haversine and cost against figures that do not come from this code."""

from __future__ import annotations

import math
from decimal import Decimal

import pytest

from services.shipping import geo


@pytest.mark.parametrize(
    ("name", "point", "km"),
    [
        # Commonly published air distances from Hyderabad, rounded to the km; they differ by source
        # (city-centre coordinates, earth radius), hence the 0.5 % tolerance.
        ("Mumbai", (19.0760, 72.8777), 621),
        ("Delhi", (28.6139, 77.2090), 1254),
        ("London", (51.5074, -0.1278), 7720),
    ],
)
def test_distance_from_hyderabad_matches_published_figures(name: str, point: tuple[float, float], km: int) -> None:
    assert abs(float(geo.distance_from_hyderabad(*point)) - km) < km * 0.005, name


def test_one_degree_along_the_equator_is_a_360th_of_the_circumference() -> None:
    assert geo.haversine_km((0, 0), (0, 1)) == pytest.approx(2 * math.pi * geo.EARTH_RADIUS_KM / 360, rel=1e-9)


def test_haversine_agrees_with_the_spherical_law_of_cosines() -> None:
    lat1, lon1, lat2, lon2 = map(math.radians, (*geo.HYDERABAD, 40.7128, -74.0060))
    central = math.acos(math.sin(lat1) * math.sin(lat2) + math.cos(lat1) * math.cos(lat2) * math.cos(lon2 - lon1))
    assert geo.haversine_km(geo.HYDERABAD, (40.7128, -74.0060)) == pytest.approx(central * geo.EARTH_RADIUS_KM)


def test_distance_to_itself_is_zero_and_antipode_is_half_the_circumference() -> None:
    assert geo.distance_from_hyderabad(*geo.HYDERABAD) == Decimal("0.00")
    antipode = (-17.385, 78.4867 - 180)
    assert geo.haversine_km(geo.HYDERABAD, antipode) == pytest.approx(math.pi * geo.EARTH_RADIUS_KM)


def test_cost_is_seven_paise_per_km_rounded_half_up() -> None:
    assert geo.shipping_cost(Decimal("100.00")) == Decimal("7.00")
    assert geo.shipping_cost(Decimal("7720.50")) == Decimal("540.44")  # 540.435 rounds up, not to even
    assert geo.shipping_cost(Decimal("0.07")) == Decimal("0.00")  # 0.0049 rounds down
    assert geo.shipping_cost(Decimal("0.08")) == Decimal("0.01")  # 0.0056 rounds up
