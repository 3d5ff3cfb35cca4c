"""The passwords of one layout's data stores: generated once, then reused on every render.

They live in `var/secrets/<layout>.json` (mode 0600, gitignored with var/), never in the repository,
so re-rendering a host never changes a password that a running data store already uses.
"""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path

SECRETS_DIR = Path(__file__).resolve().parents[2] / "var" / "secrets"


def load_or_create(layout_name: str, names: list[str], folder: Path = SECRETS_DIR) -> dict[str, str]:
    """The layout's passwords called `names`, generating (and saving) any that do not exist yet."""
    path = Path(folder) / f"{layout_name}.json"
    stored: dict[str, str] = json.loads(path.read_text()) if path.exists() else {}
    missing = [name for name in names if name not in stored]
    if missing:
        # URL-safe, so a password can sit inside redis://, mysql:// and amqp:// URLs without quoting.
        stored.update({name: secrets.token_urlsafe(24) for name in missing})
        _write_private(path, json.dumps(stored, indent=2, sort_keys=True) + "\n")
    return {name: stored[name] for name in names}


def _write_private(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    # Created 0600 from the start: no moment where another user could read it.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(text)
    path.chmod(0o600)
