"""The inventory: which real machine plays which host of a layout, and how to reach it.

Every environment writes this one format: local systemd hosts (`cloudkart hosts up`),
Terraform (`cloudkart infra output`), Vagrant, or a hand-written file. Grading reads only this.

    {"layout": "cloudkart-12", "source": "local-hosts",
     "ssh_config": "/srv/nspawn/ssh_config",            # optional
     "hosts": [{"name": "frontend", "roles": ["frontend"],
                "address": "10.231.0.11",                # where its peers reach it (private IP)
                "public_address": "10.231.0.11",         # where shoppers reach it, or null
                "connection": "ssh://root@10.231.0.11"}]}  # a testinfra host URL
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from services.common.failures import ExpectedFailure


class InventoryError(ExpectedFailure, ValueError):
    """The inventory file is not valid; the message says where."""


@dataclass(frozen=True)
class InventoryHost:
    name: str
    roles: tuple[str, ...]
    address: str
    connection: str
    public_address: str | None = None


@dataclass(frozen=True)
class Inventory:
    layout: str
    source: str
    hosts: tuple[InventoryHost, ...]
    ssh_config: str | None = None
    extra: dict = field(default_factory=dict)

    def addresses(self) -> dict[str, str]:
        """Host name -> address, to render a layout's configs for these machines."""
        return {h.name: h.address for h in self.hosts}

    def host(self, name: str) -> InventoryHost:
        for h in self.hosts:
            if h.name == name:
                return h
        raise InventoryError(f"inventory has no host {name!r}")

    def to_json(self) -> str:
        data = asdict(self)
        data["hosts"] = [dict(asdict(h), roles=list(h.roles)) for h in self.hosts]
        return json.dumps(data, indent=2)

    def save(self, path: Path) -> None:
        Path(path).write_text(self.to_json() + "\n")


def from_dict(data: dict, where: str = "inventory") -> Inventory:
    try:
        hosts = tuple(
            InventoryHost(
                name=h["name"],
                roles=tuple(h["roles"]),
                address=h["address"],
                connection=h["connection"],
                public_address=h.get("public_address"),
            )
            for h in data["hosts"]
        )
        return Inventory(
            layout=data["layout"],
            source=data.get("source", "file"),
            hosts=hosts,
            ssh_config=data.get("ssh_config"),
            extra=data.get("extra", {}),
        )
    except (KeyError, TypeError) as exc:
        raise InventoryError(f"{where}: missing or malformed field {exc}") from None


def load(path: Path) -> Inventory:
    try:
        data = json.loads(Path(path).read_text())
    except (OSError, ValueError) as exc:
        raise InventoryError(f"{path}: cannot read inventory: {exc}") from None
    return from_dict(data, str(path))
