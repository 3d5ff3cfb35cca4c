"""Every check of the course with its id, lab, points and hint, for `cloudkart checks` and the docs.

Expanded the way the plugin parametrizes them on the 12-host layout, so parametrized checks appear once
per component (REDIS-02, MYSQL-02, ...), with the firewall probes' hints shown for one example client.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from dataclasses import dataclass

import checks
from checks.catalog import resolve
from checks.plugin import PARAMETERS
from checks.targets import HostPlan
from services.deploy import layout as layouts
from services.deploy.inventory import from_dict

LISTING_LAYOUT = "cloudkart-12"


@dataclass(frozen=True)
class Listed:
    id: str
    lab: int
    points: int
    hint: str
    test: str


def check_functions() -> list[tuple[object, object]]:
    """(module, function) for every @check-decorated test in checks/test_*.py."""
    found = []
    for info in pkgutil.iter_modules(checks.__path__):
        if info.name.startswith("test_"):
            module = importlib.import_module(f"checks.{info.name}")
            for _, fn in inspect.getmembers(module, inspect.isfunction):
                if hasattr(fn, "cloudkart_check") and fn.__module__ == module.__name__:
                    found.append((module, fn))
    return found


def _plans() -> list[HostPlan]:
    layout = layouts.load(LISTING_LAYOUT)
    hosts = [
        {"name": h.name, "roles": list(h.roles), "address": h.address, "connection": "local://"} for h in layout.hosts
    ]
    inventory = from_dict({"layout": LISTING_LAYOUT, "hosts": hosts})
    return [HostPlan(inventory, h.name) for h in layout.hosts]


def all_checks() -> list[Listed]:
    listed: dict[str, Listed] = {}
    for plan in _plans():
        for module, fn in check_functions():
            role = getattr(module, "ROLE", None)
            if role and not plan.has_role(role):
                continue
            argnames = [name for name in inspect.signature(fn).parameters if name in PARAMETERS]
            values = PARAMETERS[argnames[0]](plan) if argnames else [None]
            for value in values:
                resolved = resolve(fn.cloudkart_check, value.fields() if value is not None else {})
                listed.setdefault(
                    resolved.id, Listed(resolved.id, resolved.lab, resolved.points, resolved.hint, fn.__name__)
                )
    return sorted(listed.values(), key=lambda c: (c.lab, c.id))
