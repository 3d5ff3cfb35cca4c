"""What `cloudkart render` writes: every file per host, env files from the settings table, passwords
generated once and kept private, and an inventory that re-addresses everything."""

from __future__ import annotations

import json
import re
import stat
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from services.cli.app import _load_commands, cli
from services.common.config import SETTINGS, settings_for
from services.deploy import layout as layouts
from services.deploy import passwords
from services.deploy.render import RenderOptions, render_layout

ROOT = Path(__file__).resolve().parents[2]
_load_commands()


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_every_host_gets_its_configs_and_a_manifest(bundles: dict[str, Path]):
    twelve = bundles["cloudkart-12"]
    assert sorted(p.name for p in twelve.iterdir()) == sorted(h.name for h in layouts.load("cloudkart-12").hosts)
    manifest = json.loads((twelve / "user-db/host.json").read_text())
    assert manifest["roles"] == ["user-db"] and manifest["components"] == ["mongodb", "redis"]
    assert manifest["units"] == ["mongod"]
    assert manifest["addresses"]["cart"] == "172.31.19.139"
    assert sorted(manifest["files"]) == sorted(
        str(p.relative_to(twelve / "user-db"))
        for p in (twelve / "user-db").rglob("*")
        if p.is_file() and p.name != "host.json"
    )
    local = json.loads((bundles["all-in-one"] / "local/host.json").read_text())
    assert local["units"] == ["cart", "catalogue", "mongod", "order-processor", "payment", "shipping", "user"]
    assert {"nginx/cloudkart.conf", "mysql/users.sql", "rabbitmq/definitions.json", "redis/cloudkart.conf"} <= set(
        local["files"]
    )


def test_env_files_hold_exactly_the_settings_each_service_reads(bundles: dict[str, Path]):
    for env in sorted(bundles["cloudkart-12"].glob("*/env/*.env")):
        names = re.findall(r"^([A-Z_]+)=", env.read_text(), re.MULTILINE)
        assert names == [s.name for s in settings_for(env.stem)], env
        assert set(names) <= set(SETTINGS)


def test_env_files_point_at_the_layout_addresses(bundles: dict[str, Path]):
    cart = (bundles["cloudkart-12"] / "cart/env/cart.env").read_text()
    assert "LISTEN_HOST=172.31.19.139\n" in cart
    assert "CART_REDIS_URL=redis://:test-redis_cart-redis@172.31.28.178:6379/0\n" in cart
    assert "SESSION_REDIS_URL=redis://:test-redis_user-db@172.31.23.217:6379/0\n" in cart
    assert "CATALOGUE_URL=http://172.31.20.232:8082\n" in cart
    shipping = (bundles["cloudkart-12"] / "shipping/env/shipping.env").read_text()
    assert "MYSQL_URL=mysql://shipping:test-mysql_shipping@172.31.19.145:3306/cities\n" in shipping
    orders = (bundles["cloudkart-12"] / "order-processor/env/orders.env").read_text()
    assert "AMQP_URL=amqp://cloudkart:test-rabbitmq_cloudkart@172.31.26.127:5672/%2F\n" in orders
    catalogue = (bundles["cloudkart-12"] / "catalogue/env/catalogue.env").read_text()
    assert "MONGO_URL=mongodb://172.31.18.95:27017/\n" in catalogue


def test_one_redis_serves_both_roles_on_the_all_in_one_host(bundles: dict[str, Path]):
    cart = (bundles["all-in-one"] / "local/env/cart.env").read_text()
    assert "CART_REDIS_URL=redis://:test-redis_local@127.0.0.1:6379/0\n" in cart
    assert "SESSION_REDIS_URL=redis://:test-redis_local@127.0.0.1:6379/0\n" in cart
    assert "requirepass test-redis_local\n" in (bundles["all-in-one"] / "local/redis/cloudkart.conf").read_text()


def test_env_files_and_files_holding_passwords_are_0600_and_the_rest_0644(bundles: dict[str, Path]):
    for path in (p for folder in bundles.values() for p in folder.rglob("*") if p.is_file()):
        # definitions.json holds password hashes: private too, though no password appears in it.
        private = path.parent.name == "env" or path.name == "definitions.json" or "test-" in path.read_text()
        assert mode(path) == (0o600 if private else 0o644), path


def test_the_mysql_account_is_limited_to_the_cities_database_from_the_shipping_host(bundles: dict[str, Path]):
    sql = (bundles["cloudkart-12"] / "shipping-db/mysql/users.sql").read_text()
    assert "GRANT SELECT ON cities.* TO 'shipping'@'172.31.30.72';" in sql
    assert "*.*" not in sql and "GRANT ALL" not in sql


def test_rabbitmq_users_carry_a_hash_rabbitmq_can_check(bundles: dict[str, Path]):
    import base64
    import hashlib

    definitions = json.loads((bundles["cloudkart-12"] / "rabbitmq/rabbitmq/definitions.json").read_text())
    users = {u["name"]: u for u in definitions["users"]}
    assert users["cloudkart"]["tags"] == [] and users["cloudkart-admin"]["tags"] == ["administrator"]
    raw = base64.b64decode(users["cloudkart"]["password_hash"])
    salt, digest = raw[:4], raw[4:]
    assert digest == hashlib.sha256(salt + b"test-rabbitmq_cloudkart").digest()
    assert "test-rabbitmq" not in json.dumps(definitions)  # only hashes, never the password


