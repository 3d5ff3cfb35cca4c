"""A skip passes on a laptop and fails in CI."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _run(tmp_path: Path, ci: bool) -> subprocess.CompletedProcess:
    test = tmp_path / "test_needs_a_tool.py"
    test.write_text("import pytest\n\ndef test_needs_a_tool():\n    pytest.skip('tool missing')\n")
    env = {"PATH": "/usr/bin:/bin", **({"CI": "true"} if ci else {})}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "tests.support.ci_skips", "-p", "no:cacheprovider", str(test)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_skip_is_a_skip_outside_ci(tmp_path):
    result = _run(tmp_path, ci=False)
    assert result.returncode == 0 and "1 skipped" in result.stdout, result.stdout


def test_a_skip_fails_in_ci(tmp_path):
    result = _run(tmp_path, ci=True)
    assert result.returncode == 1, result.stdout
    assert "skipped in CI, which counts as a failure here: tool missing" in result.stdout
