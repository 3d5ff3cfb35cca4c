"""The order processor under test: in a thread, on the session's private RabbitMQ, with a warehouse stand-in."""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from services.orders.app import create_consumer
from services.orders.consumer import OrderConsumer
from tests.orders import queues
from tests.orders.warehouse_standin import WarehouseStandin


def order(orderid: str | None = None, **cart: Any) -> dict[str, Any]:
    items = [{"sku": "linux", "name": "Linux", "price": 1999, "qty": 2, "subtotal": 3998}]
    return {
        "orderid": orderid or str(uuid.uuid4()),
        "user": str(uuid.uuid4()),
        "customer": {"email": "asha@example.com"},
        "cart": {"total": 3998, "tax": 0, "items": items, **cart},
    }


@dataclass
class ProcessorRig:
    amqp_url: str
    warehouse: WarehouseStandin
    consumer: OrderConsumer
    thread: threading.Thread

    def publish(self, message: dict[str, Any] | bytes) -> None:
        queues.publish_raw(self.amqp_url, message if isinstance(message, bytes) else json.dumps(message).encode())

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        """Stop and wait, so anything not acked is back in the queue when this returns."""
        self.consumer.stop()
        if self.thread.is_alive():
            self.thread.join(timeout=15)
        assert not self.thread.is_alive(), "the order processor did not stop"


@pytest.fixture
def warehouse_env(monkeypatch: pytest.MonkeyPatch, live_server: Callable[..., str]) -> WarehouseStandin:
    warehouse = WarehouseStandin()
    monkeypatch.setenv("CATALOGUE_URL", live_server(warehouse.app))
    monkeypatch.setenv("ORDER_PROCESSING_SECONDS", "0")
    monkeypatch.setenv("ORDER_RETRY_SECONDS", "0.01")
    monkeypatch.setenv("ORDER_MAX_ATTEMPTS", "3")
    return warehouse


@pytest.fixture
def processor(service_env: dict[str, str], warehouse_env: WarehouseStandin) -> Iterator[ProcessorRig]:
    queues.reset(service_env["AMQP_URL"])
    consumer = create_consumer()
    rig = ProcessorRig(service_env["AMQP_URL"], warehouse_env, consumer, threading.Thread(target=consumer.run))
    yield rig
    rig.stop()
