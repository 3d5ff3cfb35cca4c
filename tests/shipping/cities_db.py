"""A private cities database for one test session: the most populous real cities, imported the real way."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

from services.shipping.cityimport import ImportPlan, run_import
from services.shipping.db import MySQLTarget

# Enough to hold Hyderabad, London, New York, Sydney and several matches per prefix.
TEST_CITIES = 2000


def private_target(mysql_url: str) -> MySQLTarget:
    """A database of its own on the test MariaDB, so concurrent test runs never share tables."""
    base = MySQLTarget.from_url(mysql_url)
    return replace(base, database=f"{base.database}_ship_{uuid.uuid4().hex[:10]}")


def drop_database(target: MySQLTarget) -> None:
    conn = target.connect(with_database=False)
    with conn.cursor() as cur:
        cur.execute(f"DROP DATABASE IF EXISTS `{target.database}`")
    conn.close()


@contextlib.contextmanager
def imported_cities(mysql_url: str, workdir: Path, plan: ImportPlan | None = None) -> Iterator[MySQLTarget]:
    target = private_target(mysql_url)
    try:
        run_import(target, plan or ImportPlan(limit=TEST_CITIES), workdir)
        yield target
    finally:
        drop_database(target)


def url_of(target: MySQLTarget) -> str:
    auth = target.user + (f":{target.password}" if target.password else "")
    return f"mysql://{auth}@{target.host}:{target.port}/{target.database}"
