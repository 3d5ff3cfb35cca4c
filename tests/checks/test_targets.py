"""What each host of the 12-host layout is checked for, derived from layout.yml's roles and `from:` lists."""

import pytest

from checks.labs import COMPONENT_LAB, LABS
from checks.targets import HostPlan
from services.deploy import layout as layouts
from services.deploy.inventory import from_dict


@pytest.fixture(scope="module")
def twelve():
    layout = layouts.load("cloudkart-12")
    hosts = [
        {"name": h.name, "roles": list(h.roles), "address": f"10.9.0.{i + 11}", "connection": f"ssh://root@10.9.0.{i}"}
        for i, h in enumerate(layout.hosts)
    ]
    return from_dict({"layout": "cloudkart-12", "hosts": hosts})


def test_every_component_of_the_layout_has_a_lab():
    layout = layouts.load("cloudkart-12")
    components = {listen.component for role in layout.roles.values() for listen in role.listens}
    components |= {c for role in layout.roles.values() for c in role.runs}
    assert components <= set(COMPONENT_LAB)
    assert set(COMPONENT_LAB.values()) <= set(LABS)


def test_cart_redis_is_reachable_only_from_cart(twelve):
    plan = HostPlan(twelve, "cart-redis")
    assert [p.client for p in plan.allowed_probes()] == ["cart"]
    assert len(plan.blocked_probes()) == 10
    assert {p.listen.address for p in plan.probes()} == {twelve.host("cart-redis").address}


def test_user_db_checks_mongodb_and_redis_with_their_own_clients(twelve):
    plan = HostPlan(twelve, "user-db")
    allowed = {(p.listen.port, p.client) for p in plan.allowed_probes()}
    from_lists = {(listen.port, role) for listen in plan.layout.roles["user-db"].listens for role in listen.sources}
    assert allowed == from_lists  # in the 12-host layout each role's host is named after the role
    assert {(27017, "user"), (6379, "user"), (6379, "cart")} <= allowed
    assert [u.unit for u in plan.units()] == ["mongod", "redis-server"]
    assert plan.cloudkart_units() == []


def test_internet_port_is_left_to_the_smoke_test(twelve):
    plan = HostPlan(twelve, "frontend")
    assert [listen.port for listen in plan.listens()] == [80]
    assert plan.probes() == []


def test_service_host_gets_health_and_restart_checks(twelve):
    plan = HostPlan(twelve, "payment")
    assert [(t.component, t.port) for t in plan.web_services()] == [("payment", 8084)]
    assert [u.unit for u in plan.cloudkart_units()] == ["payment"]


def test_order_processor_has_a_unit_but_no_port(twelve):
    plan = HostPlan(twelve, "order-processor")
    assert [u.unit for u in plan.cloudkart_units()] == ["order-processor"]
    assert plan.listens() == []


def test_all_in_one_merges_the_sources_of_a_shared_port():
    inventory = from_dict(
        {
            "layout": "all-in-one",
            "hosts": [{"name": "local", "roles": list(layouts.load("all-in-one").hosts[0].roles),
                       "address": "127.0.0.1", "connection": "local://"}],
        }
    )  # fmt: skip
    redis = [t for t in HostPlan(inventory, "local").listens() if t.port == 6379]
    assert len(redis) == 1
    layout = layouts.load("all-in-one")
    listens = [listen for role in ("user-db", "cart-redis") for listen in layout.roles[role].listens]
    assert set(redis[0].sources) == {source for listen in listens if listen.port == 6379 for source in listen.sources}
    assert {"user", "cart"} <= set(redis[0].sources)


def test_admin_port_is_not_probed_from_the_hosts(twelve):
    """The admin CIDR may contain the hosts themselves (the local hosts' bridge does), so no verdict."""
    plan = HostPlan(twelve, "rabbitmq")
    assert {p.listen.port for p in plan.probes()} == {5672}
    assert {p.client for p in plan.allowed_probes()} == {"payment", "order-processor"}
