"""The built site: strict build, offline (no asset from another host), generated parts present, no secrets."""

from __future__ import annotations

import json
import re
from pathlib import Path

from services.deploy import layout as layouts

REPO = Path(__file__).resolve().parents[2]
# What a browser would fetch by itself: scripts, images, styles, fonts, frames. Plain links are fine.
ASSET = re.compile(r"""<(?:script|img|iframe|source|embed)\b[^>]*\bsrc=["'](https?:)?//""", re.IGNORECASE)
STYLESHEET = re.compile(r"""<link\b[^>]*\bhref=["'](?:https?:)?//[^"']+["'][^>]*>""", re.IGNORECASE)
TAG = re.compile(r"<[^>]+>")
CSS_URL = re.compile(r"""url\(\s*["']?(?:https?:)?//""", re.IGNORECASE)


def test_no_page_loads_anything_from_another_host(built_site: Path) -> None:
    offenders = []
    for page in built_site.rglob("*.html"):
        text = page.read_text()
        offenders += [f"{page.name}: {m.group(0)[:120]}" for m in ASSET.finditer(text)]
        # <link rel="canonical"/"alternate"> are not fetched; stylesheets, icons and preloads are.
        offenders += [
            f"{page.name}: {m.group(0)[:120]}"
            for m in STYLESHEET.finditer(text)
            if re.search(r"rel=[\"'](?:stylesheet|preload|icon|modulepreload)", m.group(0))
        ]
    for css in built_site.rglob("*.css"):
        offenders += [f"{css.name}: {m.group(0)}" for m in CSS_URL.finditer(css.read_text())]
    # The theme's bundle fetches mermaid.js from a CDN as soon as a page has a mermaid block: none may.
    offenders += [p.name for p in built_site.rglob("*.html") if 'class="mermaid"' in p.read_text()]
    assert offenders == []


def test_architecture_diagram_is_drawn_from_the_layout(built_site: Path) -> None:
    svg = (built_site / "images" / "architecture.svg").read_text()
    layout = layouts.load("cloudkart-12")
    for host in layout.hosts:
        assert f">{host.name}</text>" in svg
        assert host.address in svg
    allowed = sum(
        1 for role in layout.roles.values() for listen in role.listens for source in listen.sources if source != "admin"
    )
    assert svg.count('fill="none" stroke=') == allowed  # one arrow per `from:` entry
    assert "images/architecture.svg" in (built_site / "index.html").read_text()


def test_every_openapi_document_has_a_reference_page(built_site: Path) -> None:
    for spec in sorted(REPO.glob("services/*/openapi.yaml")):
        page = built_site / "reference" / "api" / spec.parent.name / "index.html"
        assert page.exists(), spec
        assert f"/api/{spec.parent.name}/" in page.read_text()


def test_each_lab_page_names_its_checks_and_how_to_run_only_them(built_site: Path) -> None:
    from checks.listing import all_checks

    by_lab: dict[int, list[str]] = {}
    for check in all_checks():
        by_lab.setdefault(check.lab, []).append(check.id)
    for page in sorted((built_site / "labs").glob("[0-9][0-9]-*/index.html")):
        lab = int(page.parent.name[:2])
        text = TAG.sub("", page.read_text())  # code highlighting splits commands into spans
        for check_id in by_lab.get(lab, []):
            assert check_id in text, f"{page.parent.name} does not name {check_id}"
        if lab in by_lab:
            assert f"--labs {lab:02d}" in text


def test_no_password_reaches_the_site(built_site: Path) -> None:
    secrets_dir = REPO / "var" / "secrets"
    known = (
        [value for path in secrets_dir.glob("*.json") for value in json.loads(path.read_text()).values()]
        if secrets_dir.exists()
        else []
    )
    text = "".join(TAG.sub("", p.read_text()) for p in built_site.rglob("*.html"))
    assert "&lt;secret:redis_cart-redis&gt;" in text  # the placeholder is what the labs show
    assert not [value for value in known if value in text]
    # A generated password is 32 URL-safe characters: none may follow requirepass or sit in a URL.
    assert not re.search(r"requirepass [A-Za-z0-9_-]{20,}|://:[A-Za-z0-9_-]{20,}@", text)


def test_a_broken_include_fails_the_strict_build(tmp_path: Path) -> None:
    """The build is the drift alarm: an include of a missing file must stop it, not render a gap."""
    import shutil
    import subprocess
    import sys

    shutil.copytree(REPO / "docs", tmp_path / "docs")
    (tmp_path / "docs" / "labs" / "01-frontend.md").write_text('```bash\n--8<-- "labs/roles/no-such-role.sh:x"\n```\n')
    config = (REPO / "mkdocs.yml").read_text().replace("docs_dir: docs", f"docs_dir: {tmp_path / 'docs'}")
    config = config.replace("- docs/hooks/build.py", f"- {REPO / 'docs' / 'hooks' / 'build.py'}")
    (tmp_path / "mkdocs.yml").write_text(config)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "--strict",
            "-f",
            str(tmp_path / "mkdocs.yml"),
            "-d",
            str(tmp_path / "s"),
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert result.returncode != 0
    assert "no-such-role.sh" in result.stderr
