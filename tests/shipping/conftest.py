from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from services.shipping.db import MySQLTarget
from tests.shipping.cities_db import imported_cities, url_of


@pytest.fixture(scope="session")
def cities_db(mysql_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[MySQLTarget]:
    with imported_cities(mysql_url, tmp_path_factory.mktemp("cities")) as target:
        yield target


@pytest.fixture
def shipping_url(
    cities_db: MySQLTarget, service_env: dict[str, str], monkeypatch: pytest.MonkeyPatch, live_server: Callable
) -> str:
    from services.shipping.app import create_app

    monkeypatch.setenv("MYSQL_URL", url_of(cities_db))
    return live_server(create_app())
