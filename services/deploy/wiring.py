"""Who runs where and who may talk to whom, derived from a layout: the facts every template needs.

Nothing here formats a config file; the templates in templates/ do that from these values.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

from services.common.config import SERVICE_PORTS, SERVICES, settings_for
from services.deploy.layout import Host, Layout

# systemd unit names on a host (spec: /etc/systemd/system/<name>.service).
UNIT_NAMES: dict[str, str] = {service: service for service in SERVICES} | {"orders": "order-processor"}

# The data store units a service is ordered after when they share its host. Debian and RHEL name
# Redis differently; After= on a unit that does not exist is ignored, so both are listed.
STORE_UNITS: dict[str, tuple[str, ...]] = {
    "redis": ("redis-server.service", "redis.service"),
    "mysql": ("mariadb.service",),
    "rabbitmq": ("rabbitmq-server.service",),
    "mongodb": ("mongod.service",),
}
SERVICE_STORES: dict[str, tuple[str, ...]] = {
    "user": ("mongodb", "redis"),
    "catalogue": ("mongodb",),
    "cart": ("redis",),
    "shipping": ("mysql",),
    "payment": ("redis", "rabbitmq"),
    "orders": ("rabbitmq",),
}
MYSQL_USER = "shipping"
RABBITMQ_USER = "cloudkart"
RABBITMQ_ADMIN = "cloudkart-admin"
ROUTED_SERVICES: tuple[str, ...] = ("user", "catalogue", "cart", "payment", "shipping")


def services_on(layout: Layout, host: Host) -> list[str]:
    return [c for c in layout.components_on(host) if c in SERVICES]


def password_names(layout: Layout) -> list[str]:
    """Every password a layout needs. Redis has one per instance: roles sharing a host share it."""
    redis_hosts = [h.name for h in layout.hosts if "redis" in layout.components_on(h)]
    return [*(f"redis_{name}" for name in redis_hosts), "mysql_shipping", "rabbitmq_cloudkart", "rabbitmq_admin"]


def service_url(layout: Layout, service: str) -> str:
    return f"http://{layout.address_of(service)}:{SERVICE_PORTS[service]}"


def _redis_url(layout: Layout, role: str, passwords: dict[str, str]) -> str:
    host = layout.host_of_role(role)
    return f"redis://:{passwords['redis_' + host.name]}@{host.address}:6379/0"


def environment(layout: Layout, host: Host, service: str, passwords: dict[str, str]) -> dict[str, str]:
    """Every variable `service` reads (services/common/config.py), set for this layout."""
    wired = {
        # The service binds its host's private address; the firewall decides who may reach it.
        "LISTEN_HOST": host.address,
        "TRUSTED_PROXY": layout.address_of("frontend"),
        "SESSION_REDIS_URL": _redis_url(layout, "user-db", passwords),
        "CART_REDIS_URL": _redis_url(layout, "cart-redis", passwords),
        "MYSQL_URL": (
            f"mysql://{MYSQL_USER}:{passwords['mysql_shipping']}@{layout.address_of('shipping-db')}:3306/cities"
        ),
        "AMQP_URL": f"amqp://{RABBITMQ_USER}:{passwords['rabbitmq_cloudkart']}@{layout.address_of('rabbitmq')}:5672/%2F",
        "MONGO_URL": f"mongodb://{layout.address_of(f'{service}-db')}:27017/"
        if service in ("user", "catalogue")
        else "",
        # Each peer a service may call (USER_URL, CART_URL...); settings_for keeps those it reads.
        **{f"{peer.upper()}_URL": service_url(layout, peer) for peer in SERVICE_PORTS},
    }
    return {s.name: wired.get(s.name, s.default) for s in settings_for(service)}


def store_units_for(layout: Layout, host: Host, service: str) -> list[str]:
    """The local data store units this service should start after (only those on its own host)."""
    here = set(layout.components_on(host))
    return [unit for store in SERVICE_STORES[service] if store in here for unit in STORE_UNITS[store]]


@dataclass(frozen=True)
class Opening:
    """One port a host opens, and the addresses allowed in (None: anyone)."""

    port: int
    component: str
    sources: tuple[str, ...] | None

    @property
    def ipv4(self) -> list[str]:
        return [s for s in self.sources or () if ipaddress.ip_network(s, strict=False).version == 4]

    @property
    def ipv6(self) -> list[str]:
        return [s for s in self.sources or () if ipaddress.ip_network(s, strict=False).version == 6]


def openings(layout: Layout, host: Host, admin_cidr: str) -> list[Opening]:
    """The firewall openings of a host: SSH from the admin CIDR, then exactly layout.yml's `from:` lists."""
    result = [Opening(22, "ssh", (admin_cidr,))]
    for role in host.roles:
        for listen in layout.roles[role].listens:
            # Nginx listens on the layout's http_port (8080 on the all-in-one machine).
            port = layout.http_port if listen.component == "nginx" else listen.port
            if "internet" in listen.sources:
                result.append(Opening(port, listen.component, None))
                continue
            addresses = {admin_cidr if s == "admin" else layout.address_of(s) for s in listen.sources}
            result.append(Opening(port, listen.component, tuple(sorted(addresses))))
    return result


def role_addresses(layout: Layout) -> dict[str, str]:
    return {role: layout.address_of(role) for role in layout.roles}
