"""The rendered Nginx configs pass `nginx -t`, and a real Nginx running the local config routes as promised."""

from __future__ import annotations

import gzip
import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import bottle
import pytest
import requests

from services.localrun.nginx import write_config
from tests.conftest import free_port
from tests.deploy import nginx_runner
from tests.deploy.conftest import rendered_files
from tests.support.wsgi import serving

INDEX = "<!doctype html><title>CloudKart</title><div ng-app='cloudkart'></div>\n"
ANGULAR = "/* angular stand-in for the test tree */\n" + "var angular = {};\n" * 200


def test_every_rendered_host_nginx_config_passes_nginx_t(bundles: dict[str, Path]):
    sites = rendered_files(bundles, "*/nginx/cloudkart.conf")
    assert [p.parent.parent.name for p in sites] == ["local", "frontend"]
    for site in sites:
        prefix = nginx_runner.prefix_dir()
        try:
            result = nginx_runner.check(prefix, nginx_runner.wrap_site(prefix, site))
            assert result.returncode == 0, f"{site}:\n{result.stderr}"
        finally:
            shutil.rmtree(prefix)


def test_nginx_t_would_catch_a_broken_config(bundles: dict[str, Path]):
    prefix = nginx_runner.prefix_dir()
    try:
        site = prefix / "broken.conf"
        site.write_text(
            (bundles["cloudkart-12"] / "frontend/nginx/cloudkart.conf").read_text().replace("gzip on;", "gzip yes;")
        )
        result = nginx_runner.check(prefix, nginx_runner.wrap_site(prefix, site))
        assert result.returncode != 0 and "gzip" in result.stderr
    finally:
        shutil.rmtree(prefix)


def test_hosts_listen_on_the_layout_port_and_serve_the_host_storefront_tree(bundles: dict[str, Path]):
    twelve = (bundles["cloudkart-12"] / "frontend/nginx/cloudkart.conf").read_text()
    local = (bundles["all-in-one"] / "local/nginx/cloudkart.conf").read_text()
    assert "listen 80;" in twelve and "listen 8080;" in local
    assert "root /opt/cloudkart/www;" in twelve
    assert "server 172.31.19.139:8083;" in twelve  # the cart host, at the spec's port
    assert "server 127.0.0.1:8083;" in local


def _backend() -> bottle.Bottle:
    """Answers every /api/ request with what it received, so the test sees what Nginx forwarded."""
    app = bottle.Bottle()

    @app.route("/api/<rest:path>", method=["GET", "POST", "DELETE"])
    def echo(rest: str) -> dict:
        if rest == "user/down-store":
            bottle.response.status = 503
            return {"error": "redis (sessions) is unavailable"}
        request = bottle.request
        return {
            "path": request.fullpath + (f"?{request.query_string}" if request.query_string else ""),
            "forwarded_for": request.get_header("X-Forwarded-For"),
            "forwarded_proto": request.get_header("X-Forwarded-Proto"),
            "request_id": request.get_header("X-Request-Id"),
        }

    return app


class Shop:
    def __init__(self, url: str, prefix: Path) -> None:
        self.url = url
        self.prefix = prefix

    def get(self, path: str, **kwargs) -> requests.Response:
        return requests.get(self.url + path, timeout=5, **kwargs)

    def post(self, path: str, **kwargs) -> requests.Response:
        return requests.post(self.url + path, timeout=5, **kwargs)


