"""What each component of layout.yml looks like on a host: its systemd unit, its files, its checks' prefix.

Data stores come from distro packages, so their unit is named differently on Debian and RHEL; the
first name that exists on the host is the one checked. CloudKart's own units are rendered by the
templates (`systemd/<unit>.service`) and must restart on failure.
"""

from __future__ import annotations

from dataclasses import dataclass

from checks.labs import COMPONENT_LAB


@dataclass(frozen=True)
class Component:
    name: str
    prefix: str  # the check ids' prefix, e.g. REDIS-04
    units: tuple[str, ...]  # accepted unit names, first is the one the labs install on Debian
    kind: str  # "web", "datastore", "app" (CloudKart service) or "consumer"
    service: str | None = None  # CloudKart service package (env file /etc/cloudkart/<service>.env)

    @property
    def lab(self) -> int:
        return COMPONENT_LAB[self.name]

    @property
    def unit(self) -> str:
        return self.units[0]

    @property
    def is_cloudkart(self) -> bool:
        return self.kind in ("app", "consumer")


COMPONENTS: dict[str, Component] = {
    c.name: c
    for c in (
        Component("nginx", "WEB", ("nginx",), "web"),
        Component("mongodb", "MONGO", ("mongod",), "datastore"),
        Component("redis", "REDIS", ("redis-server", "redis"), "datastore"),
        Component("mysql", "MYSQL", ("mariadb", "mysqld", "mysql"), "datastore"),
        Component("rabbitmq", "MQ", ("rabbitmq-server",), "datastore"),
        Component("rabbitmq-management", "MQ", ("rabbitmq-server",), "datastore"),
        Component("user", "USER", ("user",), "app", "user"),
        Component("catalogue", "CAT", ("catalogue",), "app", "catalogue"),
        Component("cart", "CART", ("cart",), "app", "cart"),
        Component("shipping", "SHIP", ("shipping",), "app", "shipping"),
        Component("payment", "PAY", ("payment",), "app", "payment"),
        Component("orders", "ORDER", ("order-processor",), "consumer", "orders"),
    )
}

ENV_DIR = "/etc/cloudkart"
UNIT_DIR = "/etc/systemd/system"
NGINX_CONF = "/etc/nginx/conf.d/cloudkart.conf"
STOREFRONT_INDEX = "/opt/cloudkart/www/index.html"
RUNTIME_PYTHON = "/opt/cloudkart/venv/bin/python"
