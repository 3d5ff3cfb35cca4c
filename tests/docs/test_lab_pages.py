"""Every lab page has the parts a student relies on, in the order of the course."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from checks.labs import LABS

LABS_DIR = Path(__file__).resolve().parents[2] / "docs" / "labs"
BUILD_LABS = range(1, 12)  # 01..11 each build a part on hosts: OS tabs, Verify, checks, mistakes


def lab_page(number: int) -> str:
    (page,) = LABS_DIR.glob(f"{number:02d}-*.md")
    return page.read_text()


def test_one_page_per_lab_of_the_course() -> None:
    numbers = sorted(int(p.name[:2]) for p in LABS_DIR.glob("[0-9][0-9]-*.md"))
    assert numbers == sorted(LABS)


@pytest.mark.parametrize("number", sorted(LABS))
def test_every_lab_says_what_you_will_do(number: int) -> None:
    text = lab_page(number)
    assert text.startswith(f"# Lab {number:02d}: ")
    assert "In this lab you will" in text


@pytest.mark.parametrize("number", BUILD_LABS)
def test_building_labs_have_os_tabs_verify_checks_and_mistakes(number: int) -> None:
    text = lab_page(number)
    assert '=== "RHEL 9"' in text and '=== "Debian 12"' in text
    assert re.search(r"^<!-- verify host=\S+ -->\n```console", text, re.MULTILINE)
    assert f"<!-- checks: {number:02d} -->" in text
    assert "## Common mistakes" in text
