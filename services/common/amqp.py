"""The RabbitMQ topology of orders, declared the same way by payment (publisher) and the order processor.

Both sides declare everything at start, so an order published before the processor ever ran waits in
the durable queue instead of being dropped by an exchange with no binding. RabbitMQ refuses to
redeclare a queue with different arguments, which is why the declaration lives here and only here.

A message that keeps failing is rejected into the dead-letter exchange, where it waits in its own
durable queue for a person to look at it, instead of looping through the order queue forever.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from urllib.parse import urlsplit, urlunsplit

import pika
import pika.exceptions
from pika.adapters.blocking_connection import BlockingChannel

from services.common import config

EXCHANGE = "cloudkart-orders"
QUEUE = "order-processing"
ROUTING_KEY = "orders"
DEAD_EXCHANGE = "cloudkart-orders.dead"
DEAD_QUEUE = "order-processing.dead"
DEPENDENCY = "rabbitmq"

# What a broker that is down, restarting or unreachable raises, at connect time or mid-call.
ERRORS: tuple[type[BaseException], ...] = (pika.exceptions.AMQPError, OSError)


def parameters(url: str | None = None) -> pika.URLParameters:
    """Connection parameters for AMQP_URL that give up after HTTP_TIMEOUT instead of hanging a request."""
    params = pika.URLParameters(url or config.get("AMQP_URL"))
    timeout = config.get_float("HTTP_TIMEOUT")
    params.socket_timeout = timeout
    params.stack_timeout = timeout * 2
    params.blocked_connection_timeout = timeout
    params.connection_attempts = 1
    return params


def connect(url: str | None = None) -> pika.BlockingConnection:
    return pika.BlockingConnection(parameters(url))


def declare(channel: BlockingChannel) -> None:
    """Exchange, durable queue and binding for orders, plus their dead-letter pair. Idempotent."""
    channel.exchange_declare(DEAD_EXCHANGE, "direct", durable=True)
    channel.queue_declare(DEAD_QUEUE, durable=True)
    channel.queue_bind(DEAD_QUEUE, DEAD_EXCHANGE, ROUTING_KEY)
    channel.exchange_declare(EXCHANGE, "direct", durable=True)
    channel.queue_declare(
        QUEUE,
        durable=True,
        arguments={"x-dead-letter-exchange": DEAD_EXCHANGE, "x-dead-letter-routing-key": ROUTING_KEY},
    )
    channel.queue_bind(QUEUE, EXCHANGE, ROUTING_KEY)


@contextlib.contextmanager
def channel(url: str | None = None) -> Iterator[BlockingChannel]:
    """A channel on a connection of its own, closed when the block ends: for one-off calls."""
    connection = connect(url)
    try:
        yield connection.channel()
    finally:
        connection.close()


def ping(url: str | None = None) -> None:
    """For /health: raises unless the broker accepts a connection and the topology can be declared."""
    with channel(url) as opened:
        declare(opened)


def safe_url(url: str | None = None) -> str:
    """AMQP_URL without its password, for logs."""
    parts = urlsplit(url or config.get("AMQP_URL"))
    host = parts.hostname or ""
    netloc = f"{parts.username}@{host}" if parts.username else host
    if parts.port:
        netloc += f":{parts.port}"
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))
