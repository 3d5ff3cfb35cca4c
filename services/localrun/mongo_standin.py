"""briskdb's MongoDB wire-protocol listener as a foreground process: the local MongoDB stand-in.

No MongoDB server can be installed on these machines; pymongo talks to this listener instead.
Run as `python -m services.localrun.mongo_standin DIR PORT`; SIGTERM closes the data cleanly.
"""

from __future__ import annotations

import signal
import sys
import threading
from pathlib import Path

from services.common.mongo import EMBEDDED_SHARDS


def serve(folder: Path, port: int) -> None:
    import briskdb

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    folder.mkdir(parents=True, exist_ok=True)
    db = briskdb.open(str(folder), shards=EMBEDDED_SHARDS, documents=True)
    try:
        with db.serve(mongo=f"127.0.0.1:{port}") as server:
            print(f"mongo stand-in listening on {server.mongo_address}, data in {folder}", flush=True)
            stop.wait()
    finally:
        db.close()


if __name__ == "__main__":
    serve(Path(sys.argv[1]), int(sys.argv[2]))
