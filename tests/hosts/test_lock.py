"""Only one process uses the local hosts at a time (a test session must not lose them to `hosts down`)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from services.hosts import HostsError, lock

HOLDER = """
import sys, time
from pathlib import Path
from services.hosts import lock
lock.LOCK_FILE = Path(sys.argv[1])
with lock.exclusive_use():
    print("held", flush=True)
    sys.stdin.read()
"""


def test_a_second_process_is_refused_with_the_holders_pid(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    lock_file = tmp_path / "in-use.lock"
    monkeypatch.setattr(lock, "LOCK_FILE", lock_file)
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(lock_file)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(HostsError, match=rf"in use by another process \(PID {holder.pid}"), lock.exclusive_use():
            pass
    finally:
        holder.communicate("", timeout=10)
    with lock.exclusive_use():  # released when the holder finished
        pass


def test_the_lock_is_reentrant_within_one_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lock, "LOCK_FILE", tmp_path / "in-use.lock")
    with lock.exclusive_use(), lock.exclusive_use():
        assert lock.LOCK_FILE.read_text() == str(os.getpid())


def test_holding_one_lock_file_does_not_count_as_holding_another(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    # A test session holds the real hosts lock while other tests use lock files of their own.
    monkeypatch.setattr(lock, "LOCK_FILE", tmp_path / "first.lock")
    with lock.exclusive_use():
        monkeypatch.setattr(lock, "LOCK_FILE", tmp_path / "second.lock")
        with lock.exclusive_use():
            assert (tmp_path / "second.lock").read_text() == str(os.getpid())
