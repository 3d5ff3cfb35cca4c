"""Every environment variable the services read, in one table.

The table is the single source for the README's variable table, the rendered
environment files and the docs, so a variable cannot exist in one and not the others.
Values are read at call time (not import time) so tests and `cloudkart up` can set them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

# The spec's ports. The order processor has none: it only consumes from RabbitMQ.
SERVICE_PORTS: dict[str, int] = {
    "user": 8081,
    "catalogue": 8082,
    "cart": 8083,
    "payment": 8084,
    "shipping": 8086,
}
SERVICES: tuple[str, ...] = ("user", "catalogue", "cart", "shipping", "payment", "orders")


@dataclass(frozen=True)
class Setting:
    name: str
    default: str
    help: str
    used_by: tuple[str, ...]
    secret: bool = False


_ALL = ("user", "catalogue", "cart", "shipping", "payment", "orders")

SETTINGS: dict[str, Setting] = {
    s.name: s
    for s in (
        Setting("LISTEN_HOST", "127.0.0.1", "Address the HTTP service binds to.", _ALL[:-1]),
        Setting("LISTEN_PORT", "", "Port the HTTP service binds to (empty: the spec's port).", _ALL[:-1]),
        Setting(
            "TRUSTED_PROXY",
            "127.0.0.1",
            "Address of the Nginx in front; its X-Forwarded-For/Proto are believed (empty: none).",
            _ALL[:-1],
        ),
        Setting("LOG_LEVEL", "INFO", "DEBUG, INFO, WARNING or ERROR.", _ALL),
        Setting("MAX_BODY_BYTES", "16384", "Largest request body accepted (413 above).", _ALL[:-1]),
        Setting("HTTP_TIMEOUT", "3", "Seconds to wait for another service before answering 503.", _ALL),
        Setting(
            "MONGO_URL",
            "",
            "MongoDB URL. Empty: the embedded store in EMBEDDED_MONGO_DIR.",
            ("user", "catalogue"),
            secret=True,
        ),
        Setting("MONGO_DB", "cloudkart", "MongoDB database name.", ("user", "catalogue")),
        Setting(
            "EMBEDDED_MONGO_DIR",
            "var/mongo",
            "Data folder of the embedded MongoDB-compatible store (only when MONGO_URL is empty).",
            ("user", "catalogue"),
        ),
        Setting(
            "SESSION_REDIS_URL",
            "redis://127.0.0.1:6379/0",
            "Redis holding sessions (the user-db host).",
            ("user", "cart", "payment"),
            secret=True,
        ),
        Setting(
            "CART_REDIS_URL",
            "redis://127.0.0.1:6379/0",
            "Redis holding carts (the cart-redis host).",
            ("cart",),
            secret=True,
        ),
        Setting("SESSION_TTL", "86400", "Seconds a session and its cart live (24 h).", ("user", "cart")),
        Setting(
            "MYSQL_URL",
            "mysql://root@127.0.0.1:3306/cities",
            "MySQL/MariaDB holding the cities table.",
            ("shipping",),
            secret=True,
        ),
        Setting(
            "AMQP_URL",
            "amqp://guest:guest@127.0.0.1:5672/%2F",
            "RabbitMQ URL.",
            ("payment", "orders"),
            secret=True,
        ),
        Setting("USER_URL", "http://127.0.0.1:8081", "Base URL of the user service.", ("payment",)),
        Setting("CATALOGUE_URL", "http://127.0.0.1:8082", "Base URL of the catalogue service.", ("cart", "orders")),
        Setting("CART_URL", "http://127.0.0.1:8083", "Base URL of the cart service.", ("payment",)),
        Setting("SHIPPING_URL", "http://127.0.0.1:8086", "Base URL of the shipping service.", ("cart",)),
        Setting(
            "CATALOGUE_CACHE_SECONDS",
            "2",
            "Seconds the catalogue keeps a product read in memory (stock may be that stale; 0: off).",
            ("catalogue",),
        ),
        Setting("CART_TAX_RATE", "0", "Tax rate as a decimal fraction, e.g. 0.18 (spec: 0).", ("cart",)),
        Setting("ORDER_PROCESSING_SECONDS", "1", "Simulated fulfilment time per order.", ("orders",)),
        Setting(
            "ORDER_MAX_ATTEMPTS",
            "5",
            "Tries before an order that keeps failing goes to the dead-letter queue.",
            ("orders",),
        ),
        Setting("ORDER_RETRY_SECONDS", "2", "Wait before retrying a failed order; doubles per try.", ("orders",)),
    )
}


class ConfigError(ValueError):
    """A variable is set to something the service cannot use."""


def get(name: str) -> str:
    """The variable's value from the environment, else its documented default."""
    setting = SETTINGS[name]
    return os.environ.get(name, setting.default)


def get_int(name: str) -> int:
    value = get(name)
    try:
        return int(value)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, got {value!r}") from None


def get_float(name: str) -> float:
    value = get(name)
    try:
        return float(value)
    except ValueError:
        raise ConfigError(f"{name} must be a number, got {value!r}") from None


def listen_port(service: str) -> int:
    """LISTEN_PORT if set, else the spec's port for this service."""
    return get_int("LISTEN_PORT") if get("LISTEN_PORT") else SERVICE_PORTS[service]


def settings_for(service: str) -> list[Setting]:
    return [s for s in SETTINGS.values() if service in s.used_by]
