"""The RabbitMQ side of the order processor: consume, ack after the work, retry, dead-letter, reconnect.

- prefetch 1 and a manual ack after processing: a crash or kill mid-order leaves the message unacked,
  so the broker redelivers it; nothing is lost.
- A failed order is published again with its attempt count in a header, then the failed copy is acked
  (a plain requeue would not count attempts). After ORDER_MAX_ATTEMPTS, or at once for a message that
  can never work (bad JSON, no items), it is rejected into the dead-letter queue.
- A consumer the broker cancels (the queue was deleted) reconnects and declares the queue again.
- `stop()` (SIGTERM) only sets a flag: the current order finishes and is acked, then the loop ends.
"""

from __future__ import annotations

import logging
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

import pika
import pika.exceptions

from services.common import amqp
from services.orders.fulfilment import BadOrder, Order, parse

log = logging.getLogger("cloudkart.orders")

ATTEMPT_HEADER = "x-cloudkart-attempt"
MAX_BACKOFF_SECONDS = 30.0
POLL_SECONDS = 0.5  # how soon an idle consumer notices stop()
REMEMBERED_ORDERS = 10_000


class OrderConsumer:
    def __init__(
        self,
        handle: Callable[[Order], None],
        *,
        max_attempts: int,
        retry_seconds: float,
        url: str | None = None,
    ) -> None:
        self.handle = handle
        self.max_attempts = max_attempts
        self.retry_seconds = retry_seconds
        self.url = url
        self.stopping = False
        self.backoff = 1.0
        # Orders this process finished, so a redelivered copy is acked without being done twice.
        self.done: OrderedDict[str, None] = OrderedDict()

    def stop(self, *_: Any) -> None:
        self.stopping = True

    def run(self) -> None:
        """Consume until stop(); reconnect with exponential backoff whenever the broker goes away."""
        while not self.stopping:
            try:
                self._consume()
            except amqp.ERRORS as exc:
                log.warning(
                    "rabbitmq unavailable, reconnecting",
                    extra={"url": amqp.safe_url(self.url), "err": repr(exc), "in_seconds": self.backoff},
                )
                self._pause(self.backoff)
                self.backoff = min(self.backoff * 2, MAX_BACKOFF_SECONDS)
        log.info("order processor stopped")

    def _consume(self) -> None:
        connection = amqp.connect(self.url)
        try:
            channel = connection.channel()
            amqp.declare(channel)
            channel.confirm_delivery()
            channel.basic_qos(prefetch_count=1)
            channel.basic_consume(amqp.QUEUE, self._on_message)
            log.info("consuming", extra={"url": amqp.safe_url(self.url), "queue": amqp.QUEUE, "prefetch": 1})
            self.backoff = 1.0
            while not self.stopping:
                connection.process_data_events(time_limit=POLL_SECONDS)
                if not channel.consumer_tags:
                    # The broker cancelled us: the queue was deleted (or its node failed). Connecting
                    # again declares it anew; staying connected would wait forever on nothing.
                    raise pika.exceptions.ConsumerCancelled("the broker cancelled the consumer")
        finally:
            if connection.is_open:
                connection.close()

    def _on_message(
        self, channel: Any, method: pika.spec.Basic.Deliver, properties: pika.BasicProperties, body: bytes
    ) -> None:
        attempt = int((properties.headers or {}).get(ATTEMPT_HEADER, 1))
        try:
            order = parse(body)
            if order.orderid in self.done:
                log.info("order already processed, acking the copy", extra={"orderid": order.orderid})
            else:
                self.handle(order)
                self._remember(order.orderid)
        except BadOrder as exc:
            self._dead_letter(channel, method, str(exc))
            return
        except Exception as exc:  # any other failure may pass: retry it, but not forever
            if attempt >= self.max_attempts:
                self._dead_letter(channel, method, f"failed {attempt} times, last: {exc!r}")
                return
            self._retry(channel, method, properties, body, attempt, exc)
            return
        channel.basic_ack(method.delivery_tag)

    def _retry(
        self,
        channel: Any,
        method: pika.spec.Basic.Deliver,
        properties: pika.BasicProperties,
        body: bytes,
        attempt: int,
        exc: Exception,
    ) -> None:
        wait = min(self.retry_seconds * 2 ** (attempt - 1), MAX_BACKOFF_SECONDS)
        log.warning("order failed, will retry", extra={"attempt": attempt, "err": repr(exc), "in_seconds": wait})
        self._pause(wait)
        headers = {**(properties.headers or {}), ATTEMPT_HEADER: attempt + 1}
        retry = pika.BasicProperties(
            content_type=properties.content_type,
            delivery_mode=pika.DeliveryMode.Persistent,
            message_id=properties.message_id,
            headers=headers,
        )
        # Confirmed before the ack: if the broker dies in between, the original is redelivered.
        channel.basic_publish("", amqp.QUEUE, body, properties=retry, mandatory=True)
        channel.basic_ack(method.delivery_tag)

    def _dead_letter(self, channel: Any, method: pika.spec.Basic.Deliver, reason: str) -> None:
        log.error("order dead-lettered", extra={"reason": reason, "queue": amqp.DEAD_QUEUE})
        channel.basic_reject(method.delivery_tag, requeue=False)

    def _remember(self, orderid: str) -> None:
        self.done[orderid] = None
        if len(self.done) > REMEMBERED_ORDERS:
            self.done.popitem(last=False)

    def _pause(self, seconds: float) -> None:
        """Sleep, but wake up early on stop() so SIGTERM is never kept waiting by a backoff."""
        deadline = time.monotonic() + seconds
        while not self.stopping and time.monotonic() < deadline:
            time.sleep(min(POLL_SECONDS, deadline - time.monotonic()))
