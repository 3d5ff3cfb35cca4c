"""Each CloudKart HTTP service answers /health with OK (every dependency it needs answered)."""

from checks.catalog import check
from checks.probes import http_get


@check(
    "{prefix}-11",
    points=2,
    hint="{component} answers /health with an error or not at all: the body names the dependency that failed; "
    "check the URLs in /etc/cloudkart/{component}.env and that the data store's host lets {host} in",
)
def test_service_health_is_ok(host, web_service):
    url = f"http://{web_service.address}:{web_service.port}/health"
    status, body = http_get(host, url)
    assert (status, body.strip()) == (200, "OK"), f"GET {url} answered {status}: {body[:300]}"
