"""Golden files: the exact output of representative templates, so any change to them is seen in review.

After an intended template change, refresh them and review the diff:
    CLOUDKART_UPDATE_GOLDEN=1 .venv/bin/pytest tests/deploy/test_golden.py && git diff tests/deploy/golden
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("CLOUDKART_UPDATE_GOLDEN") == "1"

REPRESENTATIVE = [
    "cloudkart-12/frontend/nginx/cloudkart.conf",
    "cloudkart-12/cart/systemd/cart.service",
    "cloudkart-12/cart/env/cart.env",
    "cloudkart-12/user-db/systemd/mongod.service",
    "cloudkart-12/user-db/firewall/cloudkart.nft",
    "cloudkart-12/user-db/mongodb/mongod.conf",
    "cloudkart-12/shipping-db/mysql/cloudkart.cnf",
    "cloudkart-12/shipping-db/mysql/users.sql",
    "cloudkart-12/rabbitmq/rabbitmq/rabbitmq.conf",
    "cloudkart-12/rabbitmq/firewall/cloudkart.nft",
    "all-in-one/local/redis/cloudkart.conf",
    "all-in-one/local/systemd/user.service",
]


@pytest.mark.parametrize("rel", REPRESENTATIVE)
def test_rendered_file_matches_its_golden_copy(bundles: dict[str, Path], rel: str):
    layout, rest = rel.split("/", 1)
    rendered = (bundles[layout] / rest).read_text()
    golden = GOLDEN / rel.replace("/", "__")
    if UPDATE:
        golden.write_text(rendered)
    assert golden.exists(), f"no golden copy yet: run with CLOUDKART_UPDATE_GOLDEN=1 ({golden})"
    assert rendered == golden.read_text(), f"{rel} changed; if intended, refresh the golden files (see module doc)"
