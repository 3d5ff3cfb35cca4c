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
    connection = amqp.connect(url)
    try:
        channel = connection.channel()
        amqp.declare(channel)
        channel.queue_purge(amqp.QUEUE)
        channel.queue_purge(amqp.DEAD_QUEUE)
    finally:
        connection.close()


def _queue_state(url: str, queue: str) -> pika.spec.Queue.DeclareOk:
    connection = amqp.connect(url)
    try:
        return connection.channel().queue_declare(queue, passive=True).method
    finally:
        connection.close()


def depth(url: str, queue: str = amqp.QUEUE) -> int:
    return _queue_state(url, queue).message_count


def consumers(url: str, queue: str = amqp.QUEUE) -> int:
    return _queue_state(url, queue).consumer_count


def delete_queue(url: str, queue: str = amqp.QUEUE) -> None:
    """What `rabbitmqctl delete_queue order-processing` does (one of the graders' faults)."""
    connection = amqp.connect(url)
    try:
        connection.channel().queue_delete(queue)
    finally:
        connection.close()


def take_all(url: str, queue: str = amqp.QUEUE) -> list[tuple[pika.BasicProperties, dict[str, Any] | bytes]]:
    """Remove and return every message in `queue` (JSON bodies decoded)."""
    taken = []
    connection = amqp.connect(url)
    try:
        channel = connection.channel()
        while True:
            method, properties, body = channel.basic_get(queue, auto_ack=True)
            if method is None:
                return taken
            try:
                taken.append((properties, json.loads(body)))
            except ValueError:
                taken.append((properties, body))
    finally:
        connection.close()


def publish_raw(url: str, body: bytes) -> None:
    """Put a message on the order exchange exactly as given, bypassing payment's checks."""
    connection = amqp.connect(url)
    try:
        channel = connection.channel()
        amqp.declare(channel)
        channel.confirm_delivery()
        channel.basic_publish(
            amqp.EXCHANGE, amqp.ROUTING_KEY, body, pika.BasicProperties(delivery_mode=2), mandatory=True
        )
    finally:
        connection.close()


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
