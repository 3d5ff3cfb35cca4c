from __future__ import annotations

from collections.abc import Callable

import pytest

from services.catalogue.app import create_app
from services.catalogue.seeding import seed_products
from services.common import mongo
from tests.user.fixtures import close_mongo_clients, mongo_mode, mongodb_down, unused_port

__all__ = ["close_mongo_clients", "mongo_mode", "mongodb_down", "unused_port"]


@pytest.fixture
def catalogue_url(mongo_mode: str, close_mongo_clients: None, live_server: Callable[..., str]) -> str:
    """The catalogue service, seeded, on a free port and on the MongoDB path of `mongo_mode`."""
    seed_products(mongo.database())
    return live_server(create_app())


@pytest.fixture
def unseeded_catalogue_url(
    service_env: dict[str, str], close_mongo_clients: None, live_server: Callable[..., str]
) -> str:
    """The catalogue with no data, for requests refused before any store is read (bad input)."""
    return live_server(create_app())
