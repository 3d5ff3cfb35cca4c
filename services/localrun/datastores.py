"""Private instances of CloudKart's data stores, each in its own folder on its own loopback port.

`RedisServer`, `MariaDBServer`, `RabbitMQServer` and `MongoStandin` share one life cycle:
`start()` returns once the store accepts connections (or raises `StoreError` with its log's tail),
`stop()` stops that instance alone, by the pid it recorded. They never touch the machine's own
Redis, MariaDB or RabbitMQ, so a test may stop a broker mid-test without harming anyone else.
A pid file in the folder lets another process (`cloudkart down`) stop an instance it did not start.
"""

from __future__ import annotations

import getpass
import os
import shutil
import socket
import subprocess
import time
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from services.localrun import processes

if TYPE_CHECKING:
    import pymysql

LOOPBACK = "127.0.0.1"
PROBE_SECONDS = 2.0


class StoreError(RuntimeError):
    """A data store did not start, or its port is held by something else."""


def port_open(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=PROBE_SECONDS):
            return True
    except OSError:
        return False


def _redis_answers(url: str) -> None:
    import redis

    redis.Redis.from_url(url, socket_timeout=PROBE_SECONDS, socket_connect_timeout=PROBE_SECONDS).ping()


def mysql_connection(url: str, use_database: bool = False) -> pymysql.connections.Connection:
    """A connection to the MariaDB at `url`; in its database only if asked (it may not exist yet)."""
    from services.shipping.db import MySQLTarget  # the one parser of MYSQL_URL (it unquotes passwords)

    return MySQLTarget.from_url(url).connect(with_database=use_database, connect_timeout=PROBE_SECONDS)


def _mysql_answers(url: str) -> None:
    mysql_connection(url).close()


def _amqp_answers(url: str) -> None:
    import pika

    params = pika.URLParameters(url)
    params.socket_timeout = params.blocked_connection_timeout = PROBE_SECONDS
    params.connection_attempts = 1
    pika.BlockingConnection(params).close()


def _mongo_answers(url: str) -> None:
    import pymongo

    client = pymongo.MongoClient(url, serverSelectionTimeoutMS=int(PROBE_SECONDS * 1000))
    try:
        client.admin.command("ping")
    finally:
        client.close()


_PROBES = {"redis": _redis_answers, "mysql": _mysql_answers, "amqp": _amqp_answers, "mongodb": _mongo_answers}


def is_reachable(url: str) -> bool:
    """Whether the store at `url` answers its own protocol (not merely whether its port is open)."""
    try:
        _PROBES[urlsplit(url).scheme](url)
    except Exception:
        return False
    return True


class Server:
    """What every launcher shares; a subclass says how to prepare, run and probe its store."""

    kind = ""
    url_format = ""  # how clients reach it, with {host} and {port}

    def __init__(self, workdir: Path, port: int) -> None:
        self.workdir = Path(workdir).resolve()
        self.port = port
        self.pidfile = self.workdir / "server.pid"
        self.logfile = self.workdir / "server.log"
        self._proc: subprocess.Popen | None = None
        self.start_seconds = 0.0

    @property
    def url(self) -> str:
        return self.url_format.format(host=LOOPBACK, port=self.port)

    def _command(self) -> list[str]:
        raise NotImplementedError

    def _env(self) -> dict[str, str]:
        return dict(os.environ)

    def _prepare(self) -> None:
        """One-time work before the first start (e.g. creating the data folder)."""

    def _ready(self) -> bool:
        return is_reachable(self.url)

    def running(self) -> bool:
        return processes.running_pid(self.pidfile) is not None

    def start(self, timeout: float = 60.0) -> None:
        if self.running():
            raise StoreError(f"{self.kind} in {self.workdir} is already running")
        if port_open(LOOPBACK, self.port):
            raise StoreError(f"cannot start {self.kind}: port {self.port} is already taken by another program")
        began = time.monotonic()
        self.workdir.mkdir(parents=True, exist_ok=True)
        self._prepare()
        self._proc = processes.spawn(self._command(), self.pidfile, self.logfile, self._env())
        deadline = began + timeout
        while not self._ready():
            if self._proc.poll() is not None:
                self._fail(f"exited with code {self._proc.returncode}")
            if time.monotonic() > deadline:
                self.stop()
                self._fail(f"did not accept connections within {timeout:.0f} s")
            time.sleep(0.1)
        self.start_seconds = time.monotonic() - began

    def _fail(self, what: str) -> None:
        raise StoreError(
            f"{self.kind} on port {self.port} {what}; last lines of {self.logfile}:\n{processes.log_tail(self.logfile)}"
        )

    def stop(self, timeout: float = 20.0) -> None:
        processes.stop(self.pidfile, timeout)
        if self._proc is not None:
            self._proc.wait()  # reap our child so it does not linger as a zombie
            self._proc = None


class RedisServer(Server):
    kind = "redis"
    url_format = "redis://{host}:{port}/0"

    def _command(self) -> list[str]:
        # Foreground, loopback only, no snapshots: a private store for one run.
        return [
            "redis-server", "--port", str(self.port), "--bind", LOOPBACK, "--dir", str(self.workdir),
            "--save", "", "--appendonly", "no", "--daemonize", "no", "--protected-mode", "yes",
        ]  # fmt: skip


