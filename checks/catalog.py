"""Check metadata kept next to each test: an id, the lab, points and a hint that teaches.

    @check("{prefix}-02", points=2, hint="{unit} is not running: `systemctl enable --now {unit}`")
    def test_unit_is_running(host, unit): ...

For parametrized checks the id and hint are templates filled from the parameter's fields
(`prefix`, `unit`, `port`, `address`, `client`, ...); the lab comes from the component checked unless
the decorator names one. The pytest plugin resolves them per test item and prints the hint on failure.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from checks.labs import lab_name

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class CheckSpec:
    id: str
    points: int
    hint: str
    lab: int | None = None


@dataclass(frozen=True)
class ResolvedCheck:
    id: str
    lab: int
    points: int
    hint: str

    def hint_text(self) -> str:
        return f"{self.id}: {self.hint} (see lab {lab_name(self.lab)})"


def check(id: str, *, points: int, hint: str, lab: int | None = None) -> Callable[[F], F]:
    """Attach check metadata to a testinfra test function."""

    def attach(fn: F) -> F:
        fn.cloudkart_check = CheckSpec(id, points, hint, lab)  # type: ignore[attr-defined]
        return fn

    return attach


def resolve(spec: CheckSpec, fields: dict[str, Any]) -> ResolvedCheck:
    lab = spec.lab if spec.lab is not None else fields.get("lab")
    if lab is None:
        raise ValueError(f"check {spec.id} names no lab and its parameters carry none")
    return ResolvedCheck(spec.id.format(**fields), int(lab), spec.points, spec.hint.format(**fields))
