"""What to check on one host, derived from the inventory and layout.yml (nothing is listed twice).

The plugin turns these into pytest parameters; each has `fields()` for the check id and hint templates.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace

from checks.components import COMPONENTS, Component
from services.deploy import layout as layouts
from services.deploy.inventory import Inventory, InventoryHost


@dataclass(frozen=True)
class UnitTarget:
    component: str
    unit: str
    units: tuple[str, ...]
    prefix: str
    lab: int
    host: str
    service: str | None  # CloudKart's service package, whose env file is /etc/cloudkart/<service>.env

    def fields(self) -> dict:
        return asdict(self)

    def __str__(self) -> str:
        return self.unit


@dataclass(frozen=True)
class ListenTarget:
    component: str
    port: int
    address: str
    public_address: str | None
    prefix: str
    lab: int
    host: str
    sources: tuple[str, ...]
    kind: str

    def fields(self) -> dict:
        return asdict(self)

    def __str__(self) -> str:
        return f"{self.component}:{self.port}"


@dataclass(frozen=True)
class ProbeTarget:
    listen: ListenTarget
    client: str
    allowed: bool

    def fields(self) -> dict:
        return dict(self.listen.fields(), client=self.client, allowed=self.allowed)

    def __str__(self) -> str:
        return f"{self.listen}<-{self.client}"


def _unit_target(component: Component, host: InventoryHost) -> UnitTarget:
    return UnitTarget(
        component.name, component.unit, component.units, component.prefix, component.lab, host.name, component.service
    )


class HostPlan:
    """The checks that apply to `host_name` of `inventory`."""

    def __init__(self, inventory: Inventory, host_name: str) -> None:
        self.inventory = inventory
        self.host = inventory.host(host_name)
        self.layout = layouts.load(inventory.layout).with_addresses(inventory.addresses())

    def components(self) -> list[Component]:
        names = {c for role in self.host.roles for c in self.layout.roles[role].runs}
        return [c for name, c in COMPONENTS.items() if name in names]

    def units(self) -> list[UnitTarget]:
        seen, targets = set(), []
        for component in self.components():
            if component.unit not in seen:
                seen.add(component.unit)
                targets.append(_unit_target(component, self.host))
        return targets

    def cloudkart_units(self) -> list[UnitTarget]:
        return [u for u in self.units() if COMPONENTS[u.component].is_cloudkart]

    def listens(self) -> list[ListenTarget]:
        """One per port; two roles on one host sharing a data store (all-in-one) merge their sources."""
        by_port: dict[int, ListenTarget] = {}
        for role in self.host.roles:
            for listen in self.layout.roles[role].listens:
                component = COMPONENTS[listen.component]
                known = by_port.get(listen.port)
                if known:
                    by_port[listen.port] = replace(known, sources=tuple(dict.fromkeys(known.sources + listen.sources)))
                    continue
                by_port[listen.port] = ListenTarget(
                    component.name,
                    listen.port,
                    self.host.address,
                    self.host.public_address,
                    component.prefix,
                    component.lab,
                    self.host.name,
                    listen.sources,
                    component.kind,
                )
        return list(by_port.values())

    def datastore_listens(self) -> list[ListenTarget]:
        return [t for t in self.listens() if t.kind == "datastore"]

    def web_services(self) -> list[ListenTarget]:
        return [t for t in self.listens() if t.kind == "app"]

    def probes(self) -> list[ProbeTarget]:
        """Every other host tries every port restricted to roles: allowed ones must connect, others must not.
        Ports open to the internet are covered by the smoke test; ports for the admin network are left out,
        because the admin CIDR is the instructor's choice and may well contain the hosts (it does locally)."""
        probes = []
        for listen in self.listens():
            if set(listen.sources) & layouts.SOURCES:
                continue
            for client in self.inventory.hosts:
                if client.name != self.host.name:
                    allowed = any(role in listen.sources for role in client.roles)
                    probes.append(ProbeTarget(listen, client.name, allowed))
        return probes

    def allowed_probes(self) -> list[ProbeTarget]:
        return [p for p in self.probes() if p.allowed]

    def blocked_probes(self) -> list[ProbeTarget]:
        return [p for p in self.probes() if not p.allowed]

    def has_role(self, role: str) -> bool:
        return role in self.host.roles
