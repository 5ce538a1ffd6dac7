"""Small charts as inline SVG, drawn on the server (annual report PDF and its HTML preview).

No JavaScript, no library, no style attributes (CSP): only SVG presentation attributes. Each chart is an
``<svg role="img">`` with a ``<title>`` (its name) and a ``<desc>`` that spells out every number, so a screen reader
gets the figures; the pages that show a chart also show the same numbers in a table.

Label widths are estimated from the character count (Liberation Sans averages about 0.55 em per character); a label
that would not fit is shortened with "…" – the full text is in the table next to the chart.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from decimal import Decimal
from html import escape

from django.utils.safestring import SafeString, mark_safe

PRIMARY = "#1f5f6b"
TEXT = "#1b1b1b"
GRID = "#c9d3d4"
#: Colours of the segments of a stacked bar, in order (distinguishable in greyscale, too).
PALETTE = ("#1f5f6b", "#7fb3bd", "#c26a1b", "#f0c987", "#5b4a86", "#b7add6", "#6b7b2c", "#8a979a")
#: Colours of the traffic lights of goal reviews.
LIGHTS = {"gruen": "#2e7d32", "gelb": "#e0a800", "rot": "#c62828", "offen": "#9aa5a7"}

FONT = "Liberation Sans, Arial, sans-serif"
_ids = itertools.count(1)


def _number(value) -> str:
    """German number: 1.234 and 83,3."""
    if isinstance(value, float | Decimal) and value != int(value):
        return f"{value:,.1f}".replace(",", " ").replace(".", ",").replace(" ", ".")
    return f"{int(value):,}".replace(",", ".")


def _fit(label: str, max_chars: int) -> str:
    return label if len(label) <= max_chars else label[: max_chars - 1].rstrip() + "…"


def _open(title: str, width: float, height: float, desc: str, fluid: bool) -> tuple[list[str], str]:
    chart_id = f"chart-{next(_ids)}"
    # Fluid (web pages): as wide as its box, scaled with the viewBox; fixed (PDF): its own size in CSS pixels.
    size = 'width="100%"' if fluid else f'width="{width:.0f}" height="{height:.0f}"'
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" {size} '
        f'viewBox="0 0 {width:.0f} {height:.0f}" aria-labelledby="{chart_id}-t {chart_id}-d" '
        f'font-family="{FONT}" font-size="11" fill="{TEXT}">',
        f'<title id="{chart_id}-t">{escape(title)}</title>',
        f'<desc id="{chart_id}-d">{escape(desc)}</desc>',
    ]
    return parts, chart_id


def bar_chart(
    title: str,
    items: Sequence[tuple[str, float | int | None]],
    *,
    unit: str = "",
    max_value: float | None = None,
    width: int = 460,
    color: str = PRIMARY,
    label_max: int = 30,
    fluid: bool = False,
) -> SafeString:
    """Horizontal bars, one per (label, value); None is drawn as "–" (no value). ``unit`` follows each number.

    Labels longer than ``label_max`` characters are shortened with "…". ``fluid``: scale to the width of the box
    (web pages) instead of the fixed size (PDF).
    """
    if not items:
        return mark_safe("")
    suffix = f" {unit}" if unit else ""
    values = [v for _, v in items if v is not None]
    top = max_value if max_value is not None else max(values, default=0)
    top = top or 1
    label_chars = min(max(len(label) for label, _ in items), label_max)
    label_width = 12 + label_chars * 6.1
    value_width = 60
    bar_area = max(width - label_width - value_width, 80)
    row, bar = 20, 13
    height = len(items) * row + 6
    desc = "; ".join(f"{label}: {'keine Angabe' if v is None else _number(v) + suffix}" for label, v in items)
    parts, _ = _open(title, width, height, desc, fluid)
    x0 = label_width
    parts.append(f'<line x1="{x0:.1f}" y1="0" x2="{x0:.1f}" y2="{height - 3}" stroke="{GRID}" stroke-width="1"/>')
    for i, (label, value) in enumerate(items):
        y = 3 + i * row
        parts.append(
            f'<text x="{x0 - 6:.1f}" y="{y + bar - 2.5:.1f}" text-anchor="end">{escape(_fit(label, label_max))}</text>'
        )
        if value is None:
            parts.append(f'<text x="{x0 + 6:.1f}" y="{y + bar - 2.5:.1f}">–</text>')
            continue
        length = bar_area * min(float(value) / float(top), 1.0)
        if length > 0:
            parts.append(
                f'<rect x="{x0:.1f}" y="{y:.1f}" width="{length:.1f}" height="{bar}" fill="{color}" rx="1.5"/>'
            )
        parts.append(
            f'<text x="{x0 + length + 5:.1f}" y="{y + bar - 2.5:.1f}">{escape(_number(value) + suffix)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))


def stacked_bar(
    title: str,
    segments: Sequence[tuple[str, float | int]],
    *,
    colors: Sequence[str] | None = None,
    width: int = 460,
    fluid: bool = False,
) -> SafeString:
    """One horizontal bar split into (label, value) segments, with a legend below; zero segments are left out."""
    shown = [
        (label, value, (colors or PALETTE)[i % len(colors or PALETTE)]) for i, (label, value) in enumerate(segments)
    ]
    shown = [s for s in shown if s[1]]
    total = sum(value for _, value, _ in shown)
    if not total:
        return mark_safe("")
    bar_height = 22
    legend_row = 18
    per_row = 2 if width < 560 else 3
    legend_rows = (len(shown) + per_row - 1) // per_row
    height = bar_height + 10 + legend_rows * legend_row
    desc = "; ".join(f"{label}: {_number(value)}" for label, value, _ in shown) + f"; zusammen {_number(total)}"
    parts, _ = _open(title, width, height, desc, fluid)
    x = 0.0
    for label, value, color in shown:
        length = (width - 2) * value / total
        parts.append(
            f'<rect x="{x + 1:.1f}" y="1" width="{length:.1f}" height="{bar_height}" fill="{color}">'
            f"<title>{escape(label)}: {escape(_number(value))}</title></rect>"
        )
        if length > 22:
            text_fill = "#ffffff" if color in (PRIMARY, "#c26a1b", "#5b4a86", "#6b7b2c", "#2e7d32", "#c62828") else TEXT
            parts.append(
                f'<text x="{x + 1 + length / 2:.1f}" y="{bar_height / 2 + 5:.1f}" text-anchor="middle" '
                f'fill="{text_fill}" font-weight="700">{escape(_number(value))}</text>'
            )
        x += length
    column = width / per_row
    for i, (label, value, color) in enumerate(shown):
        lx = (i % per_row) * column
        ly = bar_height + 10 + (i // per_row) * legend_row
        parts.append(f'<rect x="{lx + 1:.1f}" y="{ly:.1f}" width="11" height="11" fill="{color}"/>')
        chars = int((column - 22) / 6.1)
        parts.append(
            f'<text x="{lx + 17:.1f}" y="{ly + 9.5:.1f}">{escape(_fit(f"{label} ({_number(value)})", chars))}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))
