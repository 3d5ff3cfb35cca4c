"""Helpers for the infra tests: .tf files as plain dicts (python-hcl2), and the real Terraform run offline."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import hcl2

from services.infra.driver import REPO, terraform_bin, terraform_environ

TERRAFORM = REPO / "terraform"


def _unquote(value: Any) -> Any:
    """python-hcl2 8.x keeps HCL's quotes on block labels and strings; the tests compare bare values."""
    if isinstance(value, str) and len(value) >= 2 and value[0] == value[-1] == '"':
        return value[1:-1]
    if isinstance(value, dict):
        return {_unquote(k): _unquote(v) for k, v in value.items() if k not in ("__is_block__", "__comments__")}
    if isinstance(value, list):
        return [_unquote(v) for v in value]
    return value


def parse_root(folder: Path) -> dict[str, dict]:
    """Every .tf file of a root or module: {"resource": {(type, name): body}, "module": ..., "variable": ...,
    "output": ..., "data": {(type, name): body}, "locals": {...}}."""
    merged: dict[str, dict] = {"resource": {}, "data": {}, "module": {}, "variable": {}, "output": {}, "locals": {}}
    for path in sorted(folder.glob("*.tf")):
        with path.open() as handle:
            parsed = _unquote(hcl2.load(handle))
        for kind in ("resource", "data"):
            for block in parsed.get(kind, []):
                for rtype, named in block.items():
                    for name, body in named.items():
                        merged[kind][(rtype, name)] = body
        for kind in ("module", "variable", "output"):
            for block in parsed.get(kind, []):
                merged[kind].update(block)
        for block in parsed.get("locals", []):
            merged["locals"].update(block)
    return merged


def tf_env(data_dir: Path) -> dict[str, str]:
    return dict(os.environ, **terraform_environ(data_dir))


def terraform(cwd: Path, *args: str, data_dir: Path | None = None) -> subprocess.CompletedProcess:
    """Run the real terraform in CWD; its data dir and CLI config go to DATA_DIR (default CWD/.tfdata)."""
    env = tf_env(data_dir or cwd / ".tfdata")
    return subprocess.run([terraform_bin(), *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


def evaluate(tmp_path: Path, files: list[Path], outputs: dict[str, str], variables: dict[str, Any]) -> dict[str, Any]:
    """Apply FILES (locals and variables only, no provider) plus one output per OUTPUTS entry with the
    real Terraform, offline, and return the outputs' values."""
    for path in files:
        shutil.copy(path, tmp_path / path.name)
    (tmp_path / "eval_outputs.tf").write_text(
        "".join(f'output "{name}" {{\n  value = {expr}\n}}\n' for name, expr in outputs.items())
    )
    (tmp_path / "eval.auto.tfvars.json").write_text(json.dumps(variables))
    for step in (["init", "-input=false", "-no-color"], ["apply", "-auto-approve", "-input=false", "-no-color"]):
        done = terraform(tmp_path, *step)
        assert done.returncode == 0, done.stderr + done.stdout
    done = terraform(tmp_path, "output", "-json")
    assert done.returncode == 0, done.stderr
    return {name: item["value"] for name, item in json.loads(done.stdout).items()}
