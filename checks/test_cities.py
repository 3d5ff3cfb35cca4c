"""The shipping-db host holds the imported cities: enough rows, the three indexes, a known city."""

import shlex

import pytest

from checks.catalog import check
from checks.labs import COMPONENT_LAB

ROLE = "shipping-db"
LAB = COMPONENT_LAB["mysql"]
INDEXES = ("idx_country_code", "idx_city_name", "idx_country_city")
# `cloudkart import-cities` loads every GeoNames city of 500+ people (about 235,000 rows); the
# shipping-db role counts 200,000 as imported. An inventory can ask for more or fewer (extra.expected_cities).
DEFAULT_MIN_CITIES = 200_000
IMPORT_HINT = "run the city import again (`cloudkart import-cities`), it replaces the table atomically"


def sql(host, query: str) -> list[list[str]]:
    result = host.run(f"mysql --batch --skip-column-names -e {shlex.quote(query)} cities")
    assert result.rc == 0, f"mysql failed: {result.stderr.strip().splitlines()[-1:]}"
    return [line.split("\t") for line in result.stdout.splitlines()]


@check("MYSQL-12", points=3, lab=LAB, hint=f"the cities table is missing rows: {IMPORT_HINT}")
def test_cities_imported(host, plan):
    expected = int(plan.inventory.extra.get("expected_cities", DEFAULT_MIN_CITIES))
    rows = int(sql(host, "SELECT COUNT(*) FROM cities")[0][0])
    assert rows >= expected, f"cities has {rows} rows, expected at least {expected}"


@pytest.mark.parametrize("index", INDEXES)
@check(
    "MYSQL-13",
    points=1,
    lab=LAB,
    hint="an index of the cities table is missing, so city lookups scan every row: "
    f"check `SHOW INDEX FROM cities.cities`; {IMPORT_HINT}",
)
def test_cities_index_present(host, index):
    names = {row[2] for row in sql(host, "SHOW INDEX FROM cities")}
    assert index in names, f"cities has no index {index} (has: {', '.join(sorted(names)) or 'none'})"


@check("MYSQL-14", points=1, lab=LAB, hint=f"Hyderabad (IN) is not in the cities table: {IMPORT_HINT}")
def test_known_city_found(host):
    rows = sql(host, "SELECT COUNT(*) FROM cities WHERE country_code = 'IN' AND city_name = 'Hyderabad'")
    assert int(rows[0][0]) >= 1, "no row for Hyderabad, IN"
