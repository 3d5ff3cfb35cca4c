"""Who is graded and what came back: students, per-host jobs, and check results."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

from services.common.failures import ExpectedFailure
from services.deploy import inventory as inventories
from services.deploy.inventory import Inventory

UNREACHABLE = "unreachable"


class RosterError(ExpectedFailure, ValueError):
    """The roster CSV is not valid; the message names the line."""


@dataclass(frozen=True)
class Student:
    name: str
    inventory_path: Path


@dataclass
class CheckResult:
    student: str
    host: str
    test: str
    id: str
    lab: int
    points: int
    outcome: str  # passed, failed, error, skipped, unreachable
    hint: str
    message: str = ""
    notes: list[str] = field(default_factory=list)

    @property
    def earned(self) -> int:
        return self.points if self.outcome == "passed" else 0


@dataclass
class HostReport:
    student: str
    host: str
    reachable: bool
    results: list[CheckResult]
    seconds: float
    problem: str = ""


def read_roster(path: Path) -> list[Student]:
    """Roster CSV with a header `student,inventory`; relative inventory paths are relative to the roster."""
    try:
        with open(path, newline="") as handle:
            rows = list(csv.DictReader(handle))
    except OSError as exc:
        raise RosterError(f"{path}: cannot read roster: {exc}") from None
    students, seen = [], set()
    for line, row in enumerate(rows, start=2):
        name, inventory = (row.get("student") or "").strip(), (row.get("inventory") or "").strip()
        if not name or not inventory:
            raise RosterError(f"{path}:{line}: needs both a student and an inventory column")
        if name in seen:
            raise RosterError(f"{path}:{line}: student {name!r} is listed twice")
        seen.add(name)
        students.append(Student(name, (Path(path).parent / inventory).resolve()))
    if not students:
        raise RosterError(f"{path}: no students (expected a header line `student,inventory` and one line each)")
    return students


def load_inventory(student: Student) -> Inventory:
    return inventories.load(student.inventory_path)
