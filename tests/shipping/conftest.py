from __future__ import annotations

from collections.abc import Iterator

import pytest

from services.shipping.db import MySQLTarget
from tests.shipping.cities_db import imported_cities, url_of
from tests.shipping.serving import session_server


@pytest.fixture(scope="session")
def cities_db(mysql_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[MySQLTarget]:
    with imported_cities(mysql_url, tmp_path_factory.mktemp("cities")) as target:
        yield target


@pytest.fixture(scope="session")
def shipping_url(cities_db: MySQLTarget) -> Iterator[str]:
    from services.shipping.app import create_app

    with session_server(create_app, {"MYSQL_URL": url_of(cities_db), "LOG_LEVEL": "WARNING"}) as url:
        yield url
