"""Shared fixtures: real data stores and real HTTP servers, never mocks.

Fixture contract (services' tests rely on these names):
- `redis_url`, `mysql_url`, `amqp_url`: URLs of real Redis, MariaDB and RabbitMQ for this test session.
- `mongo_url`: a real pymongo URL (briskdb's Mongo wire listener on a free loopback port).
- `service_env`: sets every CloudKart variable to point at the stores above (monkeypatched per test).
- `live_server(app)`: serves a WSGI app with waitress on a free loopback port, returns its base URL.
- `running_shop`: the whole shop behind the real Nginx, started once per session (tests/support/shop.py):
  `.url`, `.service_url(name)`, `.amqp_url`, `.log(service)`.
- `provisioned_hosts`: local systemd hosts booted and provisioned once per session (tests/support/hosts.py,
  marker `hosts`, needs root): `.url`, `.inventory`, `.exec(host, *cmd)`, `.hosts` (services.hosts.LocalHosts).
"""

from __future__ import annotations

import contextlib
import socket
from collections.abc import Callable, Iterator

import pytest

from services.localrun.shop import Shop
from tests.support.shop import run_shop
from tests.support.stores import StoreSet, start_stores
from tests.support.wsgi import serving

# Session fixtures that live in their own module, registered here so every test folder shares one instance.
pytest_plugins = ["tests.support.hosts", "tests.support.ci_skips"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def stores(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StoreSet]:
    with start_stores(tmp_path_factory.mktemp("stores")) as running:
        yield running


@pytest.fixture(scope="session")
def running_shop(stores: StoreSet, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Shop]:
    with run_shop(stores, tmp_path_factory.mktemp("shop")) as shop:
        yield shop


@pytest.fixture(scope="session")
def redis_url(stores: StoreSet) -> str:
    return stores.redis_url


@pytest.fixture(scope="session")
def mysql_url(stores: StoreSet) -> str:
    return stores.mysql_url


@pytest.fixture(scope="session")
def amqp_url(stores: StoreSet) -> str:
    return stores.amqp_url


@pytest.fixture(scope="session")
def mongo_url(stores: StoreSet) -> str:
    return stores.mongo_url


@pytest.fixture
def service_env(monkeypatch: pytest.MonkeyPatch, stores: StoreSet, tmp_path) -> dict[str, str]:
    env = {
        "SESSION_REDIS_URL": stores.redis_url,
        "CART_REDIS_URL": stores.redis_url,
        "MYSQL_URL": stores.mysql_url,
        "AMQP_URL": stores.amqp_url,
        "MONGO_URL": stores.mongo_url,
        "EMBEDDED_MONGO_DIR": str(tmp_path / "mongo"),
        "LOG_LEVEL": "WARNING",
    }
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    return env


@pytest.fixture
def live_server() -> Iterator[Callable[..., str]]:
    with contextlib.ExitStack() as servers:
        yield lambda app, host="127.0.0.1": servers.enter_context(serving(app, host))
