from __future__ import annotations

from collections.abc import Callable

import pytest

from services.user.app import create_app
from tests.user.fixtures import close_mongo_clients, mongo_mode, mongodb_down, unused_port

__all__ = ["close_mongo_clients", "mongo_mode", "mongodb_down", "unused_port"]


@pytest.fixture
def user_url(mongo_mode: str, close_mongo_clients: None, live_server: Callable[..., str]) -> str:
    """The user service on a free port, on real Redis and on the MongoDB path of `mongo_mode`."""
    return live_server(create_app())
