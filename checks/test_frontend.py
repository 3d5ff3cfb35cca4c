"""The frontend host: Nginx's CloudKart site, the storefront files, and what Nginx must not expose."""

from checks.catalog import check
from checks.components import NGINX_CONF, STOREFRONT_INDEX
from checks.labs import COMPONENT_LAB
from checks.probes import http_get

ROLE = "frontend"
LAB = COMPONENT_LAB["nginx"]


@check(
    "WEB-11",
    points=1,
    lab=LAB,
    hint=f"Nginx has no CloudKart site: install the rendered nginx/cloudkart.conf as {NGINX_CONF} (owner root), "
    "then `nginx -t && systemctl reload nginx`",
)
def test_nginx_site_config_installed(host):
    conf = host.file(NGINX_CONF)
    assert conf.is_file, f"{conf.path} does not exist"
    assert conf.user == "root", f"{conf.path} is owned by {conf.user}, expected root"


@check(
    "WEB-12",
    points=1,
    lab=LAB,
    hint="`nginx -t` reports an error: read its message, fix the line it names, then reload Nginx",
)
def test_nginx_config_is_valid(host):
    result = host.run("nginx -t")
    assert result.rc == 0, f"nginx -t failed: {result.stderr.strip()}"


@check(
    "WEB-13",
    points=1,
    lab=LAB,
    hint="the storefront is not in /opt/cloudkart/www: build it with `cloudkart storefront build --out "
    "/opt/cloudkart/www`",
)
def test_storefront_installed(host):
    assert host.file(STOREFRONT_INDEX).is_file, f"{STOREFRONT_INDEX} does not exist"


@check(
    "WEB-14",
    points=2,
    lab=LAB,
    hint="Nginx forwards /api/catalogue/reserve, an internal endpoint only the order processor may call: "
    "answer it with 404 in the Nginx site before the /api/catalogue/ location",
)
def test_internal_reserve_endpoint_not_exposed(host, plan):
    url = f"http://{plan.host.address}:{plan.layout.http_port}/api/catalogue/reserve"
    status, body = http_get(host, url)
    assert status == 404, f"GET {url} answered {status}: {body[:200]}"
