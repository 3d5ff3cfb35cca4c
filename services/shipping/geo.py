"""Distance and cost, as the spec defines them: haversine from Hyderabad, cost = km x 0.07 in rupees.

Pure functions, so they are tested against known distances without a database.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

HYDERABAD = (17.385, 78.4867)
EARTH_RADIUS_KM = 6371.0088  # IUGG mean radius
RUPEES_PER_KM = Decimal("0.07")
PAISE = Decimal("0.01")


def haversine_km(origin: tuple[float, float], target: tuple[float, float]) -> float:
    """Great-circle distance in km between two (latitude, longitude) points in degrees."""
    lat1, lon1 = map(math.radians, origin)
    lat2, lon2 = map(math.radians, target)
    a = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    # min() guards against a rounding error pushing asin's argument past 1 for antipodal points.
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def distance_from_hyderabad(latitude: float, longitude: float) -> Decimal:
    """Distance in km, rounded to 10 m, as the API reports it."""
    km = haversine_km(HYDERABAD, (latitude, longitude))
    return Decimal(repr(km)).quantize(PAISE, ROUND_HALF_UP)


def shipping_cost(distance_km: Decimal) -> Decimal:
    """km x 0.07, rounded to paise. Computed from the reported distance so a reader can re-check it."""
    return (distance_km * RUPEES_PER_KM).quantize(PAISE, ROUND_HALF_UP)
