"""The README is what a new user reads first: its commands and tables must match the code."""

import re
import subprocess
import sys
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"


def test_readme_opens_with_the_two_commands_and_ci_runs_the_second():
    first_block = re.search(r"```sh\n(.*?)```", README.read_text(), re.S).group(1)
    commands = [line.split("#")[0].strip() for line in first_block.splitlines()]
    assert commands == ["./cloudkart up", "./cloudkart test"]
    ci = (README.parent / ".ci/run").read_text()
    assert "exec ./cloudkart test" in ci


def test_readme_variable_table_is_the_generated_one():
    generated = subprocess.run(
        [sys.executable, "-m", "services.cli", "env", "--markdown"], capture_output=True, text=True, check=True
    ).stdout
    block = re.search(r"<!-- env-table:start -->\n(.*?)<!-- env-table:end -->", README.read_text(), re.S).group(1)
    assert block == generated, "README's table is stale: refresh it from `cloudkart env --markdown`"
