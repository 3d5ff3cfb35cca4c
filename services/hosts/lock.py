"""One user of the local hosts at a time: the bridge, addresses and hosts are machine-wide.

A test session holds the lock from boot to teardown, so a `cloudkart hosts down` (or another
session's `up`) cannot pull the hosts away from under it; they wait or refuse, naming the holder.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager

from services.hosts.machine import ROOT, HostsError

LOCK_FILE = ROOT / "in-use.lock"
# Lock files this process holds, with their depth: re-entrant within a process, per lock file.
_held: dict[str, int] = {}


@contextmanager
def exclusive_use(wait_seconds: float = 0) -> Iterator[None]:
    """Hold the hosts for this process; wait up to `wait_seconds` for another holder to finish."""
    key = str(LOCK_FILE)
    if key in _held:
        _held[key] += 1
        try:
            yield
        finally:
            _held[key] -= 1
        return
    LOCK_FILE.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o600)
    deadline = time.monotonic() + wait_seconds
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            break
        except BlockingIOError:
            if time.monotonic() >= deadline:
                holder = os.pread(fd, 64, 0).decode(errors="replace").strip() or "unknown"
                os.close(fd)
                raise HostsError(
                    f"the local hosts are in use by another process (PID {holder}, e.g. a test session); "
                    "wait until it finishes"
                ) from None
            time.sleep(1)
    os.ftruncate(fd, 0)
    os.pwrite(fd, str(os.getpid()).encode(), 0)
    _held[key] = 1
    try:
        yield
    finally:
        del _held[key]
        os.ftruncate(fd, 0)
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)
