"""Publishes orders to RabbitMQ and returns only once the broker has confirmed them.

pika's BlockingConnection is not thread-safe, and waitress answers requests on several threads.
One connection serves every thread, behind a lock: a publish with confirms takes about a millisecond,
so serializing them costs little, while a connection per thread would multiply broker connections
by the thread count and leave idle ones to time out.
"""

from __future__ import annotations

import contextlib
import json
import logging
import threading
from typing import Any

import pika
import pika.exceptions

from services.common import amqp
from services.common.errors import Unavailable

log = logging.getLogger("cloudkart.payment.publisher")

PERSISTENT = pika.DeliveryMode.Persistent


class OrderPublisher:
    def __init__(self, url: str | None = None) -> None:
        self.url = url
        self.lock = threading.Lock()
        self.connection: pika.BlockingConnection | None = None
        self.channel: Any = None

    def start(self) -> None:
        """Declare the topology now, so orders are kept even before the processor first runs.

        A broker that is down at start is not fatal: the first publish connects again.
        """
        with self.lock:
            try:
                self._open()
            except amqp.ERRORS as exc:
                log.warning("rabbitmq not reachable at start", extra={"url": amqp.safe_url(self.url), "err": repr(exc)})

    def publish(self, order: dict[str, Any]) -> None:
        """Publish `order` as a persistent JSON message; raises Unavailable unless the broker confirmed it."""
        body = json.dumps(order).encode()
        with self.lock:
            # A second try covers a connection the broker dropped while idle (heartbeat, restart).
            # Publishing twice is harmless: the order id is the same and the processor is idempotent by it.
            for attempt in (1, 2):
                try:
                    if self.channel is None or self.channel.is_closed:
                        self._open()
                    self.channel.basic_publish(
                        amqp.EXCHANGE,
                        amqp.ROUTING_KEY,
                        body,
                        properties=pika.BasicProperties(
                            content_type="application/json",
                            delivery_mode=PERSISTENT,
                            message_id=order["orderid"],
                        ),
                        mandatory=True,
                    )
                    return
                except (pika.exceptions.UnroutableError, pika.exceptions.NackError) as exc:
                    # Unroutable: someone deleted the queue; reopening declares it again.
                    reason: BaseException = exc
                except amqp.ERRORS as exc:
                    reason = exc
                log.warning("publish failed", extra={"attempt": attempt, "error": repr(reason)})
                self._close()
        raise Unavailable(amqp.DEPENDENCY, type(reason).__name__)

    def close(self) -> None:
        with self.lock:
            self._close()

    def _open(self) -> None:
        self._close()
        self.connection = amqp.connect(self.url)
        channel = self.connection.channel()
        channel.confirm_delivery()
        amqp.declare(channel)
        self.channel = channel
        log.info("connected to rabbitmq", extra={"url": amqp.safe_url(self.url)})

    def _close(self) -> None:
        connection, self.connection, self.channel = self.connection, None, None
        if connection is not None and connection.is_open:
            # It is being thrown away either way; a broker that already dropped it has nothing to say.
            with contextlib.suppress(*amqp.ERRORS):
                connection.close()
