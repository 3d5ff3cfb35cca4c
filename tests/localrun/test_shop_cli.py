"""`cloudkart up|status|down|logs` as a person runs them, on a free block of ports and a temporary state folder.

`up` finds nothing on those ports, so it starts private data stores as well: the same path as on a
fresh machine where no Redis, MariaDB or RabbitMQ runs.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from services.localrun import processes
from services.localrun.datastores import is_reachable, port_open
from services.localrun.ports import BLOCK_SIZE, Ports, free_base
from services.localrun.shop import Shop


def cloudkart(*args: str, timeout: float = 240) -> subprocess.CompletedProcess:
    return subprocess.run(processes.cloudkart_command(*args), capture_output=True, text=True, timeout=timeout)


def pids(state: Path) -> dict[str, int]:
    return {f.stem: pid for f in (state / "run").glob("*.pid") if (pid := processes.running_pid(f))} | {
        f.parent.name: pid for f in state.glob("*/server.pid") if (pid := processes.running_pid(f))
    }


@pytest.mark.slow
def test_up_twice_status_a_killed_service_and_down_leaves_nothing(tmp_path):
    # pytest's tmp folders are 0700: run as root, this also covers Nginx's files moving to /run.
    state, base = tmp_path / "state", free_base()
    ports = Ports.from_base(base)
    args = ("--state-dir", str(state))
    try:
        first = cloudkart("up", *args, "--port-base", str(base), "--cities-limit", "300")
        assert first.returncode == 0, first.stdout + first.stderr
        assert f"http://127.0.0.1:{base}/" in first.stdout
        started = pids(state)
        assert set(started) >= {"redis", "mysql", "rabbitmq", "mongodb", "nginx", "user", "cart", "orders"}

        # Through the real Nginx: the API, and the internal reserve endpoint hidden.
        assert requests.get(f"http://127.0.0.1:{base}/api/catalogue/health", timeout=5).status_code == 200
        hidden = requests.post(f"http://127.0.0.1:{base}/api/catalogue/reserve", json={}, timeout=5)
        assert hidden.status_code == 404 and "error" in hidden.json()

        second = cloudkart("up", *args)  # the ports come back from the state folder
        assert second.returncode == 0, second.stdout + second.stderr
        assert pids(state) == started, "a second `up` must reuse every running part"

        assert cloudkart("status", *args).returncode == 0
        os.kill(started["cart"], signal.SIGKILL)
        for _ in range(100):  # bounded: SIGKILL takes effect within moments
            if not processes.is_alive(started["cart"]):
                break
            time.sleep(0.05)
        after = cloudkart("status", *args)
        assert after.returncode == 1
        cart_row = next(line for line in after.stdout.splitlines() if " cart " in line)
        assert "down" in cart_row

        assert '"service": "user"' in cloudkart("logs", *args, "user").stdout
    finally:
        down = cloudkart("down", *args)
    assert down.returncode == 0, down.stderr
    for name, pid in started.items():
        assert not processes.is_alive(pid), f"{name} (pid {pid}) still runs after down"
    assert not any(port_open("127.0.0.1", port) for port in ports.all())
    assert pids(state) == {}
    shop = Shop(state)
    if shop.web_dir != shop.state_dir:
        assert not shop.web_dir.exists(), f"down left Nginx's runtime folder {shop.web_dir} behind"


@contextlib.contextmanager
def squatter(port: int) -> Iterator[None]:
    """Another program listening on `port` that speaks no protocol at all."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", port))
        sock.listen()
        yield


def test_up_names_a_service_port_held_by_another_program_before_starting_anything(tmp_path):
    base = free_base()
    with squatter(base + 1):  # the user service's port
        result = cloudkart("up", "--state-dir", str(tmp_path), "--port-base", str(base), timeout=60)
    assert result.returncode == 1
    assert f"port {base + 1} for user is taken by another program" in result.stderr
    assert cloudkart("down", "--state-dir", str(tmp_path)).stdout.strip() == "nothing was running"


def test_a_store_port_held_by_something_else_gets_a_private_store_beside_it(tmp_path):
    base = free_base()
    shop = Shop(tmp_path, Ports.from_base(base))
    try:
        with squatter(base + 10):  # where Redis would go
            dict(shop.steps())["data stores"]()
        assert shop.ports.stores["redis"] != base + 10
        assert is_reachable(shop.store_urls["redis"])
        assert f"port {base + 10} is held by a redis" in shop.notices[0]
        assert Ports.load(tmp_path / "ports.json").stores["redis"] == shop.ports.stores["redis"]
    finally:
        assert set(shop.down()) == {"redis", "mysql", "rabbitmq", "mongodb"}


def test_a_port_base_that_leaves_no_room_is_refused(tmp_path):
    result = cloudkart("up", "--state-dir", str(tmp_path), "--port-base", str(65535 - BLOCK_SIZE + 1), timeout=30)
    assert result.returncode == 2
    assert "port base must be between" in result.stderr
