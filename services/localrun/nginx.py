"""Debian's Nginx run from a private prefix: config, temp files, logs and pid all under it.

The config is the templates team's local render (services/deploy/render.py), the same Nginx
site the hosts get, with upstreams on this machine's ports.
"""

from __future__ import annotations

from pathlib import Path

from services.deploy.render import render_local_nginx

NGINX = "/usr/sbin/nginx"


def write_config(prefix: Path, http_port: int, root: Path, service_ports: dict[str, int]) -> Path:
    """Write PREFIX/nginx.conf (and the folders it names); returns its path."""
    for sub in ("logs", "tmp"):
        (prefix / sub).mkdir(parents=True, exist_ok=True)
    config = prefix / "nginx.conf"
    config.write_text(render_local_nginx(prefix, root, http_port, service_ports))
    return config


def command(prefix: Path, config: Path) -> list[str]:
    # -e: without it Nginx opens /var/log/nginx/error.log before reading the config.
    return [NGINX, "-p", str(prefix), "-e", str(prefix / "logs/error.log"), "-c", str(config), "-g", "daemon off;"]
