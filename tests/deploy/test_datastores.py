"""The rendered data store configs work in the real servers: private instances on free loopback ports,
started with the rendered file (only the port and file paths changed), never the machine's own stores."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import pika
import pytest
import redis
import requests
from redis.backoff import NoBackoff
from redis.retry import Retry

from services.localrun.datastores import MariaDBServer, RabbitMQServer, free_port, port_open

PASSWORD_OF = {"redis": "test-redis_local", "cloudkart": "test-rabbitmq_cloudkart", "admin": "test-rabbitmq_admin"}


def _client(port: int, password: str | None = None) -> redis.Redis:
    # No retries: a refused login must fail at once, not after redis-py's back-off.
    return redis.Redis(port=port, password=password, socket_timeout=2, retry=Retry(NoBackoff(), 0))


def test_redis_starts_with_the_rendered_config_and_demands_the_password(bundles: dict[str, Path], tmp_path: Path):
    port = free_port()
    conf = bundles["all-in-one"] / "local/redis/cloudkart.conf"
    command = [
        "redis-server",
        str(conf),
        "--port",
        str(port),
        "--dir",
        str(tmp_path),
        "--save",
        "",
        "--daemonize",
        "no",
    ]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 10
        while not port_open("127.0.0.1", port):
            assert server.poll() is None and time.monotonic() < deadline, "redis did not start with the rendered config"
            time.sleep(0.05)
        assert _client(port, PASSWORD_OF["redis"]).set("k", "v")
        with pytest.raises(redis.AuthenticationError):
            _client(port).get("k")
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_mariadb_accepts_every_option_of_the_rendered_cnf(bundles: dict[str, Path]):
    cnf = bundles["cloudkart-12"] / "shipping-db/mysql/cloudkart.cnf"
    result = subprocess.run(
        ["mariadbd", f"--defaults-file={cnf}", "--user=root", "--verbose", "--help"], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert "unknown" not in result.stderr.lower()
    values = dict(line.split(None, 1) for line in result.stdout.splitlines() if len(line.split(None, 1)) == 2)
    assert values["bind-address"].strip() == "172.31.19.145"
    assert values["character-set-server"].strip() == "utf8mb4"
    assert values["local-infile"].strip() == "TRUE"
    assert values["skip-name-resolve"].strip() == "TRUE"


class _PrivateMariaDB(MariaDBServer):
    def root_sql(self, sql: str) -> subprocess.CompletedProcess:
        socket_path = self.workdir / "mysqld.sock"
        command = ["mariadb", "--no-defaults", f"--socket={socket_path}", "-uroot", "--batch", "--skip-column-names"]
        return subprocess.run(command, input=sql, capture_output=True, text=True)


def test_the_shipping_account_only_reads_the_cities_database(bundles: dict[str, Path], tmp_path: Path):
    import pymysql

    server = _PrivateMariaDB(tmp_path / "mariadb", free_port())
    server.start()
    try:
        users_sql = (bundles["all-in-one"] / "local/mysql/users.sql").read_text()
        assert server.root_sql(users_sql).returncode == 0
        # An older render granted write privileges: running the file again (as every provisioning
        # does) must be safe, and must take them back.
        assert server.root_sql("GRANT INSERT, DROP ON cities.* TO 'shipping'@'127.0.0.1'").returncode == 0
        done = server.root_sql(users_sql)
        assert done.returncode == 0, done.stderr
        done = server.root_sql("CREATE TABLE cities.t (id INT PRIMARY KEY); INSERT INTO cities.t VALUES (1);")
        assert done.returncode == 0, done.stderr
        connection = pymysql.connect(
            host="127.0.0.1", port=server.port, user="shipping", password="test-mysql_shipping", database="cities"
        )
        with connection, connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM t")
            assert cursor.fetchone() == (1,)
            for statement in ("INSERT INTO t VALUES (2)", "DROP TABLE t", "CREATE TABLE u (id INT)"):
                with pytest.raises(pymysql.err.OperationalError, match="denied"):
                    cursor.execute(statement)
            with pytest.raises(pymysql.err.OperationalError, match="denied"):
                cursor.execute("SELECT user FROM mysql.user")
            with pytest.raises(pymysql.err.OperationalError, match="denied"):
                cursor.execute("CREATE DATABASE other")
    finally:
        server.stop()


class _RenderedRabbitMQ(RabbitMQServer):
    """A private node started from the rendered rabbitmq.conf and definitions.json."""

    def __init__(self, workdir: Path, port: int, bundle: Path) -> None:
        super().__init__(workdir, port)
        self.bundle = bundle
        self.management_port = free_port()

    @property
    def url(self) -> str:
        # With definitions to load, RabbitMQ creates no `guest` at all: the node is ready when ours logs in.
        return f"amqp://cloudkart:{PASSWORD_OF['cloudkart']}@127.0.0.1:{self.port}/%2F"

    def _prepare(self) -> None:
        super()._prepare()
        definitions = self.workdir / "definitions.json"
        definitions.write_text((self.bundle / "rabbitmq/definitions.json").read_text())
        conf = (self.bundle / "rabbitmq/rabbitmq.conf").read_text()
        conf = conf.replace(":5672", f":{self.port}").replace("15672", str(self.management_port))
        (self.workdir / "rabbitmq.conf").write_text(conf.replace("/etc/rabbitmq/definitions.json", str(definitions)))
        (self.workdir / "enabled_plugins").write_text("[rabbitmq_management].\n")


@pytest.mark.slow
def test_rabbitmq_boots_with_the_rendered_users(bundles: dict[str, Path], tmp_path: Path):
    node = _RenderedRabbitMQ(tmp_path / "rabbitmq", free_port(), bundles["all-in-one"] / "local")
    node.start(timeout=90)
    try:
        connection = pika.BlockingConnection(pika.URLParameters(node.url))
        connection.channel().queue_declare("cloudkart-render-test", auto_delete=True)
        connection.close()
        for user, password in (("cloudkart", "wrong"), ("guest", "guest")):
            with pytest.raises(pika.exceptions.ProbableAuthenticationError):
                pika.BlockingConnection(pika.URLParameters(f"amqp://{user}:{password}@127.0.0.1:{node.port}/%2F"))
        api = f"http://127.0.0.1:{node.management_port}/api/whoami"
        admin = requests.get(api, auth=("cloudkart-admin", PASSWORD_OF["admin"]), timeout=10)
        assert admin.status_code == 200 and "administrator" in str(admin.json()["tags"])
        # The services' account may use AMQP but not the management UI.
        assert requests.get(api, auth=("cloudkart", PASSWORD_OF["cloudkart"]), timeout=10).status_code == 401
    finally:
        node.stop()
