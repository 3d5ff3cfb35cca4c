"""MariaDB access for the shipping service: one connection per thread, errors as 503 naming MariaDB.

PyMySQL connections are not thread-safe and waitress answers on several threads, so each thread
keeps its own connection and reconnects when the server went away.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

import pymysql
import pymysql.cursors

from services.common import config
from services.common.errors import Unavailable
from services.common.stores import unavailable_as_503

DEPENDENCY = "cities database (mysql)"
NO_SUCH_TABLE = 1146


@dataclass(frozen=True)
class MySQLTarget:
    host: str
    port: int
    user: str
    password: str
    database: str

    @classmethod
    def from_url(cls, url: str) -> MySQLTarget:
        """Parse mysql://user:password@host:port/database (password and port optional)."""
        parts = urlsplit(url)
        if parts.scheme not in ("mysql", "mariadb"):
            raise config.ConfigError(f"MYSQL_URL must start with mysql://, got {url!r}")
        database = parts.path.lstrip("/")
        if not database:
            raise config.ConfigError("MYSQL_URL must name a database, e.g. mysql://root@127.0.0.1:3306/cities")
        return cls(
            host=parts.hostname or "127.0.0.1",
            port=parts.port or 3306,
            user=unquote(parts.username or "root"),
            password=unquote(parts.password or ""),
            database=database,
        )

    def connect(self, *, with_database: bool = True, **options: object) -> pymysql.Connection:
        """A connection with the service's timeouts; `options` override them (the import needs none)."""
        timeout = config.get_float("HTTP_TIMEOUT")
        settings: dict[str, object] = {
            "connect_timeout": max(1, int(timeout)),
            "read_timeout": max(1, int(timeout * 3)),
            "write_timeout": max(1, int(timeout * 3)),
            **options,
        }
        return pymysql.connect(
            host=self.host,
            port=self.port,
            user=self.user,
            password=self.password,
            database=self.database if with_database else None,
            charset="utf8mb4",
            autocommit=True,
            **settings,
        )


@contextlib.contextmanager
def mysql_errors() -> Iterator[None]:
    """Connection failures become 503 naming MariaDB; a missing table says how to create it."""
    try:
        with unavailable_as_503(DEPENDENCY, pymysql.err.OperationalError, pymysql.err.InterfaceError):
            yield
    except pymysql.err.ProgrammingError as exc:
        if exc.args and exc.args[0] == NO_SUCH_TABLE:
            raise Unavailable(DEPENDENCY, "the cities table is missing: run `cloudkart import-cities`") from exc
        raise


class Cities:
    """Read-only queries on the cities and countries tables."""

    def __init__(self, target: MySQLTarget) -> None:
        self.target = target
        self._local = threading.local()

    def _connection(self) -> pymysql.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None or not conn.open:
            conn = self.target.connect(cursorclass=pymysql.cursors.DictCursor)
            self._local.conn = conn
        return conn

    def query(self, sql: str, args: tuple[object, ...] = ()) -> list[dict[str, object]]:
        with mysql_errors():
            conn = self._connection()
            try:
                with conn.cursor() as cur:
                    cur.execute(sql, args)
                    return list(cur.fetchall())
            except (pymysql.err.OperationalError, pymysql.err.InterfaceError):
                # A dropped connection (server restarted, idle timeout) gets one fresh try.
                self._local.conn = None
                with self._connection().cursor() as cur:
                    cur.execute(sql, args)
                    return list(cur.fetchall())

    def ping(self) -> None:
        self.query("SELECT 1 FROM cities LIMIT 1")
