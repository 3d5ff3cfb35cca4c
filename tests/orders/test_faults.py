"""The order processor when things break: the broker restarts, or the processor is stopped mid-order."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from services.orders.app import create_consumer
from tests.orders import queues
from tests.orders.conftest import order
from tests.orders.warehouse_standin import WarehouseStandin

ROOT = Path(__file__).resolve().parents[2]


def test_processor_reconnects_after_the_broker_restarts(
    monkeypatch: pytest.MonkeyPatch, warehouse_env: WarehouseStandin, tmp_path: Path
) -> None:
    with queues.private_broker(tmp_path) as broker:
        monkeypatch.setenv("AMQP_URL", broker.url)
        consumer = create_consumer()
        thread = threading.Thread(target=consumer.run)
        thread.start()
        try:
            before = order()
            queues.publish_raw(broker.url, json.dumps(before).encode())
            queues.wait_until(lambda: warehouse_env.orderids() == [before["orderid"]], what="the first order")

            broker.stop()
            broker.start()
            after = order()
            queues.publish_raw(broker.url, json.dumps(after).encode())

            queues.wait_until(lambda: after["orderid"] in warehouse_env.orderids(), timeout=30, what="reconnect")
        finally:
            consumer.stop()
            thread.join(timeout=15)
        assert not thread.is_alive()
        assert queues.depth(broker.url) == 0


class ProcessorProcess:
    """`cloudkart serve orders` as systemd runs it: a process of its own, JSON lines on stdout."""

    def __init__(self, env: dict[str, str]) -> None:
        command = [sys.executable, "-c", "from services.cli.app import main; main()", "serve", "orders"]
        self.proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
        self.lines: list[dict] = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            self.lines.append(json.loads(line))

    def wait(self, timeout: float) -> int:
        """The exit code, once every line the process wrote has been read."""
        code = self.proc.wait(timeout=timeout)
        self.reader.join(timeout=timeout)
        return code

    def logged(self, msg: str) -> bool:
        return any(line["msg"] == msg for line in self.lines)

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()


@pytest.fixture
def processor_env(service_env: dict[str, str], warehouse_env: WarehouseStandin) -> dict[str, str]:
    queues.reset(service_env["AMQP_URL"])
    return {**os.environ, "ORDER_PROCESSING_SECONDS": "2", "LOG_LEVEL": "INFO"}


@pytest.fixture
def mid_order(processor_env: dict[str, str]) -> Iterator[tuple[ProcessorProcess, dict]]:
    """A processor process that has just started on an order (2 s of simulated work ahead)."""
    placed = order()
    queues.publish_raw(processor_env["AMQP_URL"], json.dumps(placed).encode())
    processor = ProcessorProcess(processor_env)
    try:
        queues.wait_until(lambda: processor.logged("order received"), what="the order to start")
        yield processor, placed
    finally:
        processor.kill()


def test_sigterm_mid_order_finishes_and_acks_it_then_exits(
    mid_order: tuple[ProcessorProcess, dict], processor_env: dict[str, str], warehouse_env: WarehouseStandin
) -> None:
    processor, placed = mid_order

    processor.proc.send_signal(signal.SIGTERM)

    assert processor.wait(timeout=15) == 0
    assert processor.logged("confirmation email sent (simulated)")
    assert processor.logged("order processor stopped")
    assert warehouse_env.orderids() == [placed["orderid"]]
    assert queues.depth(processor_env["AMQP_URL"]) == 0


def test_killed_mid_order_the_order_is_redelivered_not_lost(
    mid_order: tuple[ProcessorProcess, dict], processor_env: dict[str, str], warehouse_env: WarehouseStandin
) -> None:
    processor, placed = mid_order
    url = processor_env["AMQP_URL"]

    processor.kill()

    queues.wait_until(lambda: queues.depth(url) == 1, what="the unacked order back in the queue")
    [(_, message)] = queues.take_all(url)
    assert message["orderid"] == placed["orderid"]
    assert warehouse_env.calls == []


def test_startup_log_says_what_the_processor_connects_to(processor_env: dict[str, str]) -> None:
    processor = ProcessorProcess(processor_env)
    try:
        queues.wait_until(lambda: processor.logged("consuming"), what="the consumer to start")
    finally:
        processor.proc.send_signal(signal.SIGTERM)
        processor.wait(timeout=15)
        processor.kill()
    [starting] = [line for line in processor.lines if line["msg"] == "order processor starting"]
    assert starting["queue"] == "order-processing"
    assert starting["catalogue"] == processor_env["CATALOGUE_URL"]
    assert starting["amqp"].startswith("amqp://guest@127.0.0.1:")
    assert "guest:guest" not in json.dumps(processor.lines)
