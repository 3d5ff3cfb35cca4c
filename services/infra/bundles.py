"""Solution mode on AWS: each host's rendered configs as `<host>.tar.gz` for the private bundle bucket.

The tarballs hold passwords, so they are 0600 and live under var/ (ignored by git); Terraform
uploads them to S3 and each instance may read only its own (terraform/envs/aws/bundles.tf).
"""

from __future__ import annotations

import dataclasses
import os
import tarfile
from pathlib import Path

from services.deploy import layout as layouts
from services.deploy.render import RenderOptions, render_layout


def make_bundles(layout_name: str, admin_cidr: str, out: Path, secrets_dir: Path | None = None) -> list[Path]:
    """Render every host of the layout into OUT/render/<host>/ and pack OUT/<host>.tar.gz; returns the tarballs."""
    layout = layouts.load(layout_name)
    out.mkdir(parents=True, exist_ok=True)
    os.chmod(out, 0o700)
    tarballs = []
    options = RenderOptions(admin_cidr=admin_cidr)
    if secrets_dir:
        options = dataclasses.replace(options, secrets_dir=secrets_dir)
    for folder in render_layout(layout, out / "render", options):
        tarball = out / f"{folder.name}.tar.gz"
        fd = os.open(tarball, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as tar:
            # Root of the archive is the bundle itself: the host extracts into /opt/cloudkart/bundle.
            tar.add(folder, arcname=".")
        tarballs.append(tarball)
    return tarballs
