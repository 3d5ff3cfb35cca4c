"""`cloudkart import-cities` against a real MariaDB, each test in a database of its own."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from services.cli.app import _load_commands, cli
from services.shipping.cityimport import (
    REQUIRED_INDEXES,
    City,
    CityImporter,
    ImportFailed,
    ImportPlan,
    run_import,
    synthetic_cities,
    write_tsv,
)
from services.shipping.db import MySQLTarget
from tests.shipping.cities_db import drop_database, private_target, url_of


@pytest.fixture
def target(mysql_url: str) -> Iterator[MySQLTarget]:
    fresh = private_target(mysql_url)
    yield fresh
    drop_database(fresh)


def rows(target: MySQLTarget, sql: str) -> list[tuple]:
    conn = target.connect()
    with conn.cursor() as cur:
        cur.execute(sql)
        found = list(cur.fetchall())
    conn.close()
    return found


def test_import_pads_with_synthetic_cities_and_builds_the_indexes(target: MySQLTarget, tmp_path: Path) -> None:
    assert run_import(target, ImportPlan(limit=50, total=300), tmp_path) == 300
    assert rows(target, "SELECT COUNT(*) FROM cities") == [(300,)]
    assert rows(target, "SELECT COUNT(*) FROM cities WHERE population >= 500") == [(50,)]
    assert {r[2] for r in rows(target, "SHOW INDEX FROM cities")} >= set(REQUIRED_INDEXES)
    composite = [r[4] for r in rows(target, "SHOW INDEX FROM cities") if r[2] == "idx_country_city"]
    assert composite == ["country_code", "city_name"]
    assert not rows(target, "SHOW TABLES LIKE '%staging%'")


def test_reimport_is_idempotent_with_stable_ids(target: MySQLTarget, tmp_path: Path) -> None:
    run_import(target, ImportPlan(limit=40, total=80), tmp_path)
    first = rows(target, "SELECT * FROM cities ORDER BY uuid")
    run_import(target, ImportPlan(limit=40, total=80), tmp_path)
    assert rows(target, "SELECT * FROM cities ORDER BY uuid") == first
    assert ("IN", "India") in rows(target, "SELECT code, name FROM countries")


def test_synthetic_cities_are_the_same_on_every_run() -> None:
    assert list(synthetic_cities(20, ["FR", "IN"])) == list(synthetic_cities(20, ["FR", "IN"]))
    assert all(city.population < 500 for city in synthetic_cities(200, ["IN"]))


def test_names_with_tabs_backslashes_and_quotes_survive_load_data(target: MySQLTarget, tmp_path: Path) -> None:
    odd = ["Tab\there", "Back\\slash", 'Quote\'s "here"', "Line\nbreak", "Ünïcödé 東京"]
    cities = [City(f"00000000-0000-4000-8000-00000000000{i}", name, "IN", 1.5, 2.5, 1) for i, name in enumerate(odd)]
    write_tsv(cities, tmp_path / "odd.tsv")
    importer = CityImporter(target)
    importer.load_staging(tmp_path / "odd.tsv", {"IN": "India"})
    assert [r[0] for r in importer.execute("SELECT city_name FROM cities_staging ORDER BY uuid")] == odd
    importer.discard()


def test_a_failure_midway_keeps_the_old_table_and_leaves_no_staging(
    target: MySQLTarget, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run_import(target, ImportPlan(limit=30), tmp_path)

    def interrupted(self: CityImporter) -> None:
        raise KeyboardInterrupt  # what Ctrl-C during the index build raises

    monkeypatch.setattr(CityImporter, "build_indexes", interrupted)
    with pytest.raises(KeyboardInterrupt):
        run_import(target, ImportPlan(limit=30, total=500), tmp_path)
    assert rows(target, "SELECT COUNT(*) FROM cities") == [(30,)]
    assert not rows(target, "SHOW TABLES LIKE '%staging%'")
    assert not list(tmp_path.iterdir())  # the TSV is gone too


def test_verify_fails_on_a_missing_index_or_wrong_count(target: MySQLTarget, tmp_path: Path) -> None:
    run_import(target, ImportPlan(limit=10), tmp_path)
    importer = CityImporter(target)
    with pytest.raises(ImportFailed, match="expected 11"):
        importer.verify(11)
    importer.execute("ALTER TABLE cities DROP INDEX idx_city_name")
    with pytest.raises(ImportFailed, match="idx_city_name"):
        importer.verify(10)
    importer.close()


def test_command_imports_and_reports(target: MySQLTarget) -> None:
    _load_commands()
    result = CliRunner().invoke(cli, ["import-cities", "--mysql-url", url_of(target), "--limit", "25"])
    assert result.exit_code == 0, result.output
    assert "imported 25 cities" in result.output
    assert rows(target, "SELECT COUNT(*) FROM cities") == [(25,)]


def test_command_help_credits_geonames() -> None:
    _load_commands()
    result = CliRunner().invoke(cli, ["import-cities", "--help"])
    assert result.exit_code == 0
    assert "GeoNames" in result.output and "CC BY 4.0" in result.output


def test_command_rejects_a_non_mysql_url() -> None:
    _load_commands()
    result = CliRunner().invoke(cli, ["import-cities", "--mysql-url", "redis://127.0.0.1/0"])
    assert result.exit_code != 0
    assert "mysql://" in str(result.exception or result.output)


def test_command_says_clearly_when_mariadb_is_not_there() -> None:
    from tests.conftest import free_port

    _load_commands()
    result = CliRunner().invoke(cli, ["import-cities", "--mysql-url", f"mysql://root@127.0.0.1:{free_port()}/c"])
    assert result.exit_code == 1
    assert "refused the import" in result.output
