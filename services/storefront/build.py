"""Assembles the tree Nginx serves (contract 2): the SPA, Angular from the xstatic package, product images.

The views are inlined into index.html as Angular templates, and app files get a content version in
their URL, so Nginx can cache assets for a long time and a new build is still picked up at once.
"""

from __future__ import annotations

import hashlib
import html
import shutil
import tempfile
from pathlib import Path

from services.common.failures import ExpectedFailure

SITE = Path(__file__).resolve().parent / "site"
CATALOGUE_IMAGES = Path(__file__).resolve().parents[1] / "catalogue" / "images"
VENDOR_FILES = ("angular.js", "angular-route.js")
COPIED_DIRS = ("css", "js")


class BuildError(ExpectedFailure):
    """The tree cannot be built (a missing input); the message says which."""


def asset_version(site: Path = SITE) -> str:
    """A short hash of every source file and of Angular itself, so any change gives new asset URLs."""
    digest = hashlib.sha256()
    sources = sorted(p for p in site.rglob("*") if p.is_file())
    for path in [*sources, *(_angular_dir() / name for name in VENDOR_FILES)]:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def _inline_views(site: Path) -> str:
    tags = []
    for view in sorted((site / "views").glob("*.html")):
        template_id = html.escape(f"views/{view.name}", quote=True)
        tags.append(f'<script type="text/ng-template" id="{template_id}">\n{view.read_text()}</script>')
    return "\n".join(tags)


def _index_html(site: Path) -> str:
    page = (site / "index.html").read_text()
    return page.replace("@VIEWS@", _inline_views(site)).replace("@ASSET_VERSION@", asset_version(site))


def _angular_dir() -> Path:
    import xstatic.pkg.angular

    return Path(xstatic.pkg.angular.BASE_DIR)


def _assemble(into: Path, images: Path) -> None:
    (into / "index.html").write_text(_index_html(SITE))
    shutil.copy2(SITE / "favicon.svg", into / "favicon.svg")
    for name in COPIED_DIRS:
        shutil.copytree(SITE / name, into / name)
    (into / "vendor").mkdir()
    for name in VENDOR_FILES:
        shutil.copy2(_angular_dir() / name, into / "vendor" / name)
    shutil.copytree(images, into / "images")


def build(out: Path, images: Path = CATALOGUE_IMAGES) -> Path:
    """Writes the servable tree to `out`, replacing what was there only once the new tree is complete
    (Nginx may be serving `out` while we build)."""
    if not images.is_dir():
        raise BuildError(f"product images not found in {images} (the catalogue's images/ folder)")
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.parent))
    try:
        _assemble(staging, images)
        staging.chmod(0o755)
        if out.exists():
            retired = Path(tempfile.mkdtemp(prefix=f".{out.name}-old-", dir=out.parent))
            out.rename(retired / out.name)
            staging.rename(out)
            shutil.rmtree(retired)
        else:
            staging.rename(out)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return out
