"""Rendered bundles of both shipped layouts, made once per test session into a temporary folder.

The passwords are fixed, known test values (written before rendering), so golden files are exact.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from services.deploy import layout as layouts
from services.deploy import wiring
from services.deploy.render import RenderOptions, render_layout

LAYOUTS = ("all-in-one", "cloudkart-12")


def fixed_passwords(folder: Path, layout_name: str) -> None:
    names = wiring.password_names(layouts.load(layout_name))
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{layout_name}.json").write_text(json.dumps({n: f"test-{n}" for n in names}))


@pytest.fixture(scope="session")
def bundles(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Layout name -> folder holding one bundle per host (rendered with the Mongo stand-in)."""
    root = tmp_path_factory.mktemp("bundles")
    result = {}
    for name in LAYOUTS:
        fixed_passwords(root / "secrets", name)
        options = RenderOptions(mongo_standin=True, secrets_dir=root / "secrets")
        render_layout(layouts.load(name), root / name, options)
        result[name] = root / name
    return result


def rendered_files(bundles: dict[str, Path], pattern: str) -> list[Path]:
    return sorted(p for folder in bundles.values() for p in folder.glob(pattern))
