"""Each lab's Verify blocks, run on the local systemd hosts they name, must print what the lab says.

Uses the shared `provisioned_hosts` session fixture (tests/support/hosts.py: root, systemd-nspawn; it skips
where the machine cannot boot hosts). Blocks for hosts outside the provisioned subset are not run.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from docs.hooks import verify

REPO = Path(__file__).resolve().parents[2]


def run_block(run, block: verify.VerifyBlock) -> list[str]:
    """The steps of `block` whose output differs from the lab's, as readable messages.

    `run(host, command)` returns the command's combined output."""
    failures = []
    for step in block.steps:
        output = run(block.host, step.command)
        if not verify.matches(step.expected, output):
            failures.append(
                f"{block.page} on {block.host}: $ {step.command}\n  expected: {list(step.expected)}\n  got: {output!r}"
            )
    return failures


@pytest.mark.hosts
@pytest.mark.slow
def test_verify_blocks_print_what_the_labs_say(provisioned_hosts) -> None:
    def run(host: str, command: str) -> str:
        result = provisioned_hosts.exec(host, "bash", "-c", f"{command} 2>&1", check=False)
        return result.stdout

    blocks = [b for b in verify.blocks_in(REPO / "docs") if b.host in provisioned_hosts.names]
    assert blocks, "no Verify block names a provisioned host"
    failures = [message for block in blocks for message in run_block(run, block)]
    assert failures == []
