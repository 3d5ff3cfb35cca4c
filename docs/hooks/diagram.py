"""The architecture diagram of a layout as a self-contained SVG, drawn from layout.yml at build time.

Material's mermaid support loads mermaid.js from a CDN when the page is viewed, and the course must
work offline, so the diagram is plain SVG: one box per host (name, address, size, ports), one arrow
per `from:` entry of layout.yml (client role -> the port it may open).
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from services.deploy.layout import Layout

DATA_STORES = {"mongodb", "redis", "mysql", "rabbitmq"}
BOX_W, BOX_H, ROW_GAP, TOP = 260, 62, 22, 60
COLUMN_X = {"internet": 10, "edge": 220, "service": 560, "data": 930}
WIDTH = COLUMN_X["data"] + BOX_W + 20
COLOURS = {"edge": "#3f51b5", "service": "#00897b", "data": "#ef6c00", "internet": "#616161"}
COLUMN_TITLES = {"edge": "public", "service": "services", "data": "data stores"}


@dataclass(frozen=True)
class Box:
    host: str
    column: str
    x: int
    y: int
    label: str
    detail: str
    width: int = BOX_W


def _column(layout: Layout, roles: tuple[str, ...]) -> str:
    role = layout.roles[roles[0]]
    if role.public:
        return "edge"
    return "data" if set(role.runs) & DATA_STORES else "service"


def _boxes(layout: Layout) -> dict[str, Box]:
    rows: dict[str, int] = {}
    boxes: dict[str, Box] = {}
    for host in layout.hosts_in_build_order():
        column = _column(layout, host.roles)
        row = rows.get(column, 0)
        rows[column] = row + 1
        ports = sorted({listen.port for role in host.roles for listen in layout.roles[role].listens})
        detail = f"{host.address} · {host.size.name}" + (f" · :{', :'.join(map(str, ports))}" if ports else "")
        y = TOP + row * (BOX_H + ROW_GAP)
        boxes[host.name] = Box(host.name, column, COLUMN_X[column], y, host.name, detail)
    return boxes


def _edges(layout: Layout) -> list[tuple[str, str, int]]:
    """(client host or 'internet', server host, port) for every `from:` entry; admin access is left out."""
    edges = []
    for role_name, role in layout.roles.items():
        server = layout.host_of_role(role_name).name
        for listen in role.listens:
            for source in listen.sources:
                if source == "admin":
                    continue
                client = "internet" if source == "internet" else layout.host_of_role(source).name
                edges.append((client, server, listen.port))
    return edges


def _path(a: Box, b: Box) -> str:
    if a.column == b.column:
        # Same column (service to service): bulge out to the right so the arrow clears the boxes.
        x = a.x + a.width
        y1, y2 = a.y + BOX_H / 2, b.y + BOX_H / 2
        bulge = x + 40 + abs(y2 - y1) / 6
        return f"M{x},{y1} C{bulge},{y1} {bulge},{y2} {x},{y2}"
    left_to_right = a.x < b.x
    x1 = a.x + a.width if left_to_right else a.x
    x2 = b.x if left_to_right else b.x + b.width
    y1, y2 = a.y + BOX_H / 2, b.y + BOX_H / 2
    mid = (x1 + x2) / 2
    return f"M{x1},{y1} C{mid},{y1} {mid},{y2} {x2},{y2}"


def architecture_svg(layout: Layout) -> str:
    """The layout's hosts and who may connect to what, as an SVG document."""
    boxes = _boxes(layout)
    height = TOP + max(b.y for b in boxes.values()) + BOX_H
    boxes["internet"] = Box("internet", "internet", COLUMN_X["internet"], TOP, "browser", "the internet", 150)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-labelledby="ck-arch-title" font-family="sans-serif" class="ck-architecture">',
        f'<title id="ck-arch-title">{escape(layout.name)}: {len(layout.hosts)} hosts and their connections</title>',
        "<defs>",
    ]
    for kind, colour in COLOURS.items():
        parts.append(
            f'<marker id="ck-arrow-{kind}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
            f'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="{colour}"/></marker>'
        )
    parts.append("</defs>")
    for column, title in COLUMN_TITLES.items():
        parts.append(
            f'<text x="{COLUMN_X[column] + BOX_W / 2}" y="30" text-anchor="middle" font-size="15" '
            f'font-weight="bold" fill="{COLOURS[column]}">{title}</text>'
        )
    for client, server, port in _edges(layout):
        a, b = boxes[client], boxes[server]
        kind = b.column
        parts.append(
            f'<path d="{_path(a, b)}" fill="none" stroke="{COLOURS[kind]}" stroke-opacity="0.55" '
            f'stroke-width="1.6" marker-end="url(#ck-arrow-{kind})"><title>{escape(client)} → '
            f"{escape(server)}:{port}</title></path>"
        )
    for box in boxes.values():
        colour = COLOURS[box.column]
        parts.append(
            f'<g><rect x="{box.x}" y="{box.y}" width="{box.width}" height="{BOX_H}" rx="8" fill="white" '
            f'stroke="{colour}" stroke-width="2"/>'
            f'<text x="{box.x + 12}" y="{box.y + 25}" font-size="15" font-weight="bold" fill="{colour}">'
            f"{escape(box.label)}</text>"
            f'<text x="{box.x + 12}" y="{box.y + 47}" font-size="12" fill="#333">{escape(box.detail)}</text></g>'
        )
    parts.append("</svg>")
    return "\n".join(parts) + "\n"
