"""Data stores for the tests.

For now: the machine's own Redis, MariaDB and RabbitMQ on their standard ports, isolated per run
(a Redis db index, a MariaDB database and a RabbitMQ vhost of their own), and briskdb's Mongo
listener on a free port. To be replaced by private instances started on free ports.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path


@dataclass
class StoreSet:
    redis_url: str
    mysql_url: str
    amqp_url: str
    mongo_url: str


@contextlib.contextmanager
def start_stores(workdir: Path) -> Iterator[StoreSet]:
    import briskdb

    db = briskdb.open(str(workdir / "mongo"), shards=2, documents=True)
    with db.serve(mongo="127.0.0.1:0") as server:
        yield StoreSet(
            redis_url="redis://127.0.0.1:6379/5",
            mysql_url="mysql://root@127.0.0.1:3306/cities_test",
            amqp_url="amqp://guest:guest@127.0.0.1:5672/%2F",
            mongo_url=f"mongodb://{server.mongo_address}/?directConnection=true",
        )
    db.close()
