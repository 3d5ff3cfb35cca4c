"""The catalogue serves the seeded products (read through the service, so no database password is needed)."""

import json

from checks.catalog import check
from checks.labs import COMPONENT_LAB
from checks.probes import http_get

ROLE = "catalogue"
LAB = COMPONENT_LAB["catalogue"]
PORT = 8082
KNOWN_SKU = "Linux"
SEED_HINT = (
    "the catalogue has no products: run `cloudkart seed` on the catalogue host "
    "(it reads MONGO_URL from /etc/cloudkart/catalogue.env)"
)


def get_ok(host, plan, path: str) -> str:
    """The body of GET `path` on the catalogue, which must answer 200."""
    url = f"http://{plan.host.address}:{PORT}{path}"
    status, body = http_get(host, url)
    assert status == 200, f"GET {url} answered {status}: {body[:300]}"
    return body


@check("CAT-12", points=2, lab=LAB, hint=SEED_HINT)
def test_products_seeded(host, plan):
    assert json.loads(get_ok(host, plan, "/api/catalogue/products")), "GET /api/catalogue/products returned no products"


@check("CAT-13", points=1, lab=LAB, hint=f"product {KNOWN_SKU!r} is missing from the catalogue: run `cloudkart seed`")
def test_known_product_found(host, plan):
    get_ok(host, plan, f"/api/catalogue/product/{KNOWN_SKU}")
