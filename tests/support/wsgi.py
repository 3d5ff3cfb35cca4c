"""A WSGI app served by real waitress on a free loopback port, in a thread, with a clean stop.

waitress's own `run()` loops until its sockets are gone; closing them from another thread while it
polls raises "Bad file descriptor" in that thread. So the loop here runs in short rounds and stops
between two of them, and only then are the sockets closed.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator

import waitress
from waitress import wasyncore


@contextlib.contextmanager
def serving(app, host: str = "127.0.0.1", threads: int = 8, **options: object) -> Iterator[str]:
    """Serve `app` until the block ends; yields its base URL. `options` go to waitress as they are."""
    server = waitress.create_server(app, host=host, port=0, threads=threads, ident=None, **options)
    stop = threading.Event()

    def loop() -> None:
        while not stop.is_set():
            wasyncore.loop(timeout=0.05, map=server._map, use_poll=True, count=1)

    thread = threading.Thread(target=loop, daemon=True)
    thread.start()
    try:
        yield f"http://{host}:{server.effective_port}"
    finally:
        stop.set()
        thread.join(timeout=5)
        server.close()
        server.task_dispatcher.shutdown()
