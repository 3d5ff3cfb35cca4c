"""mkdocs hooks: everything the pages show that comes from the code is made here, on every build.

- the architecture diagram (SVG) from layout.yml,
- every host's rendered configs and lib.sh's functions, for the labs' snippet includes,
- the API reference pages from services/*/openapi.yaml,
- each lab's "Check your work" block from checks/, and the cost tables from the layout's sizes.
"""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
# mkdocs loads this file by path; the repository root makes `docs.hooks`, `checks` and `services` importable.
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from mkdocs.structure.files import File, Files  # noqa: E402

from docs.hooks import apiref, checks_table, costs, generated  # noqa: E402
from services.deploy import layout as layouts  # noqa: E402

# Where generated snippets go; mkdocs.yml lists it in pymdownx.snippets' base_path.
GENERATED = REPO / "var" / "docs-build"
API_DIR = "reference/api"


def on_config(config):
    GENERATED.mkdir(parents=True, exist_ok=True)
    generated.write_rendered(GENERATED)
    generated.write_lib_functions(REPO / "labs" / "roles" / "lib.sh", GENERATED)
    return config


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