class MariaDBServer(Server):
    kind = "mariadb"
    url_format = "mysql://root@{host}:{port}/cities"

    @property
    def _datadir(self) -> Path:
        return self.workdir / "data"

    def _user(self) -> list[str]:
        # mariadbd refuses to run as root unless told to, and then runs as that user.
        return [f"--user={getpass.getuser()}"]

    def _prepare(self) -> None:
        if (self._datadir / "mysql").is_dir():
            return
        result = subprocess.run(
            [
                "mariadb-install-db", "--no-defaults", f"--datadir={self._datadir}", *self._user(),
                "--auth-root-authentication-method=normal", "--skip-test-db", "--skip-name-resolve",
            ],
            capture_output=True,
            text=True,
        )  # fmt: skip
        if result.returncode:
            shutil.rmtree(self._datadir, ignore_errors=True)  # a half-made data folder would fail every later start
            raise StoreError(f"mariadb-install-db failed:\n{result.stdout[-2000:]}{result.stderr[-2000:]}")

    def _command(self) -> list[str]:
        return [
            "mariadbd", "--no-defaults", f"--datadir={self._datadir}", f"--socket={self.workdir / 'mysqld.sock'}",
            f"--pid-file={self.workdir / 'mysqld.pid'}", f"--port={self.port}", f"--bind-address={LOOPBACK}",
            "--skip-networking=0", "--skip-name-resolve", "--local-infile=1", "--skip-log-bin",
            "--innodb-buffer-pool-size=64M", "--max-connections=200", *self._user(),
        ]  # fmt: skip


class RabbitMQServer(Server):
    """A RabbitMQ node of its own: own node name, ports, Erlang cookie and port mapper (epmd).

    The management plugin stays off; `guest` may log in from loopback only (RabbitMQ's default).
    """

    kind = "rabbitmq"
    url_format = "amqp://guest:guest@{host}:{port}/%2F"

    def __init__(self, workdir: Path, port: int) -> None:
        super().__init__(workdir, port)
        self.node = f"ck-{port}@localhost"
        self.dist_port = 0
        self.epmd_port = 0

    def _prepare(self) -> None:
        self.dist_port, self.epmd_port = _free_ports(2)
        (self.workdir / "rabbitmq.conf").write_text(
            f"listeners.tcp.1 = {LOOPBACK}:{self.port}\nloopback_users.guest = true\n"
        )
        (self.workdir / "enabled_plugins").write_text("[].\n")
        (self.workdir / "rabbitmq-env.conf").write_text("")  # not the machine's /etc/rabbitmq/rabbitmq-env.conf
        (self.workdir / "ports").write_text(f"{self.dist_port} {self.epmd_port}\n")

    def _env(self) -> dict[str, str]:
        env = dict(os.environ)
        if not self.epmd_port:  # another process started it: read the ports it chose
            self.dist_port, self.epmd_port = map(int, (self.workdir / "ports").read_text().split())
        env.update(
            HOME=str(self.workdir),  # the Erlang cookie lives in $HOME; this one is private
            ERL_EPMD_PORT=str(self.epmd_port),
            RABBITMQ_NODENAME=self.node,
            RABBITMQ_NODE_PORT=str(self.port),
            RABBITMQ_DIST_PORT=str(self.dist_port),
            RABBITMQ_CONFIG_FILE=str(self.workdir / "rabbitmq.conf"),
            RABBITMQ_CONF_ENV_FILE=str(self.workdir / "rabbitmq-env.conf"),
            RABBITMQ_ENABLED_PLUGINS_FILE=str(self.workdir / "enabled_plugins"),
            RABBITMQ_MNESIA_BASE=str(self.workdir / "mnesia"),
            RABBITMQ_LOG_BASE=str(self.workdir / "log"),
            RABBITMQ_LOGS="-",  # to stdout, which is our log file
        )
        return env

    def _command(self) -> list[str]:
        # The Debian wrapper in /usr/sbin switches to the rabbitmq user and the system's folders.
        return ["/usr/lib/rabbitmq/bin/rabbitmq-server"]

    def _ready(self) -> bool:
        # The AMQP port opens near the end of boot; asking rabbitmqctl (an Erlang VM of its own,
        # about a second each) before then only slows the wait down.
        if not port_open(LOOPBACK, self.port):
            return False
        return self._ctl("await_startup", "--timeout", "10").returncode == 0 and is_reachable(self.url)

    def _ctl(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            ["/usr/lib/rabbitmq/bin/rabbitmqctl", "-n", self.node, *args],
            env=self._env(),
            capture_output=True,
            text=True,
        )

    def add_vhost(self, name: str) -> str:
        """Create virtual host `name` for guest (a shop or test of its own on this node); returns its URL."""
        if name not in self._ctl("list_vhosts", "--quiet", "--no-table-headers").stdout.split():
            for args in (("add_vhost", name), ("set_permissions", "-p", name, "guest", ".*", ".*", ".*")):
                done = self._ctl(*args)
                if done.returncode:
                    raise StoreError(f"rabbitmqctl {' '.join(args)} failed: {done.stderr.strip()}")
        return f"amqp://guest:guest@{LOOPBACK}:{self.port}/{name}"

    def stop(self, timeout: float = 30.0) -> None:
        was_ours = self.running() or self._proc is not None
        super().stop(timeout)
        if was_ours and (self.workdir / "ports").exists():
            # The node started a port mapper of its own on its private port; stop it too.
            subprocess.run(["epmd", "-kill"], env=self._env(), capture_output=True)


class MongoStandin(Server):
    """`cloudkart mongo-standin` (briskdb's MongoDB wire listener): a stand-in, not MongoDB."""

    kind = "mongo stand-in"
    url_format = "mongodb://{host}:{port}/?directConnection=true"

    def _command(self) -> list[str]:
        listen = f"{LOOPBACK}:{self.port}"
        return processes.cloudkart_command("mongo-standin", "--listen", listen, "--dir", str(self.workdir / "data"))


def _free_ports(count: int) -> list[int]:
    sockets = [socket.socket() for _ in range(count)]
    try:
        for s in sockets:
            s.bind((LOOPBACK, 0))
        return [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()


def free_port() -> int:
    return _free_ports(1)[0]
