"""mkdocs hooks: everything the pages show that comes from the code is made here, on every build.

- the architecture diagram (SVG) from layout.yml,
- every host's rendered configs and lib.sh's functions, for the labs' snippet includes,
- the API reference pages from services/*/openapi.yaml,
- each lab's "Check your work" block from checks/, and the cost tables from the layout's sizes.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
# mkdocs loads this file by path; the repository root makes `docs.hooks`, `checks` and `services` importable.
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from mkdocs.structure.files import File, Files  # noqa: E402

from docs.hooks import apiref, checks_table, costs, generated  # noqa: E402
from services.deploy import layout as layouts  # noqa: E402

API_DIR = "reference/api"
SNIPPETS = "pymdownx.snippets"
# The generated snippets of this build: a private folder, so two builds (a test and `docs serve`) never
# share or delete each other's files.
_generated: list[Path] = []


def on_config(config):
    folder = Path(tempfile.mkdtemp(prefix="cloudkart-docs-"))
    _generated.append(folder)
    generated.write_rendered(folder)
    generated.write_lib_functions(REPO / "labs" / "roles" / "lib.sh", folder)
    snippets = config["mdx_configs"].setdefault(SNIPPETS, {})
    snippets["base_path"] = [*snippets.get("base_path", ["."]), str(folder)]
    return config


def on_post_build(config) -> None:
    # Every page is written by now (also after each rebuild of `docs serve`): the snippets are no longer needed.
    while _generated:
        shutil.rmtree(_generated.pop(), ignore_errors=True)


def on_build_error(error) -> None:
    on_post_build(None)


def on_files(files: Files, config) -> Files:
    from docs.hooks.diagram import architecture_svg

    svg = architecture_svg(layouts.load(generated.DOCS_LAYOUT))
    files.append(File.generated(config, "images/architecture.svg", content=svg))
    for service, document in apiref.service_documents(REPO / "services").items():
        files.append(File.generated(config, f"{API_DIR}/{service}.md", content=apiref.service_page(service, document)))
    return files


def on_page_markdown(markdown: str, page, config, files) -> str:
    if "<!-- costs -->" in markdown or "<!-- laptop -->" in markdown:
        layout = layouts.load(generated.DOCS_LAYOUT)
        assumed = (
            f"*Prices assumed on {costs.PRICES_DATE}, region {costs.REGION}, on-demand, computed from the "
            "instance types in layout.yml when this site was built.*\n\n"
        )
        markdown = markdown.replace("<!-- costs -->", assumed + costs.costs_table(layout))
        markdown = markdown.replace("<!-- laptop -->", costs.laptop_table(layout))
    return checks_table.expand(markdown)
