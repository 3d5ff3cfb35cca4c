"""One strict build of the course site per test session, through `cloudkart docs build`."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from services.cli.app import _load_commands, cli


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    _load_commands()
    out = tmp_path_factory.mktemp("site")
    # mkdocs runs as a child process; its warnings reach the test report through the captured fds.
    result = CliRunner().invoke(cli, ["docs", "build", "--out", str(out)])
    assert result.exit_code == 0, f"cloudkart docs build failed: {result.output}"
    assert (out / "index.html").exists()
    return out
