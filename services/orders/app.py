"""`cloudkart serve orders`: the order processor in the foreground (unit order-processor.service)."""

from __future__ import annotations

import signal

from services.common import amqp, config, logs
from services.common.peers import Peer
from services.orders.consumer import OrderConsumer
from services.orders.fulfilment import Fulfilment

SERVICE = "orders"


def create_consumer() -> OrderConsumer:
    fulfil = Fulfilment(Peer("CATALOGUE_URL", "catalogue service"), config.get_float("ORDER_PROCESSING_SECONDS"))
    return OrderConsumer(
        fulfil,
        max_attempts=config.get_int("ORDER_MAX_ATTEMPTS"),
        retry_seconds=config.get_float("ORDER_RETRY_SECONDS"),
    )


def main() -> None:
    log = logs.setup(SERVICE, config.get("LOG_LEVEL"))
    consumer = create_consumer()
    log.info(
        "order processor starting",
        extra={
            "amqp": amqp.safe_url(),
            "exchange": amqp.EXCHANGE,
            "queue": amqp.QUEUE,
            "dead_letter_queue": amqp.DEAD_QUEUE,
            "catalogue": config.get("CATALOGUE_URL"),
        },
    )
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, consumer.stop)
    consumer.run()
