"""The order topology on the rabbitmq host: durable exchange, durable queue, the binding, and a consumer."""

import json

from checks.catalog import check
from checks.labs import COMPONENT_LAB
from services.common.amqp import EXCHANGE, QUEUE, ROUTING_KEY

ROLE = "rabbitmq"
LAB = COMPONENT_LAB["rabbitmq"]
DECLARE_HINT = "payment and the order processor declare it when they start: restart them, and never declare it by hand"


def rabbitmqctl(host, *args: str) -> list[dict]:
    result = host.run(f"rabbitmqctl -q {' '.join(args)} --formatter json")
    assert result.rc == 0, f"rabbitmqctl {args[0]} failed: {result.stderr.strip()}"
    return json.loads(result.stdout or "[]")


@check("MQ-10", points=2, lab=LAB, hint=f"exchange {EXCHANGE} is missing or not durable: {DECLARE_HINT}")
def test_orders_exchange_is_durable_direct(host):
    found = {e["name"]: e for e in rabbitmqctl(host, "list_exchanges", "name", "type", "durable")}
    exchange = found.get(EXCHANGE)
    assert exchange, f"no exchange {EXCHANGE}"
    assert (exchange["type"], exchange["durable"]) == ("direct", True), f"exchange is {exchange}"


@check(
    "MQ-11",
    points=2,
    lab=LAB,
    hint=f"queue {QUEUE} is missing or not durable, so orders would be lost on a broker restart: {DECLARE_HINT}",
)
def test_orders_queue_is_durable(host):
    found = {q["name"]: q for q in rabbitmqctl(host, "list_queues", "name", "durable")}
    assert QUEUE in found, f"no queue {QUEUE}"
    assert found[QUEUE]["durable"] is True, f"queue {QUEUE} is not durable"


@check(
    "MQ-12",
    points=1,
    lab=LAB,
    hint=f"{EXCHANGE} does not route key {ROUTING_KEY!r} to {QUEUE}: paid orders would vanish; {DECLARE_HINT}",
)
def test_orders_binding_present(host):
    bindings = rabbitmqctl(host, "list_bindings", "source_name", "destination_name", "routing_key")
    wanted = {"source_name": EXCHANGE, "destination_name": QUEUE, "routing_key": ROUTING_KEY}
    assert wanted in bindings, f"no binding {EXCHANGE} -[{ROUTING_KEY}]-> {QUEUE}"


@check(
    "ORDER-12",
    points=2,
    lab=COMPONENT_LAB["orders"],
    hint=f"nobody consumes {QUEUE}, so paid orders pile up: start order-processor.service on its host and read "
    "`journalctl -u order-processor` for the AMQP URL it uses",
)
def test_order_processor_is_consuming(host):
    found = {q["name"]: q for q in rabbitmqctl(host, "list_queues", "name", "consumers")}
    assert found.get(QUEUE, {}).get("consumers", 0) >= 1, f"queue {QUEUE} has no consumer"
