"""Serve a WSGI app on a free loopback port for a whole module or session.

conftest's `live_server` is per test. Apps that open a MongoDB client are started once per module
instead: each client holds its connections until the process ends, and the Mongo stand-in accepts
only about 30, so one app per test exhausts it after about 15 tests.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator

import waitress


@contextlib.contextmanager
def background_server(app: object) -> Iterator[str]:
    server = waitress.create_server(app, host="127.0.0.1", port=0, threads=8, ident=None)
    threading.Thread(target=server.run, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.effective_port}"
    finally:
        server.close()