def test_passwords_are_generated_once_then_reused(tmp_path: Path):
    names = ["redis_x", "mysql_shipping"]
    first = passwords.load_or_create("lab", names, tmp_path)
    assert first == passwords.load_or_create("lab", names, tmp_path)
    assert len(set(first.values())) == 2 and all(len(v) >= 32 for v in first.values())
    assert mode(tmp_path / "lab.json") == 0o600
    grown = passwords.load_or_create("lab", [*names, "rabbitmq_admin"], tmp_path)
    assert {k: grown[k] for k in names} == first  # a new account does not change the old ones


def test_a_second_render_is_identical(tmp_path: Path):
    options = RenderOptions(secrets_dir=tmp_path / "secrets")
    layout = layouts.load("cloudkart-12")
    render_layout(layout, tmp_path / "a", options)
    render_layout(layout, tmp_path / "b", options)
    diff = subprocess.run(["diff", "-r", str(tmp_path / "a"), str(tmp_path / "b")], capture_output=True, text=True)
    assert diff.returncode == 0, diff.stdout


def test_rendering_again_removes_files_a_host_no_longer_has(tmp_path: Path):
    layout = layouts.load("cloudkart-12")
    render_layout(layout, tmp_path, RenderOptions(mongo_standin=True, secrets_dir=tmp_path / "s"), ["user-db"])
    assert (tmp_path / "user-db/systemd/mongod.service").exists()
    render_layout(layout, tmp_path, RenderOptions(secrets_dir=tmp_path / "s"), ["user-db"])
    assert not (tmp_path / "user-db/systemd").exists()


def test_the_secrets_folder_is_ignored_by_git():
    result = subprocess.run(["git", "check-ignore", "-q", "var/secrets/cloudkart-12.json"], cwd=ROOT)
    assert result.returncode == 0
    tracked = subprocess.run(["git", "ls-files", "var"], cwd=ROOT, capture_output=True, text=True).stdout
    assert tracked == ""


def _inventory(tmp_path: Path) -> Path:
    hosts = [
        {
            "name": h.name,
            "roles": list(h.roles),
            "address": f"10.231.0.{11 + i}",
            "connection": f"ssh://root@10.231.0.{11 + i}",
        }
        for i, h in enumerate(layouts.load("cloudkart-12").hosts)
    ]
    path = tmp_path / "inventory.json"
    path.write_text(json.dumps({"layout": "cloudkart-12", "source": "test", "hosts": hosts}))
    return path


def render_cli(tmp_path: Path, *args: str):
    return CliRunner().invoke(cli, ["render", "--secrets-dir", str(tmp_path / "secrets"), *args])


def test_an_inventory_re_addresses_every_file(tmp_path: Path):
    out = tmp_path / "out"
    result = render_cli(
        tmp_path, "--layout", "cloudkart-12", "--inventory", str(_inventory(tmp_path)), "--out", str(out)
    )
    assert result.exit_code == 0, result.output
    text = "".join(p.read_text() for p in out.rglob("*") if p.is_file())
    assert "172.31." not in text
    assert "server 10.231.0.17:8083;" in (out / "frontend/nginx/cloudkart.conf").read_text()  # cart is 7th
    assert "bind 10.231.0.12 127.0.0.1\n" in (out / "user-db/redis/cloudkart.conf").read_text()


def test_an_inventory_of_another_layout_is_refused(tmp_path: Path):
    result = render_cli(
        tmp_path, "--layout", "all-in-one", "--inventory", str(_inventory(tmp_path)), "--out", str(tmp_path / "o")
    )
    assert result.exit_code != 0 and "inventory of layout 'cloudkart-12'" in result.output
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--admin-cidr", "10.0.0/33"], "is not a CIDR"),
        (["--host", "fronted"], "has no host 'fronted'"),
        (["--layout", "three-tier"], "no layout 'three-tier'"),
    ],
)
def test_bad_render_options_are_named(tmp_path: Path, args: list[str], message: str):
    result = render_cli(tmp_path, "--out", str(tmp_path / "o"), *args)
    assert result.exit_code != 0 and message in result.output, result.output
    assert "Traceback" not in result.output


def test_layout_check_passes_the_shipped_file_and_names_a_broken_field(tmp_path: Path):
    assert CliRunner().invoke(cli, ["layout", "check"]).exit_code == 0
    broken = tmp_path / "layout.yml"
    broken.write_text(layouts.LAYOUT_FILE.read_text().replace("size: t2.medium}", "size: t2.huge}"))
    result = CliRunner().invoke(cli, ["layout", "check", "--file", str(broken)])
    assert result.exit_code == 1
    assert "layouts.cloudkart-12.hosts[7].size: 't2.huge' is not one of" in result.output


def test_layout_show_lists_every_host_with_its_address():
    result = CliRunner().invoke(cli, ["layout", "show", "--layout", "cloudkart-12"])
    assert result.exit_code == 0
    for host in layouts.load("cloudkart-12").hosts:
        assert host.name in result.output and host.address in result.output
