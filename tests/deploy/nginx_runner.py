"""Debian's Nginx run from a private prefix for tests, with `cloudkart up`'s command line; stopped by its PID."""

from __future__ import annotations

import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from services.localrun import nginx
from services.localrun.datastores import LOOPBACK, port_open


def prefix_dir() -> Path:
    # Workers run as `nobody` when the tests run as root: the prefix must be world-readable,
    # and pytest's own tmp folders are 0700.
    prefix = Path(tempfile.mkdtemp(prefix="cloudkart-nginx-"))
    prefix.chmod(0o755)
    for sub in ("logs", "tmp"):
        (prefix / sub).mkdir(mode=0o755)
    return prefix


def check(prefix: Path, config: Path) -> subprocess.CompletedProcess[str]:
    """`nginx -t` on `config`, with every path it writes inside `prefix`."""
    return subprocess.run([*nginx.command(prefix, config), "-t"], capture_output=True, text=True)


def wrap_site(prefix: Path, site: Path) -> Path:
    """A main nginx.conf around a rendered conf.d file, as /etc/nginx/nginx.conf would include it."""
    main = prefix / "nginx.conf"
    main.write_text(
        f"pid {prefix}/nginx.pid;\nerror_log {prefix}/logs/error.log;\nevents {{}}\n"
        f"http {{\n    include /etc/nginx/mime.types;\n    access_log off;\n"
        + "".join(
            f"    {kind}_temp_path {prefix}/tmp/{kind};\n"
            for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
        )
        + f"    include {site};\n}}\n"
    )
    return main


def _wait_for_port(port: int, process: subprocess.Popen, seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"nginx exited with {process.returncode}")
        if port_open(LOOPBACK, port):
            return
        time.sleep(0.05)
    raise TimeoutError(f"nginx did not listen on {port} within {seconds} s")


@contextmanager
def running(prefix: Path, config: Path, port: int) -> Iterator[subprocess.Popen]:
    process = subprocess.Popen(nginx.command(prefix, config), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        _wait_for_port(port, process)
        yield process
    finally:
        process.terminate()
        process.wait(timeout=10)
