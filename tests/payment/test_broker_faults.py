"""Payment with a RabbitMQ of this test's own, stopped and started under it (never the machine's)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import requests

from services.common import amqp
from tests.orders import queues
from tests.payment.conftest import start_payment


def test_queue_declared_at_start_broker_down_is_503_with_cart_untouched_and_payment_recovers(
    monkeypatch: pytest.MonkeyPatch,
    live_server: Callable[..., str],
    user_url: str,
    login: Callable[[], str],
    tmp_path: Path,
) -> None:
    with queues.private_broker(tmp_path) as broker:
        rig = start_payment(monkeypatch, live_server, user_url, login, broker.url)
        # A fresh broker: only payment's start can have declared the queue, before any order or processor.
        assert queues.depth(broker.url) == queues.depth(broker.url, amqp.DEAD_QUEUE) == 0
        session = rig.login()
        rig.cart.fill(session, ("linux", 1999.0, 1))
        first = rig.pay(session)
        assert first.status_code == 200
        cart = rig.cart.fill(session, ("docker", 499.0, 2))

        broker.stop()
        refused = rig.pay(session)
        health = requests.get(f"{rig.url}/api/payment/health", timeout=30)

        assert refused.status_code == 503
        assert refused.json()["dependency"] == "rabbitmq"
        assert rig.cart.carts[session] == cart
        assert health.status_code == 503
        assert "rabbitmq" in health.json()["error"]

        broker.start()
        again = rig.pay(session)

        assert again.status_code == 200, again.text
        assert session not in rig.cart.carts
        # The order confirmed before the restart survived it: durable queue, persistent message.
        orderids = [message["orderid"] for _, message in queues.take_all(broker.url)]
        assert orderids == [first.json()["orderid"], again.json()["orderid"]]
