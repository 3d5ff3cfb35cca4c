"""The Bottle app every HTTP service starts from.

`make_app` gives a service, before it adds a single route:
- JSON errors for everything (unknown routes, wrong methods, crashes) instead of Bottle's HTML pages;
- `/health` and `/api/<service>/health`: "OK", or 503 naming each dependency that failed;
- `/metrics` and `/api/<service>/metrics`: Prometheus, with request latency per route;
- `/api/<service>/openapi.json`: the service's OpenAPI document (its `openapi.yaml`);
- one structured access-log line per request.
"""

from __future__ import annotations

import functools
import json
import logging
import time
from collections.abc import Callable
from importlib import resources
from typing import Any

import bottle
import prometheus_client
import yaml

from services.common.errors import ApiError, Unhealthy

HealthCheck = Callable[[], None]
log = logging.getLogger("cloudkart.http")

REQUEST_SECONDS = prometheus_client.Histogram(
    "cloudkart_http_request_duration_seconds",
    "Time to answer an HTTP request.",
    ["service", "method", "route", "status"],
    buckets=(0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.5, 1, 2.5),
)


def _json_error(res: bottle.HTTPError) -> str:
    bottle.response.content_type = "application/json"
    if isinstance(res, ApiError):
        return res.body
    if res.status_code == 404:
        message = f"no such endpoint: {bottle.request.method} {bottle.request.path}"
    elif res.status_code == 405:
        allowed = res.headers.get("Allow", "")
        message = f"method {bottle.request.method} is not allowed here (allowed: {allowed})"
    elif res.status_code >= 500:
        # The traceback goes to the log, never to the client.
        log.error("unhandled error: %r", res.exception, extra={"traceback": res.traceback})
        message = "internal error: the service logged the details"
    else:
        message = str(res.body or res.status_line)
    return json.dumps({"error": message})


def _access_log(service: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    def plugin(callback: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(callback)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            status = 500
            try:
                result = callback(*args, **kwargs)
                status = bottle.response.status_code
                return result
            except bottle.HTTPResponse as answer:
                status = answer.status_code
                raise
            finally:
                elapsed = time.perf_counter() - start
                route = bottle.request.route.rule
                REQUEST_SECONDS.labels(service, bottle.request.method, route, str(status)).observe(elapsed)
                log.info(
                    "request",
                    extra={
                        "method": bottle.request.method,
                        "path": bottle.request.path,
                        "client": bottle.request.remote_addr,
                        "status": status,
                        "ms": round(elapsed * 1000, 2),
                    },
                )

        return wrapper

    return plugin


def _openapi_document(service: str) -> dict[str, Any]:
    text = resources.files(f"services.{service}").joinpath("openapi.yaml").read_text()
    return yaml.safe_load(text)


def json_list(items: list[Any]) -> str:
    """A bare JSON array as the response (Bottle's autojson only serializes dicts)."""
    bottle.response.content_type = "application/json"
    return json.dumps(items)


def make_app(service: str, health_checks: dict[str, HealthCheck]) -> bottle.Bottle:
    """A Bottle app with the shared behaviour above. `health_checks` maps a dependency's name to a
    function that raises if that dependency does not answer."""
    app = bottle.Bottle(catchall=True, autojson=True)
    app.default_error_handler = _json_error  # type: ignore[method-assign]
    app.install(_access_log(service))

    def health() -> str:
        failed = {}
        for name, check in health_checks.items():
            try:
                check()
            except Exception as exc:
                failed[name] = f"{type(exc).__name__}: {exc}"[:300]
        if failed:
            raise Unhealthy(f"unhealthy: {', '.join(failed)} not answering", failed=failed)
        bottle.response.content_type = "text/plain"
        return "OK"

    def metrics() -> bytes:
        bottle.response.content_type = prometheus_client.CONTENT_TYPE_LATEST
        return prometheus_client.generate_latest()

    openapi = _openapi_document(service)

    for prefix in ("", f"/api/{service}"):
        app.route(f"{prefix}/health", "GET", health)
        app.route(f"{prefix}/metrics", "GET", metrics)
    app.route(f"/api/{service}/openapi.json", "GET", lambda: openapi)
    return app
