"""The order processor on a real RabbitMQ: ack after the work, dead-letter what keeps failing, never twice."""

from __future__ import annotations

import json
import logging

import pytest

from services.common import amqp
from services.orders.consumer import ATTEMPT_HEADER
from tests.orders import queues
from tests.orders.conftest import ProcessorRig, order


def test_orders_published_while_the_processor_is_down_wait_and_are_processed(processor: ProcessorRig) -> None:
    placed = [order() for _ in range(3)]
    for message in placed:
        processor.publish(message)
    assert queues.depth(processor.amqp_url) == 3

    processor.start()
    queues.wait_until(lambda: len(processor.warehouse.calls) == 3, what="three warehouse notices")
    processor.stop()

    assert processor.warehouse.orderids() == [m["orderid"] for m in placed]
    assert processor.warehouse.calls[0]["items"] == [{"sku": "linux", "qty": 2}]
    assert queues.depth(processor.amqp_url) == 0
    assert queues.depth(processor.amqp_url, amqp.DEAD_QUEUE) == 0


@pytest.mark.parametrize(
    "poison",
    [
        b"{not json",
        b"[1, 2]",
        b'{"orderid": "42", "cart": {"items": [{"sku": "linux", "qty": 1}]}}',
        b'{"orderid": "0b5e8a4c-6a43-4c8e-9d57-1a8f9f1f2b3c", "cart": {"items": []}}',
        b'{"orderid": "0b5e8a4c-6a43-4c8e-9d57-1a8f9f1f2b3c", "cart": {"items": [{"sku": "linux", "qty": true}]}}',
    ],
    ids=["bad-json", "not-an-object", "orderid-not-uuid", "no-items", "qty-not-a-number"],
)
def test_a_message_that_can_never_work_goes_to_the_dead_letter_queue(processor: ProcessorRig, poison: bytes) -> None:
    good = order()
    processor.publish(poison)
    processor.publish(good)

    processor.start()
    queues.wait_until(lambda: processor.warehouse.orderids() == [good["orderid"]], what="the good order")
    processor.stop()

    [(_, dead)] = queues.take_all(processor.amqp_url, amqp.DEAD_QUEUE)
    assert dead in (poison, _json_or_none(poison))
    assert queues.depth(processor.amqp_url) == 0


def _json_or_none(body: bytes) -> object:
    try:
        return json.loads(body)
    except ValueError:
        return None


def test_an_order_that_keeps_failing_is_dead_lettered_after_the_last_attempt(processor: ProcessorRig) -> None:
    processor.warehouse.always = 503
    failing = order()
    processor.publish(failing)

    processor.start()
    queues.wait_until(lambda: queues.depth(processor.amqp_url, amqp.DEAD_QUEUE) == 1, what="a dead letter")
    processor.stop()

    assert processor.warehouse.orderids() == [failing["orderid"]] * 3
    [(properties, dead)] = queues.take_all(processor.amqp_url, amqp.DEAD_QUEUE)
    assert dead["orderid"] == failing["orderid"]
    assert properties.headers[ATTEMPT_HEADER] == 3
    assert queues.depth(processor.amqp_url) == 0


def test_an_order_that_fails_once_is_retried_and_processed(processor: ProcessorRig) -> None:
    processor.warehouse.script = [503]
    flaky = order()
    processor.publish(flaky)

    processor.start()
    queues.wait_until(lambda: processor.warehouse.orderids().count(flaky["orderid"]) == 2, what="the retry")
    processor.stop()

    assert queues.depth(processor.amqp_url) == 0
    assert queues.depth(processor.amqp_url, amqp.DEAD_QUEUE) == 0


def test_the_same_order_delivered_twice_is_processed_once(processor: ProcessorRig) -> None:
    twice, after = order(), order()
    processor.publish(twice)
    processor.publish(twice)
    processor.publish(after)

    processor.start()
    queues.wait_until(lambda: after["orderid"] in processor.warehouse.orderids(), what="the order after the copy")
    processor.stop()

    assert processor.warehouse.orderids() == [twice["orderid"], after["orderid"]]
    assert queues.depth(processor.amqp_url) == 0


def test_stock_shortage_is_logged_and_the_order_is_not_retried(
    processor: ProcessorRig, caplog: pytest.LogCaptureFixture
) -> None:
    processor.warehouse.script = [409]
    short = order()
    processor.publish(short)

    with caplog.at_level(logging.INFO, logger="cloudkart.orders"):
        processor.start()
        queues.wait_until(
            lambda: any(r.getMessage() == "confirmation email sent (simulated)" for r in caplog.records),
            what="the confirmation email",
        )
        processor.stop()

    assert processor.warehouse.orderids() == [short["orderid"]]
    assert any(r.getMessage() == "warehouse is short of stock" for r in caplog.records)
    assert queues.depth(processor.amqp_url, amqp.DEAD_QUEUE) == 0


def test_an_order_the_warehouse_refuses_is_dead_lettered_at_once(processor: ProcessorRig) -> None:
    processor.warehouse.script = [400]
    refused = order()
    processor.publish(refused)

    processor.start()
    queues.wait_until(lambda: queues.depth(processor.amqp_url, amqp.DEAD_QUEUE) == 1, what="a dead letter")
    processor.stop()

    assert processor.warehouse.orderids() == [refused["orderid"]]


def test_processor_consumes_again_after_the_queue_was_deleted_under_it(processor: ProcessorRig) -> None:
    processor.start()
    queues.wait_until(lambda: queues.consumers(processor.amqp_url) == 1, what="the processor to subscribe")

    queues.delete_queue(processor.amqp_url)
    after = order()
    processor.publish(after)  # a publisher declares the queue again, as payment does

    queues.wait_until(lambda: processor.warehouse.orderids() == [after["orderid"]], what="the order after the delete")
