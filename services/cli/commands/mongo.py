"""`cloudkart mongo-standin`: a MongoDB stand-in for machines where no MongoDB package exists.

briskdb (the embedded store the services use without MONGO_URL) also speaks the MongoDB wire protocol,
so real pymongo clients connect to it. Two of its limits shape this command:
- its public listener (`Database.serve(mongo=...)`) takes at most 8 sockets, fewer than two services'
  pymongo pools and monitors need; the listener its own clients use (`_serve_mongo`, pinned briskdb
  0.1.0b3) takes 32;
- it only binds loopback addresses, while the services of a multi-host layout reach MongoDB over the
  private network.
So briskdb serves the data directory on a private loopback port, and this command relays each connection
from --listen to it, refusing (and logging) connections beyond briskdb's limit instead of letting them hang.
"""

from __future__ import annotations

import contextlib
import logging
import signal
import socket
import threading
from pathlib import Path
from types import FrameType

import click

from services.cli.app import cli

# The managed briskdb listener's socket limit (see the module docstring).
BACKEND_SOCKETS = 32
log = logging.getLogger("cloudkart.mongo-standin")


def _address(text: str) -> tuple[str, int]:
    host, sep, port = text.rpartition(":")
    if not sep or not port.isdigit():
        raise click.BadParameter(f"expected HOST:PORT, got {text!r}")
    return host.strip("[]") or "127.0.0.1", int(port)


def _shutdown(sock: socket.socket) -> None:
    # Either direction may already have closed it; that is the state we want anyway.
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)


def _pipe(source: socket.socket, target: socket.socket) -> None:
    """Copy bytes one way until either side closes, then close the other direction too."""
    try:
        while chunk := source.recv(65536):
            target.sendall(chunk)
    except OSError:
        pass  # the peer reset or the relay is stopping: either way this direction is done
    finally:
        _shutdown(source)
        _shutdown(target)


class Relay:
    """Accepts clients on `listen` and joins each to a fresh connection to the briskdb listener."""

    def __init__(self, listen: tuple[str, int], backend: tuple[str, int]) -> None:
        self.backend = backend
        self.server = socket.create_server(listen, family=_family(listen[0]), reuse_port=False)
        self.server.settimeout(0.5)
        self.stopping = threading.Event()
        self.slots = threading.BoundedSemaphore(BACKEND_SOCKETS)
        self.open: set[socket.socket] = set()
        self.lock = threading.Lock()

    @property
    def address(self) -> str:
        host, port = self.server.getsockname()[:2]
        return f"{host}:{port}"

    def serve(self) -> None:
        while not self.stopping.is_set():
            try:
                client, _ = self.server.accept()
            except TimeoutError:
                continue
            except OSError:
                break  # the listening socket was closed by stop()
            if not self.slots.acquire(blocking=False):
                log.warning("connection refused: briskdb's socket limit reached", extra={"limit": BACKEND_SOCKETS})
                client.close()
                continue
            client.settimeout(None)
            threading.Thread(target=self._join, args=(client,), daemon=True).start()

    def _join(self, client: socket.socket) -> None:
        try:
            upstream = socket.create_connection(self.backend, timeout=5)
        except OSError as exc:
            log.error("briskdb listener did not answer", extra={"error": str(exc)})
            client.close()
            self.slots.release()
            return
        upstream.settimeout(None)
        with self.lock:
            self.open.update((client, upstream))
        back = threading.Thread(target=_pipe, args=(upstream, client), daemon=True)
        back.start()
        _pipe(client, upstream)
        back.join()
        with self.lock:
            self.open.difference_update((client, upstream))
        client.close()
        upstream.close()
        self.slots.release()

    def stop(self) -> None:
        self.stopping.set()
        self.server.close()
        with self.lock:
            for sock in list(self.open):
                _shutdown(sock)


def _family(host: str) -> socket.AddressFamily:
    return socket.AF_INET6 if ":" in host else socket.AF_INET


@cli.command("mongo-standin")
@click.option("--listen", default="127.0.0.1:27017", show_default=True, help="HOST:PORT the stand-in accepts on.")
@click.option(
    "--dir",
    "folder",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("var/mongo"),
    show_default=True,
    help="Data directory (created if missing; the same format as the services' embedded store).",
)
def mongo_standin(listen: str, folder: Path) -> None:
    """Serve DIR over the MongoDB wire protocol (briskdb) until SIGTERM or Ctrl-C.

    A stand-in, not MongoDB: the subset of commands CloudKart's services use, no authentication.
    Keep --listen on loopback or a private address the firewall limits to the service hosts.
    """
    import briskdb

    from services.common import config, logs, mongo

    logs.setup("mongo-standin", config.get("LOG_LEVEL"))
    address = _address(listen)
    folder.mkdir(parents=True, exist_ok=True)
    # The services open the same folder embedded when MONGO_URL is empty, so it is created the same way.
    db = briskdb.open(str(folder), shards=mongo.embedded_shards(folder), documents=True)
    backend = db._serve_mongo()
    try:
        relay = Relay(address, _address(backend.address))
    except OSError as exc:
        backend.close()
        db.close()
        raise click.ClickException(f"cannot listen on {listen}: {exc.strerror}") from None

    def stop(signum: int, _frame: FrameType | None) -> None:
        log.info("stopping", extra={"signal": signal.Signals(signum).name})
        relay.stop()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    log.info(
        "listening",
        extra={"address": relay.address, "dir": str(folder.resolve()), "max_connections": BACKEND_SOCKETS},
    )
    relay.serve()
    backend.close()
    db.close()
    log.info("stopped")
