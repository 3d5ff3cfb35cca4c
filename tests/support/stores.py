"""Data stores for the tests: private Redis, MariaDB, RabbitMQ and Mongo stand-in on free loopback ports.

Started once per test session, in parallel (RabbitMQ's few seconds dominate), so tests never depend
on the machine's own services: CI passes on a fresh machine where none run, and a fault test may
stop one of these without touching anything another engineer's tests use.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from services.localrun.datastores import MariaDBServer, MongoStandin, RabbitMQServer, RedisServer, Server, free_port


@dataclass
class StoreSet:
    redis_url: str
    mysql_url: str
    amqp_url: str
    mongo_url: str
    # The broker itself, for tests that need a virtual host of their own (see RabbitMQServer.add_vhost).
    rabbitmq: RabbitMQServer | None = field(default=None, repr=False)


def _stop_all(servers: list[Server]) -> None:
    with ThreadPoolExecutor(len(servers)) as pool:
        list(pool.map(lambda server: server.stop(), servers))
    left = [s.kind for s in servers if s.running()]
    if left:
        raise RuntimeError(f"test data stores still running after teardown: {', '.join(left)}")


@contextlib.contextmanager
def start_stores(workdir: Path) -> Iterator[StoreSet]:
    redis = RedisServer(workdir / "redis", free_port())
    mysql = MariaDBServer(workdir / "mysql", free_port())
    amqp = RabbitMQServer(workdir / "rabbitmq", free_port())
    mongo = MongoStandin(workdir / "mongo", free_port())
    servers: list[Server] = [redis, mysql, amqp, mongo]
    try:
        with ThreadPoolExecutor(len(servers)) as pool:
            for started in [pool.submit(server.start) for server in servers]:
                started.result()
        yield StoreSet(redis_url=redis.url, mysql_url=mysql.url, amqp_url=amqp.url, mongo_url=mongo.url, rabbitmq=amqp)
    finally:
        _stop_all(servers)