@pytest.fixture(scope="module")
def shop() -> Iterator[Shop]:
    prefix = nginx_runner.prefix_dir()
    www = prefix / "www"
    (www / "vendor").mkdir(parents=True)
    (www / "images").mkdir()
    (www / "index.html").write_text(INDEX)
    (www / "vendor/angular.js").write_text(ANGULAR)
    (www / "images/linux.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    for path in [www, *www.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)

    # waitress drops X-Forwarded-* from untrusted proxies by default; this echo wants to see them.
    backend = serving(_backend(), threads=4, clear_untrusted_proxy_headers=False)
    try:
        with backend as backend_url:
            ports = dict.fromkeys(("user", "catalogue", "payment", "shipping"), urlsplit(backend_url).port)
            ports["cart"] = free_port()  # nothing listens there: the cart service is "down"
            http_port = free_port()
            config = write_config(prefix, http_port, www, ports)
            with nginx_runner.running(prefix, config, http_port):
                yield Shop(f"http://127.0.0.1:{http_port}", prefix)
    finally:
        shutil.rmtree(prefix)


def test_the_local_config_passes_nginx_t(shop: Shop):
    result = nginx_runner.check(shop.prefix, shop.prefix / "nginx.conf")
    assert result.returncode == 0, result.stderr


def test_index_is_served_never_cached_with_security_headers(shop: Shop):
    response = shop.get("/")
    assert response.status_code == 200 and response.text == INDEX
    assert response.headers["Cache-Control"] == "no-cache"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["Server"] == "nginx"  # server_tokens off: no version


def test_a_deep_link_gets_the_single_page_app(shop: Shop):
    response = shop.get("/product/linux")
    assert response.status_code == 200 and response.text == INDEX


def test_vendor_files_are_cached_long_and_gzipped(shop: Shop):
    response = shop.get("/vendor/angular.js", headers={"Accept-Encoding": "gzip"}, stream=True)
    assert response.headers["Cache-Control"] == "max-age=2592000"
    assert response.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(response.raw.read()).decode() == ANGULAR
    assert shop.get("/images/linux.svg").headers["Cache-Control"] == "max-age=604800"


def test_a_missing_asset_is_a_404_not_the_app(shop: Shop):
    assert shop.get("/vendor/missing.js").status_code == 404
    assert shop.get("/images/missing.svg").status_code == 404


def test_api_requests_reach_the_service_unrewritten_with_forwarding_headers(shop: Shop):
    seen = shop.get("/api/catalogue/products?category=linux").json()
    assert seen["path"] == "/api/catalogue/products?category=linux"
    assert seen["forwarded_for"] == "127.0.0.1" and seen["forwarded_proto"] == "http"
    assert len(seen["request_id"]) == 32  # made by Nginx when the caller sends none


def test_a_caller_request_id_is_kept_and_echoed(shop: Shop):
    response = shop.get("/api/shipping/codes", headers={"X-Request-Id": "trace-42"})
    assert response.json()["request_id"] == "trace-42"
    assert response.headers["X-Request-Id"] == "trace-42"


@pytest.mark.parametrize(
    "path",
    ["/api/catalogue/reserve", "/api/catalogue//reserve", "/api/catalogue/%72eserve", "/api/catalogue/./reserve"],
)
def test_the_internal_reserve_endpoint_is_not_exposed(shop: Shop, path: str):
    response = requests.post(shop.url + path, json={"orderid": "x", "items": []}, timeout=5)
    assert response.status_code == 404
    assert response.json() == {"error": "no such API route"}


def test_an_unknown_api_is_a_json_404(shop: Shop):
    response = shop.get("/api/inventory/items")
    assert response.status_code == 404 and "error" in response.json()


def test_a_service_that_is_down_is_a_json_503_naming_it(shop: Shop):
    response = shop.get("/api/cart/")
    assert response.status_code == 503
    assert response.json() == {"error": "cart service is unavailable"}


def test_a_service_own_503_passes_through_unchanged(shop: Shop):
    response = shop.get("/api/user/down-store")
    assert response.status_code == 503
    assert response.json() == {"error": "redis (sessions) is unavailable"}


def test_an_oversized_body_is_a_json_413(shop: Shop):
    response = shop.post("/api/cart/items", data=b"x" * 40_000, headers={"Content-Type": "application/json"})
    assert response.status_code == 413
    assert response.json() == {"error": "request body is too large"}


def test_login_and_register_share_a_rate_limit_with_a_json_429(shop: Shop):
    statuses = {"/api/user/login": [], "/api/user/register": []}
    for i in range(24):  # burst 10 at 5 per second: a fast loop of 24 must be limited on both routes
        path = "/api/user/login" if i % 2 else "/api/user/register"
        response = shop.post(path, json={"username": "a", "password": "b"})
        statuses[path].append(response.status_code)
        if response.status_code == 429:
            assert response.json() == {"error": "too many attempts, wait a few seconds and try again"}
    assert statuses["/api/user/register"][0] == 200
    assert all(429 in codes for codes in statuses.values()), statuses
    assert shop.get("/api/user/me").status_code == 200  # other user routes are not limited
