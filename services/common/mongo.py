"""The one place a service gets its MongoDB database.

MONGO_URL set: a real MongoDB (or CloudKart's stand-in listener) through pymongo.MongoClient.
MONGO_URL empty: briskdb's embedded store, which answers the same pymongo calls in-process from
SQLite files in EMBEDDED_MONGO_DIR. Service code is the same either way.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

import pymongo
from pymongo.database import Database

from services.common import config
from services.common.stores import unavailable_as_503

# briskdb needs a shard count when it creates a folder, and the same count when it reopens it.
EMBEDDED_SHARDS = 2


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
