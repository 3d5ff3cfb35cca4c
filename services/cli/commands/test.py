"""`cloudkart test`: every test, as CI runs it (lint, then pytest with JUnit XML)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import click

from services.cli.app import cli

ROOT = Path(__file__).resolve().parents[3]
NO_TESTS_COLLECTED = 5


@cli.command()
@click.argument("pytest_args", nargs=-1, type=click.UNPROCESSED)
def test(pytest_args: tuple[str, ...]) -> None:
    """Run ruff, then every test; extra arguments go to pytest (e.g. `-k cart`).

    JUnit XML goes to artifacts/junit.xml. Running no test at all is a failure.
    """
    lint = subprocess.run([sys.executable, "-m", "ruff", "check", "."], cwd=ROOT)
    if lint.returncode:
        sys.exit(lint.returncode)
    (ROOT / "artifacts").mkdir(exist_ok=True)
    args = [sys.executable, "-m", "pytest", f"--junitxml={ROOT / 'artifacts/junit.xml'}", *pytest_args]
    code = subprocess.run(args, cwd=ROOT).returncode
    if code == NO_TESTS_COLLECTED:
        click.echo("cloudkart test: pytest collected no tests; that is a failure", err=True)
        code = 1
    sys.exit(code)
