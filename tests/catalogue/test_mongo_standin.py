"""`cloudkart mongo-standin` as its own process, used by pymongo clients from this one."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pymongo
import pytest

BRISKDB_PUBLIC_LISTENER_SOCKETS = 8
CLOUDKART = str(Path(sys.executable).with_name("cloudkart"))


class Standin:
    def __init__(self, folder: Path, port: int) -> None:
        self.url = f"mongodb://127.0.0.1:{port}/?directConnection=true&serverSelectionTimeoutMS=5000"
        self.process = subprocess.Popen(
            [CLOUDKART, "mongo-standin", "--listen", f"127.0.0.1:{port}", "--dir", str(folder)],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.first_line = json.loads(self.process.stdout.readline())

    def stop(self) -> tuple[int, list[dict]]:
        self.process.send_signal(signal.SIGTERM)
        out, _ = self.process.communicate(timeout=15)
        return self.process.returncode, [json.loads(line) for line in out.splitlines() if line.strip()]


@pytest.fixture
def start(tmp_path: Path, unused_port: int) -> Iterator:
    started: list[Standin] = []

    def launch() -> Standin:
        standin = Standin(tmp_path / "data", unused_port)
        started.append(standin)
        return standin

    yield launch
    for standin in started:
        if standin.process.poll() is None:
            standin.process.kill()
            standin.process.wait()


def test_serves_pymongo_persists_and_stops_cleanly_on_sigterm(start):
    standin = start()
    assert standin.first_line["msg"] == "listening" and standin.first_line["service"] == "mongo-standin"
    with pymongo.MongoClient(standin.url) as client:
        client.shop.users.create_index("username", unique=True)
        client.shop.users.insert_one({"username": "ada"})
        with pytest.raises(pymongo.errors.DuplicateKeyError):
            client.shop.users.insert_one({"username": "ada"})
    code, lines = standin.stop()
    assert code == 0
    assert [line["msg"] for line in lines][-2:] == ["stopping", "stopped"]

    reopened = start()
    with pymongo.MongoClient(reopened.url) as client:
        assert client.shop.users.count_documents({"username": "ada"}) == 1
    assert reopened.stop()[0] == 0


def test_more_clients_than_briskdbs_public_listener_allows(start):
    # Two services' pools and monitors need more sockets than briskdb's public listener's 8.
    standin = start()
    clients = [pymongo.MongoClient(standin.url, maxPoolSize=1) for _ in range(BRISKDB_PUBLIC_LISTENER_SOCKETS + 4)]
    failures: list[Exception] = []

    def write(index: int) -> None:
        try:
            clients[index].shop.hits.insert_one({"client": index})
        except Exception as exc:
            failures.append(exc)

    threads = [threading.Thread(target=write, args=(i,)) for i in range(len(clients))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert failures == []
    assert clients[0].shop.hits.count_documents({}) == len(clients)
    for client in clients:
        client.close()
    assert standin.stop()[0] == 0


def test_a_busy_port_is_a_clear_error(start, tmp_path, unused_port):
    first = start()
    second = subprocess.run(
        [CLOUDKART, "mongo-standin", "--listen", f"127.0.0.1:{unused_port}", "--dir", str(tmp_path / "other")],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert second.returncode != 0 and "cannot listen" in second.stderr
    assert first.stop()[0] == 0


def test_has_help():
    answer = subprocess.run([CLOUDKART, "mongo-standin", "--help"], capture_output=True, text=True, timeout=30)
    assert answer.returncode == 0 and "--listen" in answer.stdout and "stand-in" in answer.stdout
