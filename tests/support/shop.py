"""The `running_shop` fixture: the whole shop (six services, storefront, real Nginx) for a test session.

It runs the same code as `cloudkart up`, on a free block of ports and a temporary state folder, on
the session's private stores, yet apart from what other tests do to them: its own Redis db, MariaDB
database, Mongo database and RabbitMQ virtual host (so its order processor never takes another
test's messages).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from services.localrun.ports import Ports, free_base
from services.localrun.shop import Shop
from tests.support.stores import StoreSet

# Enough real cities for the storefront's autocomplete, quick to import.
CITIES_LIMIT = 5000


def _with_path(url: str, path: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path=path))


@contextlib.contextmanager
def run_shop(stores: StoreSet, state_dir: Path) -> Iterator[Shop]:
    assert stores.rabbitmq is not None, "running_shop needs the session's private RabbitMQ"
    shop = Shop(
        state_dir,
        Ports.from_base(free_base()),
        store_urls={
            "redis": _with_path(stores.redis_url, "/1"),
            "mysql": _with_path(stores.mysql_url, "/shop_cities"),
            "rabbitmq": stores.rabbitmq.add_vhost("shop"),
            "mongodb": stores.mongo_url,
        },
        mongo_db="cloudkart_shop",
        cities_limit=CITIES_LIMIT,
    )
    try:
        shop.up()
        yield shop
    finally:
        shop.down()
        left = [part.name for part in shop.status() if part.pid]
        if left:
            raise RuntimeError(f"running_shop parts still running after teardown: {', '.join(left)}")
