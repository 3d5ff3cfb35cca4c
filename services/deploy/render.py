"""Render every config of a layout's hosts from the Jinja templates in templates/.

`render_host()` returns the files of one host as {relative path: RenderedFile}; `write_bundle()` puts
them under `DIR/<host>/` (contract 7); `render_local_nginx()` is the complete nginx.conf of a local,
unprivileged run (`nginx -p DIR -c FILE`).
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import jinja2

from services.common.config import SERVICE_PORTS, SETTINGS
from services.deploy import passwords, wiring
from services.deploy.layout import Host, Layout

TEMPLATES = Path(__file__).resolve().parent / "templates"
HOST_WWW = "/opt/cloudkart/www"
# The local systemd test hosts' bridge (see labs and services/hosts): where SSH comes from by default.
DEFAULT_ADMIN_CIDR = "10.231.0.0/24"
# Login and register, per client address: enough for a shopper's typos, too slow for guessing.
AUTH_RATE, AUTH_BURST = "5r/s", 10
PRIVATE, PUBLIC = 0o600, 0o644


@dataclass(frozen=True)
class RenderOptions:
    www_dir: str = HOST_WWW
    admin_cidr: str = DEFAULT_ADMIN_CIDR
    mongo_standin: bool = False
    secrets_dir: Path = passwords.SECRETS_DIR


@dataclass(frozen=True)
class RenderedFile:
    text: str
    mode: int = PUBLIC


def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # noqa: S701 - these are config files, not HTML
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


_JINJA = _environment()


def _render(template: str, **context: object) -> str:
    return _JINJA.get_template(template).render(**context)


def _nginx_context(upstreams: dict[str, str], listen: str, www_dir: str) -> dict[str, object]:
    return {
        "upstreams": upstreams,
        "listen": listen,
        "www_dir": www_dir,
        "auth_rate": AUTH_RATE,
        "auth_burst": AUTH_BURST,
        "rate_limited": ("/api/user/login", "/api/user/register"),
    }


def render_local_site(www_dir: Path, http_port: int, service_ports: dict[str, int]) -> str:
    """The http-level site (upstreams, rate limit zone, server) for a local Nginx on 127.0.0.1:HTTP_PORT.

    `service_ports` maps each routed service (user, catalogue, cart, payment, shipping) to its port.
    """
    upstreams = {s: f"127.0.0.1:{service_ports[s]}" for s in wiring.ROUTED_SERVICES}
    return _render("nginx/server.conf.j2", **_nginx_context(upstreams, f"127.0.0.1:{http_port}", str(www_dir)))


def render_local_nginx(runtime_dir: Path, www_dir: Path, http_port: int, service_ports: dict[str, int]) -> str:
    """A complete nginx.conf for `nginx -p RUNTIME_DIR -c FILE`; pid, logs and temp files under RUNTIME_DIR.

    The caller creates RUNTIME_DIR/logs and RUNTIME_DIR/tmp (pass `-e RUNTIME_DIR/logs/error.log` too,
    or Nginx first opens the distribution's error log).
    """
    site = render_local_site(www_dir, http_port, service_ports)
    return _render("nginx/local.conf.j2", runtime_dir=str(runtime_dir), server=site)


def _rabbitmq_hash(password: str, salt_from: str) -> str:
    # RabbitMQ's rabbit_password_hashing_sha256: base64(salt + sha256(salt + password)). The salt is
    # derived, not random, so a re-render is byte-identical (the password itself is random).
    salt = hashlib.sha256(salt_from.encode()).digest()[:4]
    return base64.b64encode(salt + hashlib.sha256(salt + password.encode()).digest()).decode()


def _rabbitmq_definitions(pw: dict[str, str]) -> str:
    users = [
        (wiring.RABBITMQ_USER, pw["rabbitmq_cloudkart"], []),
        (wiring.RABBITMQ_ADMIN, pw["rabbitmq_admin"], ["administrator"]),
    ]
    definitions = {
        "vhosts": [{"name": "/"}],
        "users": [
            {
                "name": name,
                "password_hash": _rabbitmq_hash(password, name),
                "hashing_algorithm": "rabbit_password_hashing_sha256",
                "tags": tags,
            }
            for name, password, tags in users
        ],
        "permissions": [
            {"user": name, "vhost": "/", "configure": ".*", "write": ".*", "read": ".*"} for name, _, _ in users
        ],
    }
    return json.dumps(definitions, indent=2) + "\n"


def _bind(host: Host) -> list[str]:
    return ["127.0.0.1"] if host.address == "127.0.0.1" else [host.address, "127.0.0.1"]


def render_host(layout: Layout, host: Host, options: RenderOptions) -> dict[str, RenderedFile]:
    """Every config file of `host`, by path relative to its bundle folder."""
    pw = passwords.load_or_create(layout.name, wiring.password_names(layout), options.secrets_dir)
    header = f"Rendered by `cloudkart render` from layout.yml (layout {layout.name}, host {host.name}). Do not edit."
    components = layout.components_on(host)
    files: dict[str, RenderedFile] = {}

    def add(path: str, template: str, mode: int = PUBLIC, **context: object) -> None:
        files[path] = RenderedFile(_render(template, header=header, layout=layout, host=host, **context), mode)

    if "nginx" in components:
        upstreams = {s: f"{layout.address_of(s)}:{SERVICE_PORTS[s]}" for s in wiring.ROUTED_SERVICES}
        add(
            "nginx/cloudkart.conf",
            "nginx/cloudkart.conf.j2",
            **_nginx_context(upstreams, str(layout.http_port), options.www_dir),
        )
    for service in wiring.services_on(layout, host):
        unit = wiring.UNIT_NAMES[service]
        add(
            f"systemd/{unit}.service",
            "systemd/service.service.j2",
            service=service,
            unit=unit,
            store_units=wiring.store_units_for(layout, host, service),
        )
        add(
            f"env/{service}.env",
            "env/service.env.j2",
            PRIVATE,
            unit=unit,
            variables=wiring.environment(layout, host, service, pw),
            settings=SETTINGS,
        )
    if "redis" in components:
        add(
            "redis/cloudkart.conf",
            "redis/cloudkart.conf.j2",
            PRIVATE,
            bind=_bind(host),
            password=pw[f"redis_{host.name}"],
        )
    if "mysql" in components:
        add("mysql/cloudkart.cnf", "mysql/cloudkart.cnf.j2", address=host.address)
        add(
            "mysql/users.sql",
            "mysql/users.sql.j2",
            PRIVATE,
            user=wiring.MYSQL_USER,
            client=layout.address_of("shipping"),
            password=pw["mysql_shipping"],
        )
    if "rabbitmq" in components:
        add("rabbitmq/rabbitmq.conf", "rabbitmq/rabbitmq.conf.j2", address=host.address)
        files["rabbitmq/definitions.json"] = RenderedFile(_rabbitmq_definitions(pw), PRIVATE)
    if "mongodb" in components:
        db_path = "/var/lib/cloudkart-mongo" if options.mongo_standin else "/var/lib/mongodb"
        add(
            "mongodb/mongod.conf",
            "mongodb/mongod.conf.j2",
            bind=_bind(host),
            db_path=db_path,
            standin=options.mongo_standin,
        )
        if options.mongo_standin:
            add("systemd/mongod.service", "systemd/mongod.service.j2", db_path=db_path)
    add(
        "firewall/cloudkart.nft",
        "firewall/cloudkart.nft.j2",
        openings=wiring.openings(layout, host, options.admin_cidr),
    )
    files["host.json"] = RenderedFile(_manifest(layout, host, options, sorted(files)))
    return files


def _manifest(layout: Layout, host: Host, options: RenderOptions, paths: list[str]) -> str:
    manifest = {
        "layout": layout.name,
        "host": host.name,
        "address": host.address,
        "roles": list(host.roles),
        "components": layout.components_on(host),
        "units": [Path(p).stem for p in paths if p.startswith("systemd/")],
        "http_port": layout.http_port,
        "www_dir": options.www_dir,
        "mongo_standin": options.mongo_standin,
        "addresses": wiring.role_addresses(layout),
        "files": paths,
    }
    return json.dumps(manifest, indent=2) + "\n"


def write_bundle(files: dict[str, RenderedFile], folder: Path) -> None:
    """Write one host's files into `folder`, replacing an earlier bundle there (so no stale file stays)."""
    if (folder / "host.json").exists():
        shutil.rmtree(folder)
    for rel, rendered in files.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, rendered.mode)
        with os.fdopen(fd, "w") as f:
            f.write(rendered.text)
        path.chmod(rendered.mode)


def render_layout(layout: Layout, out: Path, options: RenderOptions, host_names: list[str] | None = None) -> list[Path]:
    """Render the named hosts (default: all) of `layout` into OUT/<host>/; returns the folders."""
    hosts = [layout.host(name) for name in host_names] if host_names else list(layout.hosts)
    folders = []
    for host in hosts:
        folder = Path(out) / host.name
        write_bundle(render_host(layout, host, options), folder)
        folders.append(folder)
    return folders
