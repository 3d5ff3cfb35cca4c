"""The labs and the role scripts tell the same steps: every marked section of a script is included by a
lab, and every include names a section or file that exists."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
ROLES = REPO / "labs" / "roles"
SECTION = re.compile(r"--8<-- \[start:([\w-]+)\]")
LIB_SECTION = re.compile(r"^lib/sections/([\w-]+)\.sh$")
INCLUDE = re.compile(r'^\s*--8<-- "([^"]+)"\s*$', re.MULTILINE)


def script_sections() -> set[str]:
    return {f"labs/roles/{p.name}:{name}" for p in ROLES.glob("*.sh") for name in SECTION.findall(p.read_text())}


def lab_includes() -> set[str]:
    """What the pages include, with lib.sh's generated sections (docs/hooks/generated.py) named by their source."""
    found: set[str] = set()
    for page in (REPO / "docs").rglob("*.md"):
        found |= set(INCLUDE.findall(page.read_text()))
    return {LIB_SECTION.sub(r"labs/roles/lib.sh:\1", include) for include in found}


def test_every_script_section_is_taught_in_a_lab() -> None:
    sections = script_sections()
    assert len(sections) >= 25  # every role script has at least its firewall section
    missing = sections - lab_includes()
    assert missing == set(), f"steps of the role scripts that no lab shows: {sorted(missing)}"


def test_every_lab_include_of_a_script_names_a_real_section() -> None:
    script_includes = {i for i in lab_includes() if i.startswith("labs/roles/")}
    assert script_includes - script_sections() == set()


def test_lib_sections_are_included_with_their_variables() -> None:
    # A section of a lib.sh function needs the function's locals: the labs include the generated
    # lib/sections/<name>.sh, which sets them, never the raw section.
    raw = [i for p in (REPO / "docs").rglob("*.md") for i in INCLUDE.findall(p.read_text()) if "lib.sh:" in i]
    assert raw == []


def test_every_role_of_the_layout_has_a_script_whose_steps_are_taught() -> None:
    from services.deploy import layout as layouts

    taught_roles = {i.split(":")[0].removeprefix("labs/roles/").removesuffix(".sh") for i in lab_includes()}
    assert set(layouts.load("cloudkart-12").roles) <= taught_roles


def test_section_markers_are_balanced() -> None:
    for script in ROLES.glob("*.sh"):
        text = script.read_text()
        starts = SECTION.findall(text)
        ends = re.findall(r"--8<-- \[end:([\w-]+)\]", text)
        assert sorted(starts) == sorted(ends), script.name
