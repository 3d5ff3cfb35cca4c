"""Product tiles: one SVG per product, drawn from its seed entry (category colour, icon, monogram, title).

The tiles are committed under services/catalogue/images/ (the storefront copies them); a test keeps
them equal to what this module draws, so edit the seed or this module and run:
    python -m services.catalogue.artwork
"""

from __future__ import annotations

import colorsys
import hashlib
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from services.catalogue.seeding import load_seed

IMAGES = Path(__file__).parent / "images"
WIDTH, HEIGHT = 480, 360

# Each category's base hue (degrees) and its icon, drawn in a 96x96 box.
CATEGORY_HUES = {
    "Linux": 28,
    "Cloud": 205,
    "DevOps": 265,
    "Containers": 192,
    "Databases": 150,
    "Programming": 40,
    "Security": 350,
    "Networking": 225,
}
ICONS = {
    "Linux": '<rect x="6" y="14" width="84" height="68" rx="10" fill="none" stroke="#fff" stroke-width="6"/>'
    '<path d="M22 36 l16 12 l-16 12" fill="none" stroke="#fff" stroke-width="6" stroke-linecap="round" '
    'stroke-linejoin="round"/><path d="M46 62 h26" stroke="#fff" stroke-width="6" stroke-linecap="round"/>',
    "Cloud": '<path d="M26 74 a18 18 0 0 1 -2 -36 a26 26 0 0 1 50 -6 a20 20 0 0 1 -2 42 z" fill="none" '
    'stroke="#fff" stroke-width="6" stroke-linejoin="round"/>',
    "DevOps": '<path d="M48 48 c-10 -14 -20 -22 -30 -22 a22 22 0 0 0 0 44 c10 0 20 -8 30 -22 c10 -14 20 -22 30 -22 '
    'a22 22 0 0 1 0 44 c-10 0 -20 -8 -30 -22 z" fill="none" stroke="#fff" stroke-width="6"/>',
    "Containers": '<rect x="8" y="52" width="38" height="30" rx="3" fill="none" stroke="#fff" stroke-width="5"/>'
    '<rect x="50" y="52" width="38" height="30" rx="3" fill="none" stroke="#fff" stroke-width="5"/>'
    '<rect x="29" y="16" width="38" height="30" rx="3" fill="none" stroke="#fff" stroke-width="5"/>'
    '<path d="M18 60 v14 M27 60 v14 M36 60 v14 M60 60 v14 M69 60 v14 M78 60 v14 M39 24 v14 M48 24 v14 M57 24 v14" '
    'stroke="#fff" stroke-width="3"/>',
    "Databases": '<ellipse cx="48" cy="20" rx="34" ry="11" fill="none" stroke="#fff" stroke-width="6"/>'
    '<path d="M14 20 v56 a34 11 0 0 0 68 0 v-56 M14 48 a34 11 0 0 0 68 0" fill="none" stroke="#fff" '
    'stroke-width="6"/>',
    "Programming": '<path d="M32 22 l-24 26 l24 26 M64 22 l24 26 l-24 26 M54 14 l-12 68" fill="none" stroke="#fff" '
    'stroke-width="7" stroke-linecap="round" stroke-linejoin="round"/>',
    "Security": '<path d="M48 8 l34 12 v24 c0 22 -14 36 -34 44 c-20 -8 -34 -22 -34 -44 v-24 z" fill="none" '
    'stroke="#fff" stroke-width="6" stroke-linejoin="round"/><path d="M33 48 l10 10 l20 -20" fill="none" '
    'stroke="#fff" stroke-width="6" stroke-linecap="round" stroke-linejoin="round"/>',
    "Networking": '<circle cx="48" cy="18" r="10" fill="none" stroke="#fff" stroke-width="5"/>'
    '<circle cx="18" cy="76" r="10" fill="none" stroke="#fff" stroke-width="5"/>'
    '<circle cx="78" cy="76" r="10" fill="none" stroke="#fff" stroke-width="5"/>'
    '<path d="M43 27 l-20 40 M53 27 l20 40 M28 76 h40" stroke="#fff" stroke-width="5"/>',
}


def _colour(hue: float, saturation: float, lightness: float) -> str:
    r, g, b = colorsys.hls_to_rgb((hue % 360) / 360, lightness, saturation)
    return f"#{round(r * 255):02x}{round(g * 255):02x}{round(b * 255):02x}"


def _title_lines(title: str, width: int = 16) -> list[str]:
    lines: list[str] = []
    for word in title.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines[:2]


def tile(product: dict[str, Any]) -> str:
    """The SVG text of one product's tile."""
    category = product["categories"][0]
    # A small, stable hue shift per sku keeps tiles of one category related but never identical.
    shift = int(hashlib.sha256(product["sku"].encode()).hexdigest()[:4], 16) % 36 - 18
    hue = CATEGORY_HUES[category] + shift
    dark, light, accent = _colour(hue, 0.62, 0.30), _colour(hue + 18, 0.70, 0.45), _colour(hue - 25, 0.9, 0.72)
    monogram = escape(product["monogram"])
    lines = _title_lines(product["short"])
    title_y = HEIGHT - 40 - 44 * (len(lines) - 1)
    title = "".join(
        f'<text x="36" y="{title_y + 44 * i}" font-size="38" font-weight="700" fill="#fff">{escape(line)}</text>'
        for i, line in enumerate(lines)
    )
    label = escape(" · ".join(product["categories"]).upper())
    monogram_size = 96 if len(product["monogram"]) <= 2 else 72
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'role="img" aria-label="{escape(product["name"])}">'
        f"<title>{escape(product['name'])}</title>"
        f'<defs><linearGradient id="bg" x1="0" y1="0" x2="1" y2="1">'
        f'<stop offset="0" stop-color="{light}"/><stop offset="1" stop-color="{dark}"/></linearGradient></defs>'
        f'<rect width="{WIDTH}" height="{HEIGHT}" rx="24" fill="url(#bg)"/>'
        f'<circle cx="{WIDTH - 40}" cy="40" r="150" fill="#fff" opacity="0.07"/>'
        f'<circle cx="{WIDTH - 10}" cy="10" r="90" fill="#fff" opacity="0.07"/>'
        f"<g font-family=\"Inter, 'DejaVu Sans', 'Helvetica Neue', Arial, sans-serif\">"
        f'<circle cx="92" cy="92" r="60" fill="#000" opacity="0.16"/>'
        f'<g transform="translate(44 44)">{ICONS[category]}</g>'
        f'<text x="{WIDTH - 36}" y="140" text-anchor="end" font-size="{monogram_size}" font-weight="800" '
        f'fill="#fff" opacity="0.92">{monogram}</text>'
        f'<rect x="36" y="{title_y - 74}" width="56" height="6" rx="3" fill="{accent}"/>'
        f'<text x="36" y="{title_y - 44}" font-size="15" font-weight="600" letter-spacing="2" fill="#fff" '
        f'opacity="0.85">{label}</text>'
        f"{title}</g></svg>\n"
    )


def write_tiles(folder: Path = IMAGES) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for product in load_seed():
        path = folder / f"{product['sku']}.svg"
        path.write_text(tile(product))
        written.append(path)
    return written


if __name__ == "__main__":
    for path in write_tiles():
        print(path)
