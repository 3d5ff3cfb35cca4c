"""Fixtures shared by the user and catalogue tests.

`mongo_mode` runs a test on both MongoDB paths of services.common.mongo.database(): the embedded
briskdb store (MONGO_URL empty, EMBEDDED_MONGO_DIR a fresh folder) and a real pymongo client against a
Mongo wire listener (the `mongo_url` fixture)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from services.common import mongo
from services.localrun.datastores import free_port

MODES = ("embedded", "listener")


@pytest.fixture(params=MODES)
def mongo_mode(request: pytest.FixtureRequest, service_env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> str:
    if request.param == "embedded":
        monkeypatch.setenv("MONGO_URL", "")
    # A database of its own per test: no test sees another's users or stock.
    monkeypatch.setenv("MONGO_DB", f"t{uuid.uuid4().hex[:12]}")
    return request.param


@pytest.fixture
def close_mongo_clients(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Close every client an app opened during the test: the listener has a small socket limit, and
    an embedded store left open keeps its engine running."""
    opened = []
    open_database = mongo.database

    def tracked():
        db = open_database()
        opened.append(db)
        return db

    monkeypatch.setattr(mongo, "database", tracked)
    yield
    for db in opened:
        db.client.close()


@pytest.fixture
def unused_port() -> int:
    """A loopback port nothing listens on: a dependency that is down."""
    return free_port()


@pytest.fixture
def mongodb_down(service_env: dict[str, str], monkeypatch: pytest.MonkeyPatch, unused_port: int) -> None:
    """Point the service at a MongoDB that does not answer, and give up on it quickly."""
    monkeypatch.setenv("MONGO_URL", f"mongodb://127.0.0.1:{unused_port}/?directConnection=true")
    monkeypatch.setenv("HTTP_TIMEOUT", "0.5")
