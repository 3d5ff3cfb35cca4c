"""Services built once per test session: tests share one server instead of paying for a new one each.

`live_server` in tests/conftest.py is per test; these servers live for the whole session, so their
configuration is applied only while the app is built (every service reads its settings in create_app)
and the environment is restored at once, leaving nothing behind for other teams' tests.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator

import bottle
import pytest
import waitress


@contextlib.contextmanager
def session_server(factory: Callable[[], bottle.Bottle], env: dict[str, str]) -> Iterator[str]:
    with pytest.MonkeyPatch.context() as patch:
        for name, value in env.items():
            patch.setenv(name, value)
        app = factory()
    server = waitress.create_server(app, host="127.0.0.1", port=0, threads=8, ident=None)
    threading.Thread(target=server.run, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.effective_port}"
    finally:
        server.close()
