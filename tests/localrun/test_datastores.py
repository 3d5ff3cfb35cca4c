"""The private store launchers: they start, answer, and stop only their own process."""

from __future__ import annotations

import os
import socket

import pytest

from services.localrun import processes
from services.localrun.datastores import RedisServer, StoreError, free_port, is_reachable, port_open
from tests.support.stores import StoreSet


def test_every_session_store_answers_its_own_protocol(stores: StoreSet):
    for url in (stores.redis_url, stores.mysql_url, stores.amqp_url, stores.mongo_url):
        assert is_reachable(url), url


def test_an_open_port_speaking_another_protocol_is_not_reachable(stores: StoreSet):
    mongo_port = int(stores.mongo_url.split(":")[2].split("/")[0])
    assert port_open("127.0.0.1", mongo_port)
    assert not is_reachable(f"redis://127.0.0.1:{mongo_port}/0")


def test_a_second_launcher_stops_the_first_ones_process_by_its_pid_file(tmp_path):
    first = RedisServer(tmp_path / "redis", free_port())
    first.start()
    try:
        pid = processes.running_pid(first.pidfile)
        assert pid and is_reachable(first.url)
        RedisServer(tmp_path / "redis", first.port).stop()  # what `cloudkart down` does
        assert not is_reachable(first.url)
        assert processes.running_pid(first.pidfile) is None
        assert not first.pidfile.exists()
    finally:
        first.stop()


def test_start_on_a_taken_port_names_the_port(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(StoreError, match=f"port {port} is already taken"):
            RedisServer(tmp_path / "redis", port).start()


def test_a_pid_file_whose_process_is_gone_never_signals_whoever_got_the_pid(tmp_path):
    pidfile = tmp_path / "old.pid"
    # This very process, with a start time it does not have: a pid the kernel handed out again.
    pidfile.write_text(f"{os.getpid()} 1\n")
    assert processes.running_pid(pidfile) is None
    assert processes.stop(pidfile) is False
    assert not pidfile.exists()


def test_a_rabbitmq_virtual_host_is_made_once_and_answers(stores: StoreSet):
    assert stores.rabbitmq is not None
    url = stores.rabbitmq.add_vhost("launcher-test")
    assert url.endswith("/launcher-test")
    assert stores.rabbitmq.add_vhost("launcher-test") == url
    assert is_reachable(url)


class MisconfiguredRedis(RedisServer):
    def _command(self) -> list[str]:
        return [*super()._command(), "--no-such-directive", "yes"]


def test_a_store_that_fails_to_start_says_why_with_its_log(tmp_path):
    with pytest.raises(
        StoreError, match=r"exited with code \d+; last lines of .*server\.log:\n(.|\n)*no-such-directive"
    ):
        MisconfiguredRedis(tmp_path / "redis", free_port()).start()
