"""The labs' Verify blocks in machine-readable form, so tests can run them on the right host.

A lab marks a block with `<!-- verify host=NAME -->` on the line before a ```console fence. In the
block, a line starting with `$ ` is a command; the lines after it, up to the next command, are its
expected output, where `...` stands for any text (times, ids, addresses).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

_BLOCK = re.compile(r"^<!-- verify host=(\S+) -->\n```console[^\n]*\n(.*?)^```", re.MULTILINE | re.DOTALL)


@dataclass(frozen=True)
class Step:
    command: str
    expected: tuple[str, ...]


@dataclass(frozen=True)
class VerifyBlock:
    page: str
    host: str
    steps: tuple[Step, ...]


def parse(page: str, markdown: str) -> list[VerifyBlock]:
    blocks = []
    for match in _BLOCK.finditer(markdown):
        steps: list[Step] = []
        for line in match.group(2).splitlines():
            if line.startswith("$ "):
                steps.append(Step(line[2:], ()))
            elif steps:
                steps[-1] = Step(steps[-1].command, (*steps[-1].expected, line))
        blocks.append(VerifyBlock(page, match.group(1), tuple(steps)))
    return blocks


def blocks_in(docs_dir: Path) -> list[VerifyBlock]:
    found = []
    for path in sorted(docs_dir.rglob("*.md")):
        found += parse(str(path.relative_to(docs_dir)), path.read_text())
    return found


def _pattern(expected_line: str) -> re.Pattern[str]:
    return re.compile(".*".join(re.escape(part) for part in expected_line.split("...")) + r"\Z")


def matches(expected: tuple[str, ...], output: str) -> bool:
    """The output has exactly the expected lines, each line matched with `...` as a wildcard."""
    lines = output.rstrip("\n").splitlines()
    return len(lines) == len(expected) and all(_pattern(e).match(line) for e, line in zip(expected, lines, strict=True))
