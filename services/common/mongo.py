"""The one place a service gets its MongoDB database.

MONGO_URL set: a real MongoDB (or CloudKart's stand-in listener) through pymongo.MongoClient.
MONGO_URL empty: briskdb's embedded store, which answers the same pymongo calls in-process from
SQLite files in EMBEDDED_MONGO_DIR. Service code is the same either way.
The embedded store is for one process per folder (tests, a single service): bench/mongo_stores.py saw
several processes opening one folder fail (DataCorruptionError on open, failed reads), so whenever
several services share MongoDB, `cloudkart mongo-standin` owns the folder and they set MONGO_URL.
"""

from __future__ import annotations

import contextlib
import functools
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import ParamSpec, TypeVar

import pymongo
from pymongo.collection import Collection
from pymongo.database import Database

from services.common import config
from services.common.errors import Unavailable
from services.common.stores import unavailable_as_503

T = TypeVar("T")
P = ParamSpec("P")

WRITE_CONFLICT = 112  # MongoDB's code; briskdb answers it ("database is busy") when writers collide
CONFLICT_ATTEMPTS = 30
SOLE_OWNER_NEEDED = 20  # IllegalOperation: briskdb's answer to a schema change while other processes are open

# briskdb needs a shard count when it creates a folder, and the same count when it reopens it.
EMBEDDED_SHARDS = 2


def embedded_shards(folder: Path) -> int | None:
    """The shards argument of briskdb.open(folder): EMBEDDED_SHARDS for a new folder, None (keep its own) otherwise."""
    return None if (folder / "manifest.sqlite").exists() else EMBEDDED_SHARDS


def database() -> Database:
    url = config.get("MONGO_URL")
    timeout_ms = int(config.get_float("HTTP_TIMEOUT") * 1000)
    if url:
        client = pymongo.MongoClient(url, serverSelectionTimeoutMS=timeout_ms, connectTimeoutMS=timeout_ms)
    else:
        import briskdb  # only the embedded path needs it

        folder = Path(config.get("EMBEDDED_MONGO_DIR"))
        folder.mkdir(parents=True, exist_ok=True)
        client = briskdb.MongoClient(folder=str(folder), shards=EMBEDDED_SHARDS)
    return client[config.get("MONGO_DB")]


def mongo_errors(dependency: str = "mongodb") -> contextlib.AbstractContextManager[None]:
    return unavailable_as_503(dependency, pymongo.errors.ConnectionFailure, pymongo.errors.ServerSelectionTimeoutError)


def ping(db: Database) -> None:
    db.client.admin.command("ping")


class IndexedCollection:
    """A collection whose unique indexes are created (idempotently) before its first use.

    Lazily, not at import: a service whose MongoDB is still starting comes up, answers 503 naming
    MongoDB, and creates the indexes on the first request that reaches it.
    """

    def __init__(self, collection: Collection, unique: tuple[str, ...]) -> None:
        self._collection = collection
        self._unique = unique
        self._ready = False
        self._lock = threading.Lock()

    def __call__(self) -> Collection:
        if not self._ready:
            with self._lock, mongo_errors():
                if not self._ready:
                    for field in self._unique:
                        self._create_unique(field)
                    self._ready = True
        return self._collection

    def _create_unique(self, field: str) -> None:
        try:
            self._collection.create_index(field, unique=True)
        except pymongo.errors.OperationFailure as exc:
            if exc.code != SOLE_OWNER_NEEDED:
                raise
            # briskdb embedded: a new index needs the only open handle on the folder, and another service has one.
            raise Unavailable(
                "mongodb",
                f"cannot create the {field} index while another process has the embedded store open: "
                "serve it with `cloudkart mongo-standin` and set MONGO_URL",
            ) from exc


def retry_conflicts(operation: Callable[[], T]) -> T:
    """Run `operation`, again after a short pause each time the store reports a write conflict.

    Under concurrent writes briskdb answers "database is busy" (MongoDB's WriteConflict code) to writes
    and to reads alike; the operation did not happen, so running it again is safe. Still conflicting
    after about a second: 503 naming MongoDB.
    """
    for attempt in range(CONFLICT_ATTEMPTS):
        try:
            return operation()
        except pymongo.errors.OperationFailure as exc:
            if exc.code != WRITE_CONFLICT:
                raise
            time.sleep(min(0.001 * 2**attempt, 0.05))
    raise Unavailable("mongodb", "busy: operations kept conflicting")


def conflict_retrying(method: Callable[P, T]) -> Callable[P, T]:
    """Decorate a store method that may safely run again as a whole (reads, or one final write)."""

    @functools.wraps(method)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> T:
        return retry_conflicts(lambda: method(*args, **kwargs))

    return wrapper
