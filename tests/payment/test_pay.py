"""POST /api/payment/pay/<sessionId> against a real RabbitMQ, the real user service and a cart stand-in."""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor

import pika
import requests

from tests.orders import queues
from tests.payment.conftest import PaymentRig


def test_pay_publishes_a_persistent_order_then_clears_the_cart(rig: PaymentRig) -> None:
    session = rig.login()
    cart = rig.cart.fill(session, ("linux", 1999.0, 2), ("docker", 499.5, 1))

    answer = rig.pay(session)

    assert answer.status_code == 200, answer.text
    confirmation = answer.json()
    assert uuid.UUID(confirmation["orderid"]).version == 4
    assert confirmation["total"] == 4497.5
    assert session not in rig.cart.carts
    [(properties, message)] = queues.take_all(rig.amqp_url)
    assert properties.delivery_mode == pika.DeliveryMode.Persistent.value
    assert message["orderid"] == confirmation["orderid"]
    assert message["user"] == session
    assert message["cart"] == cart
    assert set(message["customer"]) == {"id", "username", "email"}


def test_paying_the_same_cart_twice_places_one_order(rig: PaymentRig) -> None:
    session = rig.login()
    rig.cart.fill(session, ("linux", 1999.0, 1))

    first, second = rig.pay(session), rig.pay(session)

    assert first.status_code == second.status_code == 200
    assert first.json()["orderid"] == second.json()["orderid"]
    assert queues.depth(rig.amqp_url) == 1


def test_simultaneous_submits_of_one_cart_place_one_order(rig: PaymentRig) -> None:
    session = rig.login()
    rig.cart.fill(session, ("linux", 1999.0, 1))

    with ThreadPoolExecutor(6) as pool:
        answers = list(pool.map(lambda _: rig.pay(session), range(6)))

    assert {a.status_code for a in answers} == {200}
    assert len({a.json()["orderid"] for a in answers}) == 1
    assert queues.depth(rig.amqp_url) == 1


def test_cart_that_could_not_be_cleared_gets_the_same_order_on_retry(rig: PaymentRig) -> None:
    session = rig.login()
    rig.cart.fill(session, ("kubernetes", 2999.0, 1))
    rig.cart.delete_fails = True

    failed = rig.pay(session)

    assert failed.status_code == 503
    assert "cart service" in failed.json()["error"]
    assert session in rig.cart.carts
    rig.cart.delete_fails = False
    retried = rig.pay(session)
    assert retried.status_code == 200
    assert session not in rig.cart.carts
    [(_, message)] = queues.take_all(rig.amqp_url)
    assert message["orderid"] == retried.json()["orderid"]


def test_a_new_cart_after_paying_is_a_new_order(rig: PaymentRig) -> None:
    session = rig.login()
    rig.cart.fill(session, ("linux", 1999.0, 1))
    first = rig.pay(session).json()["orderid"]
    rig.cart.fill(session, ("linux", 1999.0, 1))

    second = rig.pay(session).json()["orderid"]

    assert first != second
    assert queues.depth(rig.amqp_url) == 2


def test_empty_cart_is_refused_and_nothing_is_published(rig: PaymentRig) -> None:
    answer = rig.pay(rig.login())

    assert answer.status_code == 400
    assert "cart is empty" in answer.json()["error"]
    assert queues.depth(rig.amqp_url) == 0


def test_paying_for_another_session_is_forbidden(rig: PaymentRig) -> None:
    mine, theirs = rig.login(), rig.login()
    rig.cart.fill(theirs, ("linux", 1999.0, 1))

    answer = rig.pay(theirs, header=mine)

    assert answer.status_code == 403
    assert theirs in rig.cart.carts
    assert queues.depth(rig.amqp_url) == 0


def test_missing_session_header_is_401(rig: PaymentRig) -> None:
    answer = requests.post(f"{rig.url}/api/payment/pay/{uuid.uuid4()}", timeout=10)

    assert answer.status_code == 401
    assert "X-Session-Id" in answer.json()["error"]


