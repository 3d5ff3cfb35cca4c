"""`terraform fmt -check` on every root and module; `validate` where no provider download is needed.

envs/aws and the modules need the hashicorp/aws provider for `init`, so `validate`/`plan` on them
need network (run `cloudkart infra plan --env aws` where registry.terraform.io is reachable);
offline they are covered by test_terraform_aws.py.
"""

from __future__ import annotations

import shutil

from tests.infra.tf import TERRAFORM, terraform


def test_every_terraform_file_is_fmt_clean(tmp_path):
    done = terraform(TERRAFORM, "fmt", "-check", "-recursive", "-diff", data_dir=tmp_path)
    assert done.returncode == 0, done.stdout


def test_local_root_validates_offline(tmp_path):
    shutil.copytree(TERRAFORM / "envs" / "local", tmp_path / "local")
    root = tmp_path / "local"
    assert terraform(root, "init", "-backend=false", "-input=false", "-no-color").returncode == 0
    done = terraform(root, "validate", "-no-color")
    assert done.returncode == 0, done.stderr + done.stdout
    assert "The configuration is valid" in done.stdout
