"""Background processes that outlive the command that started them, tracked by pid files.

A pid file holds the pid and the process's start time (from /proc), so a pid the kernel has since
given to an unrelated process is never mistaken for ours and never signalled.
Each process gets its own session (process group), so stopping it also stops the helpers it forked
(Erlang's child processes, Nginx's workers) and nothing else.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path


def cloudkart_command(*args: str) -> list[str]:
    """`cloudkart ARGS` with this venv's entry point: a background part runs the code that started it."""
    return [str(Path(sys.executable).with_name("cloudkart")), *args]


def _start_time(pid: int) -> str | None:
    """Field 22 of /proc/<pid>/stat: when the process started, in clock ticks since boot."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # The command name (field 2) may contain spaces; everything after its closing ")" is fixed.
    fields = stat.rsplit(")", 1)[1].split()
    if fields[0] == "Z":  # a zombie has already exited; only its parent's wait() is missing
        return None
    return fields[19]


def spawn(command: Sequence[str], pidfile: Path, log: Path, env: dict[str, str] | None = None) -> subprocess.Popen:
    """Start `command` in the background, stdout and stderr appended to `log`, and record its pid."""
    log.parent.mkdir(parents=True, exist_ok=True)
    pidfile.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "ab") as out:
        proc = subprocess.Popen(
            list(command),
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
            start_new_session=True,
        )
    pidfile.write_text(f"{proc.pid} {_start_time(proc.pid)}\n")
    return proc


def running_pid(pidfile: Path) -> int | None:
    """The pid recorded in `pidfile` if that very process is still running, else None."""
    try:
        pid_text, started = pidfile.read_text().split()
    except (OSError, ValueError):
        return None
    pid = int(pid_text)
    return pid if _start_time(pid) == started else None


def _signal_group(pid: int, sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, sig)


def is_alive(pid: int) -> bool:
    """Whether `pid` is a running process (a zombie has exited, it only awaits its parent's wait())."""
    return _start_time(pid) is not None


def wait_gone(pid: int, started: str | None, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if _start_time(pid) != started:
            return True
        time.sleep(0.05)
    return _start_time(pid) != started


def stop(pidfile: Path, timeout: float = 20.0) -> bool:
    """Stop the process recorded in `pidfile` (SIGTERM, then SIGKILL after `timeout`) and remove the file.

    Returns whether a running process was stopped.
    """
    pid = running_pid(pidfile)
    if pid is None:
        pidfile.unlink(missing_ok=True)
        return False
    started = _start_time(pid)
    _signal_group(pid, signal.SIGTERM)
    if not wait_gone(pid, started, timeout):
        _signal_group(pid, signal.SIGKILL)
        wait_gone(pid, started, 5)
    pidfile.unlink(missing_ok=True)
    return True


def log_tail(log: Path, lines: int = 20) -> str:
    try:
        return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"
