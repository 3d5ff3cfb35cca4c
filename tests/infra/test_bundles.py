"""Solution mode on AWS: the per-host bundle tarballs Terraform uploads to the private bucket."""

from __future__ import annotations

import json
import stat
import tarfile

from services.deploy import layout as layouts
from services.infra.bundles import make_bundles


def test_one_private_tarball_per_host_with_the_bundle_at_its_root(tmp_path):
    out = tmp_path / "bundles"
    tarballs = make_bundles("cloudkart-12", "203.0.113.7/32", out, secrets_dir=tmp_path / "secrets")
    assert sorted(t.name for t in tarballs) == sorted(f"{h.name}.tar.gz" for h in layouts.load("cloudkart-12").hosts)
    assert stat.S_IMODE(out.stat().st_mode) == 0o700
    assert all(stat.S_IMODE(t.stat().st_mode) == 0o600 for t in tarballs)
    with tarfile.open(out / "cart.tar.gz") as tar:
        members = {m.name.removeprefix("./"): m for m in tar.getmembers()}
        host = json.load(tar.extractfile(members["host.json"]))
        assert host["host"] == "cart"
        # Passwords stay 0600 after the host extracts the archive (tar keeps modes).
        assert members["env/cart.env"].mode & 0o077 == 0
        assert "203.0.113.7/32" in tar.extractfile(members["firewall/cloudkart.nft"]).read().decode()
