"""Files the lab pages include but nobody writes by hand, made fresh on every docs build.

- `rendered/<host>/...`: every host's configs from `services.deploy.render` (the same code as
  `cloudkart render --layout cloudkart-12`), so a lab shows exactly what the role script installs.
  Passwords come from a throwaway secrets folder and are replaced by `<secret:NAME>`: the site never
  carries a usable password, not even a throwaway one.
- `lib/<function>.sh`: each shell function of labs/roles/lib.sh, so a lab can show what a step such
  as `ck_python_service` does without copying its text.
- `lib/sections/<name>.sh`: each marked section of lib.sh as a student types it in a lab shell: the
  section's lines, dedented, after the function's `local` variables as plain assignments (outside the
  function they would be unset, and `local` is an error).
"""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path

from services.deploy import layout as layouts
from services.deploy import passwords, render, wiring

DOCS_LAYOUT = "cloudkart-12"
_FUNCTION = re.compile(r"^(ck_[a-z_]+)\(\) \{\n.*?^\}\n", re.MULTILINE | re.DOTALL)
_SECTION = re.compile(r"^\s*# --8<-- \[start:([\w-]+)\]\n(.*?)^\s*# --8<-- \[end:\1\]", re.MULTILINE | re.DOTALL)
_HASH = re.compile(r'("password_hash":\s*)"[^"]+"')


def _mask(text: str, secrets: dict[str, str]) -> str:
    for name, value in secrets.items():
        text = text.replace(value, f"<secret:{name}>")
    return _HASH.sub(r'\1"<hash of a generated password>"', text)


def write_rendered(out: Path) -> Path:
    """Render every host of the docs layout into OUT/rendered/<host>/ with masked passwords."""
    layout = layouts.load(DOCS_LAYOUT)
    target = out / "rendered"
    if target.exists():
        shutil.rmtree(target)
    with tempfile.TemporaryDirectory(prefix="cloudkart-docs-secrets-") as secrets_dir:
        options = render.RenderOptions(secrets_dir=Path(secrets_dir))
        secrets = passwords.load_or_create(layout.name, wiring.password_names(layout), Path(secrets_dir))
        for host in layout.hosts:
            for rel, rendered in render.render_host(layout, host, options).items():
                path = target / host.name / rel
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(_mask(rendered.text, secrets))
    return target


def lib_functions(lib_sh: Path) -> dict[str, str]:
    """Each `ck_*() { ... }` of lib.sh by name, with the comment lines just above it (and its section markers)."""
    text = lib_sh.read_text()
    found = {}
    for match in _FUNCTION.finditer(text):
        before = text[: match.start()].splitlines()
        comments = []
        while before and before[-1].startswith("#"):
            comments.insert(0, before.pop())
        found[match.group(1)] = "\n".join([*comments, match.group(0).rstrip()]) + "\n"
    return found


def _dedent(text: str) -> str:
    """Remove the first line's indentation from every line that has it (here-documents stay at column 0)."""
    lines = text.splitlines()
    indent = lines[0][: len(lines[0]) - len(lines[0].lstrip())] if lines else ""
    return "\n".join(line.removeprefix(indent) for line in lines)


def _without_markers(text: str) -> str:
    return "".join(line for line in text.splitlines(keepends=True) if "--8<--" not in line)


def lib_sections(lib_sh: Path) -> dict[str, str]:
    """Each marked section of lib.sh, runnable on its own after `ck_begin` (see the module docstring)."""
    found = {}
    for function in lib_functions(lib_sh).values():
        assignments = [
            line.strip().removeprefix("local ") for line in function.splitlines() if line.strip().startswith("local ")
        ]
        for match in _SECTION.finditer(function + "\n"):
            found[match.group(1)] = "\n".join([*assignments, _dedent(match.group(2)).rstrip()]) + "\n"
    return found


def write_lib_functions(lib_sh: Path, out: Path) -> Path:
    target = out / "lib"
    (target / "sections").mkdir(parents=True, exist_ok=True)
    for name, text in lib_functions(lib_sh).items():
        (target / f"{name}.sh").write_text(_without_markers(text))
    for name, text in lib_sections(lib_sh).items():
        (target / "sections" / f"{name}.sh").write_text(text)
    return target
