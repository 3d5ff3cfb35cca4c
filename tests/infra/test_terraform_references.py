"""An offline stand-in for `terraform validate` on roots that need the AWS provider: every reference
to a variable, local, module output, resource or data source is declared, and every module call passes
only the module's variables, including all required ones. (Provider schemas still need `init`.)"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.infra.tf import TERRAFORM, parse_root

FOLDERS = [TERRAFORM / "envs" / "aws", TERRAFORM / "envs" / "local", *sorted((TERRAFORM / "modules").iterdir())]
META_ARGUMENTS = {"source", "for_each", "count", "depends_on", "providers", "version"}


def _text(folder: Path) -> str:
    # Comments may name things that do not exist (e.g. prose); strip them before matching references.
    return "\n".join(
        re.sub(r"(^|\s)#.*$", "", line) for p in folder.glob("*.tf") for line in p.read_text().splitlines()
    )


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda f: str(f.relative_to(TERRAFORM)))
def test_variables_and_locals_are_declared(folder):
    root, text = parse_root(folder), _text(folder)
    assert set(re.findall(r"\bvar\.(\w+)", text)) <= set(root["variable"])
    assert set(re.findall(r"\blocal\.(\w+)", text)) <= set(root["locals"])


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda f: str(f.relative_to(TERRAFORM)))
def test_resources_and_data_sources_referenced_exist(folder):
    root, text = parse_root(folder), _text(folder)
    resources = {f"{t}.{n}" for t, n in root["resource"]}
    data = {f"{t}.{n}" for t, n in root["data"]}
    referenced = {f"{t}.{n}" for t, n in re.findall(r"(?<![\w.])((?:aws|terraform)_\w+)\.(\w+)", text)}
    assert referenced <= resources
    assert {f"{t}.{n}" for t, n in re.findall(r"\bdata\.(\w+)\.(\w+)", text)} <= data


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda f: str(f.relative_to(TERRAFORM)))
def test_module_calls_match_the_modules_variables_and_outputs(folder):
    root, text = parse_root(folder), _text(folder)
    for name, call in root["module"].items():
        module = parse_root((folder / call["source"]).resolve())
        arguments = set(call) - META_ARGUMENTS
        required = {v for v, body in module["variable"].items() if "default" not in body}
        assert arguments <= set(module["variable"]), name
        assert required <= arguments, name
        used_outputs = set(re.findall(rf"\bmodule\.{re.escape(name)}(?:\[[^\]]+\])?\.(\w+)", text))
        assert used_outputs <= set(module["output"]), name
    assert set(re.findall(r"\bmodule\.([\w-]+)", text)) <= set(root["module"])
