"""`cloudkart storefront build`: the tree Nginx serves (contract 2), and nothing in it from the internet."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import xstatic.pkg.angular
from click.testing import CliRunner

from services.cli.app import _load_commands, cli
from services.storefront.build import SITE, BuildError, asset_version, build

EXTERNAL_URL = re.compile(rb"https?://|//[a-z0-9.-]+\.[a-z]{2,}/", re.IGNORECASE)


@pytest.fixture
def images(tmp_path: Path) -> Path:
    folder = tmp_path / "images"
    folder.mkdir()
    (folder / "linux-admin.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>')
    return folder


def _own_files(tree: Path) -> list[Path]:
    return [p for p in tree.rglob("*") if p.suffix in {".html", ".js", ".css"} and p.parent.name != "vendor"]


def test_tree_has_app_angular_and_images(tmp_path: Path, images: Path) -> None:
    out = build(tmp_path / "www", images)

    assert (out / "images" / "linux-admin.svg").read_text() == (images / "linux-admin.svg").read_text()
    angular = Path(xstatic.pkg.angular.BASE_DIR)
    for name in ("angular.js", "angular-route.js"):
        assert (out / "vendor" / name).read_bytes() == (angular / name).read_bytes()
    for name in ("js/app.js", "js/services.js", "js/controllers.js", "css/shop.css", "favicon.svg"):
        assert (out / name).stat().st_size > 0, name


def test_index_inlines_every_view_and_versions_assets(tmp_path: Path, images: Path) -> None:
    index = (build(tmp_path / "www", images) / "index.html").read_text()

    views = sorted(p.name for p in (SITE / "views").glob("*.html"))
    assert views, "the SPA has views"
    for name in views:
        assert f'<script type="text/ng-template" id="views/{name}">' in index
    assert "@VIEWS@" not in index and "@ASSET_VERSION@" not in index
    assert re.search(r'src="js/app\.js\?v=[0-9a-f]{12}"', index)


def test_no_file_of_ours_points_to_the_internet(tmp_path: Path, images: Path) -> None:
    out = build(tmp_path / "www", images)

    own = _own_files(out)
    assert len(own) >= 5
    offenders = {str(p.relative_to(out)): EXTERNAL_URL.findall(p.read_bytes()) for p in own}
    assert {k: v for k, v in offenders.items() if v} == {}
    # Every script and stylesheet the page loads is a path on the shop itself.
    index = (out / "index.html").read_text()
    loaded = re.findall(r'<(?:script|link)[^>]*(?:src|href)="([^"]+)"', index)
    assert loaded and all(not re.match(r"[a-z]+:|//", url) for url in loaded), loaded


def test_rebuild_replaces_the_tree_and_leaves_no_staging(tmp_path: Path, images: Path) -> None:
    out = build(tmp_path / "www", images)
    (out / "stale.txt").write_text("from an older build")

    build(out, images)

    assert not (out / "stale.txt").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["images", "www"]


def test_missing_images_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(BuildError, match="product images not found"):
        build(tmp_path / "www", tmp_path / "no-such-images")
    assert not (tmp_path / "www").exists()


def test_cli_builds_into_out(tmp_path: Path) -> None:
    _load_commands()
    result = CliRunner().invoke(cli, ["storefront", "build", "--out", str(tmp_path / "www")])

    assert result.exit_code == 0, result.output
    assert "files in" in result.output
    assert (tmp_path / "www" / "index.html").is_file()


def test_asset_version_follows_the_sources(tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(SITE, site)
    before = asset_version(site)
    assert asset_version(site) == before

    (site / "css" / "shop.css").write_text((site / "css" / "shop.css").read_text() + "\n.new { color: red; }\n")

    assert asset_version(site) != before
