"""Load and validate `layout.yml`, the one description of every deployment.

A mistake names the field at fault (`layouts.cloudkart-12.hosts[3].size: ...`) instead of failing
later inside a template or a Terraform plan.
"""

from __future__ import annotations

import dataclasses
import ipaddress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from services.common.failures import ExpectedFailure

LAYOUT_FILE = Path(__file__).resolve().parents[2] / "layout.yml"
SOURCES = {"internet", "admin"}


class LayoutError(ExpectedFailure, ValueError):
    """layout.yml is not valid; the message names the field."""


@dataclass(frozen=True)
class Listen:
    port: int
    component: str
    sources: tuple[str, ...]  # role names, or "internet" / "admin"


@dataclass(frozen=True)
class Role:
    name: str
    runs: tuple[str, ...]
    listens: tuple[Listen, ...]
    public: bool


@dataclass(frozen=True)
class Size:
    name: str
    cpus: int
    memory_mb: int
    vm_memory_mb: int


@dataclass(frozen=True)
class Host:
    name: str
    address: str
    size: Size
    roles: tuple[str, ...]


@dataclass(frozen=True)
class Layout:
    name: str
    description: str
    http_port: int
    hosts: tuple[Host, ...]
    roles: dict[str, Role]
    build_order: tuple[str, ...]
    network: dict[str, Any]

    def host(self, name: str) -> Host:
        for host in self.hosts:
            if host.name == name:
                return host
        raise LayoutError(f"layout {self.name} has no host {name!r}")

    def host_of_role(self, role: str) -> Host:
        for host in self.hosts:
            if role in host.roles:
                return host
        raise LayoutError(f"layout {self.name} has no host with role {role!r}")

    def address_of(self, role: str) -> str:
        return self.host_of_role(role).address

    def components_on(self, host: Host) -> list[str]:
        return [c for role in host.roles for c in self.roles[role].runs]

    def with_addresses(self, addresses: dict[str, str]) -> Layout:
        """The same layout with some hosts at other addresses (local test hosts, AWS-assigned IPs)."""
        hosts = tuple(dataclasses.replace(h, address=addresses.get(h.name, h.address)) for h in self.hosts)
        return dataclasses.replace(self, hosts=hosts)

    def hosts_in_build_order(self) -> list[Host]:
        rank = {role: i for i, role in enumerate(self.build_order)}
        return sorted(self.hosts, key=lambda h: min(rank[r] for r in h.roles))


def _require(data: Any, key: str, where: str, kind: type | tuple[type, ...]) -> Any:
    if not isinstance(data, dict) or key not in data:
        raise LayoutError(f"{where}.{key}: missing")
    value = data[key]
    if not isinstance(value, kind):
        names = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
        raise LayoutError(f"{where}.{key}: expected {names}, got {value!r}")
    return value


def _roles(data: dict[str, Any]) -> dict[str, Role]:
    roles = {}
    raw_roles = _require(data, "roles", "layout.yml", dict)
    for name, raw in raw_roles.items():
        where = f"roles.{name}"
        listens = []
        for i, item in enumerate(_require(raw, "listens", where, list)):
            lw = f"{where}.listens[{i}]"
            sources = tuple(_require(item, "from", lw, list))
            for source in sources:
                if source not in SOURCES and source not in raw_roles:
                    raise LayoutError(f"{lw}.from: {source!r} is not a role, 'internet' or 'admin'")
            listens.append(Listen(_require(item, "port", lw, int), _require(item, "component", lw, str), sources))
        runs = tuple(_require(raw, "runs", where, list))
        roles[name] = Role(name, runs, tuple(listens), bool(raw.get("public", False)))
    return roles


def _read(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(Path(path).read_text())
    except (OSError, yaml.YAMLError) as exc:
        raise LayoutError(f"cannot read it as YAML: {exc}") from None
    if not isinstance(data, dict):
        raise LayoutError("expected a YAML mapping with roles, sizes and layouts")
    return data


def load(name: str, path: Path = LAYOUT_FILE) -> Layout:
    """The layout called `name` (e.g. "all-in-one", "cloudkart-12") from layout.yml."""
    data = _read(path)
    roles = _roles(data)
    sizes = {
        size: Size(
            size,
            _require(raw, "cpus", f"sizes.{size}", int),
            _require(raw, "memory_mb", f"sizes.{size}", int),
            _require(raw, "vm_memory_mb", f"sizes.{size}", int),
        )
        for size, raw in _require(data, "sizes", "layout.yml", dict).items()
    }
    build_order = tuple(_require(data, "build_order", "layout.yml", list))
    if sorted(build_order) != sorted(roles):
        raise LayoutError("build_order: must name every role exactly once")
    layouts = _require(data, "layouts", "layout.yml", dict)
    if name not in layouts:
        raise LayoutError(f"layouts: no layout {name!r} (have: {', '.join(layouts)})")
    raw = layouts[name]
    where = f"layouts.{name}"
    hosts, seen_roles, seen_names = [], set(), set()
    for i, h in enumerate(_require(raw, "hosts", where, list)):
        hw = f"{where}.hosts[{i}]"
        host_name = _require(h, "name", hw, str)
        if host_name in seen_names:
            raise LayoutError(f"{hw}.name: {host_name!r} is used twice")
        seen_names.add(host_name)
        address = _require(h, "address", hw, str)
        try:
            ipaddress.ip_address(address)
        except ValueError:
            raise LayoutError(f"{hw}.address: {address!r} is not an IP address") from None
        size = _require(h, "size", hw, str)
        if size not in sizes:
            raise LayoutError(f"{hw}.size: {size!r} is not one of {', '.join(sizes)}")
        host_roles = tuple(_require(h, "roles", hw, list))
        for role in host_roles:
            if role not in roles:
                raise LayoutError(f"{hw}.roles: {role!r} is not a role (have: {', '.join(roles)})")
            if role in seen_roles:
                raise LayoutError(f"{hw}.roles: {role!r} is on two hosts")
            seen_roles.add(role)
        hosts.append(Host(host_name, address, sizes[size], host_roles))
    missing = set(roles) - seen_roles
    if missing:
        raise LayoutError(f"{where}.hosts: no host has role(s) {', '.join(sorted(missing))}")
    return Layout(
        name=name,
        description=str(raw.get("description", "")),
        http_port=_require(raw, "http_port", where, int),
        hosts=tuple(hosts),
        roles=roles,
        build_order=build_order,
        network=dict(raw.get("network") or {}),
    )


def names(path: Path = LAYOUT_FILE) -> list[str]:
    return list(_require(_read(path), "layouts", str(path), dict))
