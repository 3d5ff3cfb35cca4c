"""Payment with a RabbitMQ of this test's own, stopped and started under it (never the machine's)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import requests

from services.common import amqp
from tests.orders import queues
from tests.payment.conftest import start_payment


def test_broker_down_is_503_with_the_cart_untouched_and_payment_recovers_when_it_returns(
    monkeypatch: pytest.MonkeyPatch,
    live_server: Callable[..., str],
    user_url: str,
    login: Callable[[], str],
    tmp_path: Path,
) -> None:
    with queues.private_broker(tmp_path) as broker:
        rig = start_payment(monkeypatch, live_server, user_url, login, broker.url)
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


def test_payment_declares_the_queue_at_start_before_any_order_or_processor(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from services.payment.app import create_app

    with queues.private_broker(tmp_path) as broker:
        monkeypatch.setenv("AMQP_URL", broker.url)

        create_app()

        connection = amqp.connect(broker.url)
        try:
            channel = connection.channel()
            declared = channel.queue_declare(amqp.QUEUE, passive=True).method
            channel.queue_declare(amqp.DEAD_QUEUE, passive=True)
        finally:
            connection.close()
        assert (declared.message_count, declared.consumer_count) == (0, 0)
