"""Small static SVG charts for the printed report (no JavaScript): the areas' values against
the city's value as bars, and the city's value over the years as a line. Each chart is an
image with an accessible name; the report prints the numbers as a table beside it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from xml.sax.saxutils import escape

INK, BAR, CITY, GRID = "#1b1b1b", "#5b7fb9", "#b3261e", "#b8b8b8"
WIDTH = 640
QUOTE = {'"': "&quot;"}
LABELLED_BARS = 40  # up to this many areas the bars are horizontal and named


def _open(width: int, height: int, label: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="{escape(label, QUOTE)}">'
        f"<title>{escape(label)}</title>"
        f'<g font-family="DejaVu Sans, sans-serif" font-size="11" fill="{INK}">'
    )


def _domain(values: Sequence[float]) -> tuple[float, float]:
    low, high = min(0.0, *values), max(0.0, *values)
    return (low, high) if high > low else (low, low + 1.0)


def bar_chart(
    bars: Sequence[tuple[str, float]],
    city: float | None,
    label: str,
    fmt: Callable[[float], str],
    city_label: str,
) -> str:
    """Bars of the areas' values, largest first, with the city's value as a line. Up to
    LABELLED_BARS areas: horizontal bars with names and values; more: thin unnamed columns."""
    if not bars:
        return ""
    ordered = sorted(bars, key=lambda b: -b[1])
    low, high = _domain([v for _n, v in ordered] + ([city] if city is not None else []))
    if len(ordered) <= LABELLED_BARS:
        return _horizontal(ordered, city, label, fmt, city_label, low, high)
    return _columns(ordered, city, label, fmt, city_label, low, high)


def _horizontal(ordered, city, label, fmt, city_label, low, high) -> str:
    row, top, left, right = 14, 18, 190, 70
    height = top + row * len(ordered) + 6
    span = WIDTH - left - right

    def x(value: float) -> float:
        return left + (value - low) / (high - low) * span

    out = [_open(WIDTH, height, label)]
    for i, (name, value) in enumerate(ordered):
        y = top + i * row
        x0, x1 = sorted((x(0.0), x(value)))
        short = name if len(name) <= 30 else name[:29] + "…"
        out.append(
            f'<text x="{left - 6}" y="{y + 10}" text-anchor="end">{escape(short)}</text>'
            f'<rect x="{x0:.1f}" y="{y + 2}" width="{max(x1 - x0, 0.5):.1f}" height="{row - 4}" '
            f'fill="{BAR}"/><text x="{max(x1, x(0.0)) + 4:.1f}" y="{y + 10}">'
            f"{escape(fmt(value))}</text>"
        )
    if city is not None:
        cx = x(city)
        out.append(
            f'<line x1="{cx:.1f}" y1="{top - 4}" x2="{cx:.1f}" y2="{height - 4}" stroke="{CITY}" '
            f'stroke-width="1.5" stroke-dasharray="4 3"/><text x="{cx:.1f}" y="{top - 7}" '
            f'text-anchor="middle" fill="{CITY}">{escape(city_label)}: {escape(fmt(city))}</text>'
        )
    out.append("</g></svg>")
    return "".join(out)


def _columns(ordered, city, label, fmt, city_label, low, high) -> str:
    height, top, bottom, left = 170, 20, 10, 40
    span_y = height - top - bottom
    step = (WIDTH - left - 10) / len(ordered)

    def y(value: float) -> float:
        return top + (high - value) / (high - low) * span_y

    out = [_open(WIDTH, height, label)]
    out.append(
        f'<text x="{left - 4}" y="{top + 4}" text-anchor="end">{escape(fmt(high))}</text>'
        f'<text x="{left - 4}" y="{height - bottom}" text-anchor="end">{escape(fmt(low))}</text>'
        f'<path fill="{BAR}" d="'
    )
    parts = []
    for i, (_name, value) in enumerate(ordered):
        y0, y1 = sorted((y(0.0), y(value)))
        parts.append(
            f"M{left + i * step:.1f} {y0:.1f}h{max(step * 0.8, 0.4):.1f}v{max(y1 - y0, 0.5):.1f}"
            f"h{-max(step * 0.8, 0.4):.1f}z"
        )
    out.append("".join(parts) + '"/>')
    if city is not None:
        cy = y(city)
        out.append(
            f'<line x1="{left}" y1="{cy:.1f}" x2="{WIDTH - 10}" y2="{cy:.1f}" stroke="{CITY}" '
            f'stroke-width="1.5" stroke-dasharray="4 3"/><text x="{WIDTH - 10}" '
            f'y="{cy - 4:.1f}" text-anchor="end" fill="{CITY}">'
            f"{escape(city_label)}: {escape(fmt(city))}</text>"
        )
    out.append("</g></svg>")
    return "".join(out)


def line_chart(
    points: Sequence[tuple[int, float | None]], label: str, fmt: Callable[[float], str]
) -> str:
    """The city's value over the years: a line with each value written at its point, on an
    axis from zero; gaps where a year has no value. Empty when fewer than two years have a
    value."""
    present = [(year, v) for year, v in points if v is not None]
    if len(present) < 2:
        return ""
    height, top, bottom, side = 150, 22, 24, 40
    years = [year for year, _v in points]
    # from zero (or the lowest negative value): small changes are not blown up
    low, high = _domain([v for _y, v in present])
    high += (high - low) * 0.1
    step = (WIDTH - 2 * side) / max(len(years) - 1, 1)

    def position(i: int, value: float) -> tuple[float, float]:
        return side + i * step, top + (high - value) / (high - low) * (height - top - bottom)

    out = [_open(WIDTH, height, label)]
    segments, current = [], []
    for i, (year, value) in enumerate(points):
        out.append(
            f'<text x="{side + i * step:.1f}" y="{height - 6}" text-anchor="middle">{year}</text>'
        )
        if value is None:
            segments.append(current)
            current = []
            continue
        px, py = position(i, value)
        current.append(f"{px:.1f},{py:.1f}")
        out.append(
            f'<circle cx="{px:.1f}" cy="{py:.1f}" r="3" fill="{BAR}"/><text x="{px:.1f}" '
            f'y="{py - 7:.1f}" text-anchor="middle">{escape(fmt(value))}</text>'
        )
    segments.append(current)
    for segment in segments:
        if len(segment) > 1:
            out.append(
                f'<polyline points="{" ".join(segment)}" fill="none" stroke="{BAR}" '
                'stroke-width="2"/>'
            )
    out.append(
        f'<line x1="{side - 10}" y1="{height - bottom + 4}" x2="{WIDTH - side + 10}" '
        f'y2="{height - bottom + 4}" stroke="{GRID}"/></g></svg>'
    )
    return "".join(out)
