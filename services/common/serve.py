"""Run a service's WSGI app under waitress, the way systemd and `cloudkart up` start it."""

from __future__ import annotations

import logging
from collections.abc import Callable

import bottle
import waitress

from services.common import config, logs

log = logging.getLogger("cloudkart.serve")


def serve(app: bottle.Bottle, service: str, threads: int = 8) -> None:
    host, port = config.get("LISTEN_HOST"), config.listen_port(service)
    log.info("listening", extra={"host": host, "port": port})
    proxy = config.get("TRUSTED_PROXY")
    # Without trusted_proxy waitress drops X-Forwarded-* (rightly, from strangers), and every request
    # would look as if it came from Nginx. ident=None: do not advertise the server software.
    proxy_options = (
        {"trusted_proxy": proxy, "trusted_proxy_headers": {"x-forwarded-for", "x-forwarded-proto"}} if proxy else {}
    )
    waitress.serve(app, host=host, port=port, threads=threads, ident=None, channel_timeout=30, **proxy_options)


def run_http(service: str, create_app: Callable[[], bottle.Bottle]) -> None:
    """The `main()` of every HTTP service: JSON logs, then the app under waitress."""
    logs.setup(service, config.get("LOG_LEVEL"))
    serve(create_app(), service)
