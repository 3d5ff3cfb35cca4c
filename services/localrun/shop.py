"""The whole shop on this machine: data stores, cities and products, six services, storefront and Nginx.

`Shop.up()` is safe to run twice: a part that is already running (by its pid file) or a store that
already answers is reused. `Shop.down()` stops only what a pid file under the state folder names,
so the machine's own Redis, MariaDB or RabbitMQ that `up` reused are never touched.

State folder layout: run/<part>.pid, log/<part>.log, <store>/ (private store data), www/ (storefront),
nginx/ (Nginx prefix), ports.json (the ports `up` used, read back by status and down).
Run as root, Nginx's workers are `nobody`: when they could not reach the state folder (a clone in
/root, pytest's 0700 tmp folders), www/ and nginx/ go to /run/cloudkart-<id>/ instead.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
import subprocess
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import requests

from services.common.config import SERVICE_PORTS, SERVICES, settings_for
from services.localrun import nginx, processes
from services.localrun.datastores import (
    LOOPBACK,
    MariaDBServer,
    MongoStandin,
    RabbitMQServer,
    RedisServer,
    Server,
    free_port,
    is_reachable,
    mysql_connection,
    port_open,
)
from services.localrun.ports import Ports

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_STATE_DIR = ROOT / "var"
STORE_LAUNCHERS: dict[str, type[Server]] = {
    "redis": RedisServer,
    "mysql": MariaDBServer,
    "rabbitmq": RabbitMQServer,
    "mongodb": MongoStandin,
}
HEALTH_TIMEOUT = 60.0


class ShopError(RuntimeError):
    """A part of the shop could not start; the message says which and why."""


@dataclass(frozen=True)
class PartStatus:
    name: str
    pid: int | None
    port: int | None
    health: str  # "up", "down", or why it is unhealthy
    owner: str  # "cloudkart" (started by up) or "reused" (already running, not ours to stop)


def _world_searchable(path: Path) -> bool:
    return all(folder.stat().st_mode & stat.S_IXOTH for folder in (path, *path.parents) if folder.exists())


class Shop:
    def __init__(
        self,
        state_dir: Path = DEFAULT_STATE_DIR,
        ports: Ports | None = None,
        store_urls: dict[str, str] | None = None,
        mongo_db: str | None = None,
        cities_limit: int | None = None,
    ) -> None:
        """`store_urls` (keys redis, mysql, rabbitmq, mongodb): use those stores and start none."""
        self.state_dir = Path(state_dir).resolve()
        self.ports = ports or Ports.load(self.state_dir / "ports.json")
        self.servers = {
            kind: cls(self.state_dir / kind, self.ports.stores[kind]) for kind, cls in STORE_LAUNCHERS.items()
        }
        self.given_stores = store_urls is not None
        self.store_urls = store_urls or {kind: server.url for kind, server in self.servers.items()}
        self.mongo_db = mongo_db
        self.cities_limit = cities_limit
        self.notices: list[str] = []  # what `up` decided that a person should know

    # -- what tests and the CLI read -------------------------------------------------------------

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.ports.http}"

    @property
    def amqp_url(self) -> str:
        return self.store_urls["rabbitmq"]

    def service_url(self, service: str) -> str:
        return f"http://127.0.0.1:{self.ports.services[service]}"

    def log_path(self, part: str) -> Path:
        if part == "nginx":
            return self.web_dir / "nginx" / "logs" / "access.log"  # its stdout only ever says why it failed to start
        return self.state_dir / "log" / f"{part}.log"

    def log(self, part: str) -> str:
        path = self.log_path(part)
        return path.read_text(errors="replace") if path.exists() else ""

    @property
    def web_dir(self) -> Path:
        """Parent of www/ and nginx/: the state folder, if Nginx's workers can reach it."""
        if os.geteuid() != 0 or _world_searchable(self.state_dir):
            return self.state_dir
        return Path("/run") / f"cloudkart-{hashlib.sha256(str(self.state_dir).encode()).hexdigest()[:12]}"

    def _pidfile(self, part: str) -> Path:
        return self.state_dir / "run" / f"{part}.pid"

    # -- up ------------------------------------------------------------------------------------

    def steps(self) -> list[tuple[str, Callable[[], None]]]:
        return [
            ("free ports", self._check_ports),
            ("data stores", self._start_stores),
            ("cities", self._import_cities),
            ("products", self._seed),
            ("services", self._start_services),
            ("storefront", self._build_storefront),
            ("nginx", self._start_nginx),
        ]

    def up(self, step: Callable[[str], None] = lambda _: None) -> list[PartStatus]:
        self.state_dir.mkdir(parents=True, exist_ok=True)
        self.ports.save(self.state_dir / "ports.json")
        for name, run in self.steps():
            step(name)
            run()
        return self.status()

    def _check_ports(self) -> None:
        """Fail before starting anything if a service's or Nginx's port is held by another program."""
        wanted = {**self.ports.services, "nginx": self.ports.http}
        for part, port in wanted.items():
            if processes.running_pid(self._pidfile(part)) is None and port_open(LOOPBACK, port):
                raise ShopError(f"port {port} for {part} is taken by another program; "
                                "stop it, or run the shop on other ports with --port-base")  # fmt: skip

    def _start_stores(self) -> None:
        missing = []
        for kind, server in list(self.servers.items()):
            url = self.store_urls[kind]
            if is_reachable(url):
                continue
            if self.given_stores:
                raise ShopError(f"{kind} at {url} does not answer")
            if port_open(LOOPBACK, server.port):
                # Say, a MariaDB that apt started, where root may only log in through its socket:
                # not ours to reconfigure, so a private one runs beside it.
                moved = STORE_LAUNCHERS[kind](server.workdir, free_port())
                self.notices.append(f"port {server.port} is held by a {kind} this shop cannot use; "
                                    f"started a private {kind} on port {moved.port} instead")  # fmt: skip
                self.servers[kind], server = moved, moved
                self.ports.stores[kind] = moved.port
                self.store_urls[kind] = moved.url
            missing.append(server)
        self.ports.save(self.state_dir / "ports.json")
        # In parallel: RabbitMQ's boot takes seconds, the others less.
        with ThreadPoolExecutor(max(len(missing), 1)) as pool:
            failures = [f.exception() for f in [pool.submit(server.start) for server in missing]]
        errors = [str(exc) for exc in failures if exc is not None]
        if errors:
            raise ShopError("\n".join(errors))
        self.notices += [
            f"started a private {s.kind} on port {s.port} in {s.workdir} ({s.start_seconds:.1f} s)" for s in missing
        ]

    def _store_env(self) -> dict[str, str]:
        env = {
            "SESSION_REDIS_URL": self.store_urls["redis"],
            "CART_REDIS_URL": self.store_urls["redis"],
            "MYSQL_URL": self.store_urls["mysql"],
            "AMQP_URL": self.store_urls["rabbitmq"],
            "MONGO_URL": self.store_urls["mongodb"],
            **{f"{name.upper()}_URL": self.service_url(name) for name in SERVICE_PORTS},
        }
        if self.mongo_db:
            env["MONGO_DB"] = self.mongo_db
        return env

    def service_env(self, service: str) -> dict[str, str]:
        """The process environment of `service`: every variable it reads, pointing at this shop."""
        wired = {**self._store_env(), "LISTEN_HOST": "127.0.0.1"}
        if service in self.ports.services:
            wired["LISTEN_PORT"] = str(self.ports.services[service])
        own = {s.name: wired.get(s.name, os.environ.get(s.name, s.default)) for s in settings_for(service)}
        return {**os.environ, **own}

    def _run_tool(self, *args: str) -> None:
        """Run a `cloudkart` command to completion, its output to log/<command>.log."""
        log = self.log_path(args[0])
        log.parent.mkdir(parents=True, exist_ok=True)
        with open(log, "ab") as out:
            done = subprocess.run(
                processes.cloudkart_command(*args),
                env={**os.environ, **self._store_env()},
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        if done.returncode:
            raise ShopError(f"`cloudkart {' '.join(args)}` failed; last lines of {log}:\n{processes.log_tail(log)}")

    def _import_cities(self) -> None:
        marker = self.state_dir / "run" / "cities.done"
        wanted = f"{self.store_urls['mysql']} limit={self.cities_limit}"
        # The marker is written only after the import checked its own row count and indexes.
        if marker.exists() and marker.read_text() == wanted and self._cities_loaded():
            return
        self._run_tool("import-cities", *(["--limit", str(self.cities_limit)] if self.cities_limit else []))
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.write_text(wanted)

    def _cities_loaded(self) -> bool:
        import pymysql

        try:
            with mysql_connection(self.store_urls["mysql"], use_database=True) as conn, conn.cursor() as cur:
                cur.execute("SELECT COUNT(*) FROM cities")
                return cur.fetchone()[0] > 0
        except pymysql.MySQLError:
            return False

    def _seed(self) -> None:
        self._run_tool("seed")  # idempotent: products are upserted by sku

    def _start_services(self) -> None:
        started = {}
        for service in SERVICES:
            pidfile = self._pidfile(service)
            if processes.running_pid(pidfile):
                continue
            started[service] = processes.spawn(
                processes.cloudkart_command("serve", service),
                pidfile,
                self.log_path(service),
                self.service_env(service),
            )
        self._wait_healthy(started)

    def _wait_healthy(self, started: dict[str, subprocess.Popen]) -> None:
        deadline = time.monotonic() + HEALTH_TIMEOUT
        waiting = set(started)
        while waiting:
            for service in sorted(waiting):
                if started[service].poll() is not None:
                    raise ShopError(f"the {service} service exited with code {started[service].returncode}; "
                                    f"last lines of {self.log_path(service)}:\n"
                                    f"{processes.log_tail(self.log_path(service))}")  # fmt: skip
                if self._health(service, started[service].pid) == "up":
                    waiting.discard(service)
            if waiting and time.monotonic() > deadline:
                raise ShopError(f"not healthy after {HEALTH_TIMEOUT:.0f} s: {', '.join(sorted(waiting))} "
                                f"(see {self.state_dir / 'log'})")  # fmt: skip
            time.sleep(0.2)

    def _build_storefront(self) -> None:
        www = self.web_dir / "www"
        www.mkdir(parents=True, exist_ok=True)
        if self.web_dir != self.state_dir:
            self.web_dir.chmod(0o755)
        self._run_tool("storefront", "build", "--out", str(www))

    def _start_nginx(self) -> None:
        pidfile = self._pidfile("nginx")
        if processes.running_pid(pidfile):
            return
        prefix = self.web_dir / "nginx"
        config = nginx.write_config(prefix, self.ports.http, self.web_dir / "www", self.ports.services)
        proc = processes.spawn(nginx.command(prefix, config), pidfile, self.state_dir / "log" / "nginx.log")
        deadline = time.monotonic() + 10
        while not port_open(LOOPBACK, self.ports.http):
            if proc.poll() is not None or time.monotonic() > deadline:
                log = prefix / "logs/error.log"
                raise ShopError(f"Nginx did not start; last lines of {log}:\n{processes.log_tail(log)}")
            time.sleep(0.1)

    # -- status and down -------------------------------------------------------------------------

    def _health(self, service: str, pid: int | None) -> str:
        if pid is None:
            return "down"
        if service not in self.ports.services:
            return "up"  # the order processor has no port; a live process is all there is to see
        try:
            answer = requests.get(f"{self.service_url(service)}/health", timeout=3)
        except requests.RequestException:
            return "down"
        return "up" if answer.status_code == 200 else f"unhealthy: {answer.text[:80]}"

    def _nginx_health(self, pid: int | None) -> str:
        if pid is None:
            return "down"
        try:
            requests.get(self.url, timeout=3)
        except requests.RequestException:
            return "down"
        return "up"

    def status(self) -> list[PartStatus]:
        parts = []
        for kind, server in self.servers.items():
            pid = processes.running_pid(server.pidfile)
            url = self.store_urls[kind]
            health = "up" if is_reachable(url) else "down"
            parts.append(
                PartStatus(
                    kind, pid, urlsplit(url).port, health, "cloudkart" if pid else ("reused" if health == "up" else "-")
                )
            )
        for service in SERVICES:
            pid = processes.running_pid(self._pidfile(service))
            health = self._health(service, pid)
            parts.append(PartStatus(service, pid, self.ports.services.get(service), health, "cloudkart"))
        nginx_pid = processes.running_pid(self._pidfile("nginx"))
        parts.append(PartStatus("nginx", nginx_pid, self.ports.http, self._nginx_health(nginx_pid), "cloudkart"))
        return parts

    def down(self) -> list[str]:
        """Stop every part this state folder's pid files name; returns the names of those stopped."""
        stopped = [part for part in (*SERVICES, "nginx") if processes.stop(self._pidfile(part))]
        if self.web_dir != self.state_dir:
            shutil.rmtree(self.web_dir, ignore_errors=True)  # only built files and Nginx's runtime
        for kind, server in self.servers.items():
            if server.running():
                server.stop()
                stopped.append(kind)
        return stopped
