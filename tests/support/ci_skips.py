"""In CI a skipped test counts as a failed one.

A skip is fine on a laptop without root, nftables or a recent kernel, but in CI it would let a check
that never ran look like a pass: `./cloudkart test` installs every prerequisite, so a skip there means
something is missing. One hook for every skip, instead of a CI special case in each test.
"""

from __future__ import annotations

import os

import pytest


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> object:
    outcome = yield
    report = outcome.get_result()
    if report.skipped and os.environ.get("CI") and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.outcome = "failed"
        report.longrepr = f"skipped in CI, which counts as a failure here: {reason.removeprefix('Skipped: ')}"
