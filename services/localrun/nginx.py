"""Debian's Nginx run from a private prefix (config, temp files, logs and pid under the state folder).

The process-level config is ours (it must keep every path inside the prefix); the `server` block
that serves the storefront and routes /api/<service>/ comes from `server_block`.
"""

from __future__ import annotations

from pathlib import Path

NGINX = "/usr/sbin/nginx"
ROUTED = ("user", "catalogue", "cart", "payment", "shipping")

MAIN_CONF = """\
# Written by `cloudkart up`; every path stays inside {prefix}.
worker_processes 2;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log {prefix}/access.log;
    client_body_temp_path {prefix}/tmp/body;
    proxy_temp_path {prefix}/tmp/proxy;
    fastcgi_temp_path {prefix}/tmp/fastcgi;
    uwsgi_temp_path {prefix}/tmp/uwsgi;
    scgi_temp_path {prefix}/tmp/scgi;
    include {prefix}/cloudkart.conf;
}}
"""


def server_block(http_port: int, root: Path, service_ports: dict[str, int]) -> str:
    """A minimal storefront + API server block (the templates team's local render replaces it)."""
    routes = "".join(
        f"    location /api/{name}/ {{ proxy_pass http://127.0.0.1:{service_ports[name]}; }}\n" for name in ROUTED
    )
    return (
        f"server {{\n    listen 127.0.0.1:{http_port};\n    root {root};\n    index index.html;\n"
        "    client_max_body_size 16k;\n"
        "    proxy_set_header Host $host;\n    proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n"
        # Internal: only the order processor may reserve stock, never a browser.
        "    location = /api/catalogue/reserve {\n        default_type application/json;\n"
        '        return 404 \'{"error": "not found"}\';\n    }\n'
        f"{routes}"
        "    location / { try_files $uri $uri/ /index.html; }\n}\n"
    )


def write_config(prefix: Path, http_port: int, root: Path, service_ports: dict[str, int]) -> Path:
    """Write the prefix's nginx.conf and cloudkart.conf; returns the main config's path."""
    for temp in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (prefix / "tmp" / temp).mkdir(parents=True, exist_ok=True)
    (prefix / "cloudkart.conf").write_text(server_block(http_port, root, service_ports))
    main = prefix / "nginx.conf"
    main.write_text(MAIN_CONF.format(prefix=prefix))
    return main


def command(prefix: Path, config: Path) -> list[str]:
    # -e: without it Nginx opens /var/log/nginx/error.log before reading the config.
    return [NGINX, "-p", str(prefix), "-e", str(prefix / "error.log"), "-c", str(config), "-g", "daemon off;"]