def test_unknown_session_is_401(rig: PaymentRig) -> None:
    stranger = str(uuid.uuid4())
    rig.cart.fill(stranger, ("linux", 1999.0, 1))

    answer = rig.pay(stranger)

    assert answer.status_code == 401
    assert queues.depth(rig.amqp_url) == 0


def test_session_that_is_not_a_uuid_is_400(rig: PaymentRig) -> None:
    answer = rig.pay("not-a-session")

    assert answer.status_code == 400
    assert "UUID" in answer.json()["error"]


def test_wrong_method_and_unknown_route_are_json_errors(rig: PaymentRig) -> None:
    wrong_method = requests.get(f"{rig.url}/api/payment/pay/{uuid.uuid4()}", timeout=10)
    unknown = requests.post(f"{rig.url}/api/payment/refund", timeout=10)

    assert wrong_method.status_code == 405
    assert "not allowed" in wrong_method.json()["error"]
    assert unknown.status_code == 404
    assert "no such endpoint" in unknown.json()["error"]


def test_metrics_count_orders_items_and_revenue(rig: PaymentRig) -> None:
    def figures() -> dict[str, float]:
        text = requests.get(f"{rig.url}/api/payment/metrics", timeout=10).text
        wanted = ("cloudkart_orders_total", "cloudkart_items_sold_total", "cloudkart_revenue_rupees_total")
        return {line.split()[0]: float(line.split()[1]) for line in text.splitlines() if line.startswith(wanted)}

    session = rig.login()
    rig.cart.fill(session, ("linux", 1999.0, 2), ("git", 0.1, 3))
    before = figures()

    assert rig.pay(session).status_code == 200

    after = figures()
    assert after["cloudkart_orders_total"] - before["cloudkart_orders_total"] == 1
    assert after["cloudkart_items_sold_total"] - before["cloudkart_items_sold_total"] == 5
    assert round(after["cloudkart_revenue_rupees_total"] - before["cloudkart_revenue_rupees_total"], 2) == 3998.3
    assert (
        'cloudkart_http_request_duration_seconds_count{method="POST"'
        in requests.get(f"{rig.url}/api/payment/metrics", timeout=10).text
    )


def test_health_is_ok_when_every_dependency_answers(rig: PaymentRig) -> None:
    for path in ("/health", "/api/payment/health"):
        answer = requests.get(rig.url + path, timeout=10)
        assert (answer.status_code, answer.text) == (200, "OK")


def test_order_waits_in_the_queue_when_no_processor_runs(rig: PaymentRig) -> None:
    session = rig.login()
    rig.cart.fill(session, ("linux", 1999.0, 1))

    rig.pay(session)

    declared = queues.queue_state(rig.amqp_url)
    assert (declared.message_count, declared.consumer_count) == (1, 0)


def test_a_cart_service_answer_of_the_wrong_shape_is_503_not_a_crash(rig: PaymentRig) -> None:
    session = rig.login()
    rig.cart.carts[session] = {"total": "lots", "tax": 0, "items": [{"sku": "linux", "qty": "2"}]}

    answer = rig.pay(session)

    assert answer.status_code == 503
    assert answer.json()["dependency"] == "cart service"
    assert queues.depth(rig.amqp_url) == 0


def test_payments_of_many_sessions_at_once_each_place_their_own_order(rig: PaymentRig) -> None:
    sessions = [rig.login() for _ in range(8)]
    for session in sessions:
        rig.cart.fill(session, ("linux", 1999.0, 1))

    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(rig.pay, sessions))

    assert [a.status_code for a in answers] == [200] * 8
    published = {message["orderid"]: message["user"] for _, message in queues.take_all(rig.amqp_url)}
    assert published == {a.json()["orderid"]: s for a, s in zip(answers, sessions, strict=True)}


def test_a_deleted_queue_is_declared_again_and_the_order_kept(rig: PaymentRig) -> None:
    session = rig.login()
    rig.cart.fill(session, ("linux", 1999.0, 1))
    queues.delete_queue(rig.amqp_url)

    answer = rig.pay(session)

    assert answer.status_code == 200
    [(_, message)] = queues.take_all(rig.amqp_url)
    assert message["orderid"] == answer.json()["orderid"]
