"""Looking at the order queues from a test: reset them, count them, read what is in them."""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pika

from services.common import amqp
from services.localrun.datastores import RabbitMQServer, free_port


def reset(url: str) -> None:
    """Declare the topology and empty both queues, so each test starts from nothing."""
    with amqp.channel(url) as channel:
        amqp.declare(channel)
        channel.queue_purge(amqp.QUEUE)
        channel.queue_purge(amqp.DEAD_QUEUE)


def queue_state(url: str, queue: str = amqp.QUEUE) -> pika.spec.Queue.DeclareOk:
    """The queue's message and consumer counts, without changing it."""
    with amqp.channel(url) as channel:
        return channel.queue_declare(queue, passive=True).method


def depth(url: str, queue: str = amqp.QUEUE) -> int:
    return queue_state(url, queue).message_count


def consumers(url: str, queue: str = amqp.QUEUE) -> int:
    return queue_state(url, queue).consumer_count


def delete_queue(url: str, queue: str = amqp.QUEUE) -> None:
    """What `rabbitmqctl delete_queue order-processing` does (one of the graders' faults)."""
    with amqp.channel(url) as channel:
        channel.queue_delete(queue)


def take_all(url: str, queue: str = amqp.QUEUE) -> list[tuple[pika.BasicProperties, dict[str, Any] | bytes]]:
    """Remove and return every message in `queue` (JSON bodies decoded)."""
    taken = []
    with amqp.channel(url) as channel:
        while True:
            method, properties, body = channel.basic_get(queue, auto_ack=True)
            if method is None:
                return taken
            try:
                taken.append((properties, json.loads(body)))
            except ValueError:
                taken.append((properties, body))


def publish_raw(url: str, body: bytes) -> None:
    """Put a message on the order exchange exactly as given, bypassing payment's checks."""
    with amqp.channel(url) as channel:
        amqp.declare(channel)
        channel.confirm_delivery()
        channel.basic_publish(
            amqp.EXCHANGE, amqp.ROUTING_KEY, body, pika.BasicProperties(delivery_mode=2), mandatory=True
        )


def wait_until(condition: Callable[[], bool], timeout: float = 15.0, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.05)


@contextlib.contextmanager
def private_broker(workdir: Path) -> Iterator[RabbitMQServer]:
    """A RabbitMQ node of this test's own, which the test may stop and start (never the machine's)."""
    broker = RabbitMQServer(workdir / "rabbitmq", free_port())
    broker.start()
    try:
        yield broker
    finally:
        broker.stop()
