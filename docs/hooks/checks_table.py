"""The "Check your work" block of a lab: its check ids, points and hints, read from checks/ at build time."""

from __future__ import annotations

import functools
import re

from checks.labs import lab_name
from checks.listing import all_checks
from docs.hooks.apiref import table_cell

# A lab page asks for its block with `<!-- checks: 04 -->` on a line of its own; prose says how many
# checks there are with `<!-- checks-count -->`.
MARKER = re.compile(r"^<!-- checks: (\d{2}) -->$", re.MULTILINE)
COUNT = "<!-- checks-count -->"


# Listing the checks imports and expands every check module: once per build is enough.
_all_checks = functools.cache(all_checks)


def checks_block(lab: int) -> str:
    listed = [c for c in _all_checks() if c.lab == lab]
    if not listed:
        raise ValueError(f"lab {lab:02d} asks for its checks but checks/ has none for it")
    total = sum(c.points for c in listed)
    lines = [
        f'!!! success "Check your work: lab {lab_name(lab)}, {len(listed)} checks, {total} points"',
        "",
        "    Grade only this lab's checks against your hosts, from the repository on your workstation:",
        "",
        "    ```bash",
        f"    ./cloudkart grade --inventory inventory.json --labs {lab:02d} --out grades/lab{lab:02d}",
        "    ```",
        "",
        f"    Open `grades/lab{lab:02d}/report.html`; each failed check shows the hint below. The points below are"
        " per run of a check: a check runs once on each host it concerns (and a firewall check once per other"
        " host it tries), so the grader's total for this lab can be larger than their sum.",
        "",
        "    | Check | Points | When it fails, the grader tells you |",
        "    | --- | --- | --- |",
    ]
    lines += [f"    | `{c.id}` | {c.points} | {table_cell(c.hint)} |" for c in listed]
    return "\n".join(lines) + "\n"


def expand(markdown: str) -> str:
    markdown = markdown.replace(COUNT, str(len(_all_checks())))
    return MARKER.sub(lambda m: checks_block(int(m.group(1))), markdown)
