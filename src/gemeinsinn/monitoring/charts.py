"""Small inline SVG charts (no JavaScript): the trend sparkline of the district profile."""

from xml.sax.saxutils import escape


def sparkline(points: list[tuple[int, float | None]], label: str, width=120, height=32) -> str:
    """A line over the years with a dot for the latest value; gaps where values are missing."""
    present = [(x, y) for x, y in points if y is not None]
    if len(present) < 2:
        return ""
    xs = [x for x, _ in points]
    ys = [y for _, y in present]
    x0, x1 = min(xs), max(xs)
    y0, y1 = min(ys), max(ys)
    span_y = (y1 - y0) or 1.0
    pad = 4

    def position(x, y):
        px = pad + (x - x0) / ((x1 - x0) or 1) * (width - 2 * pad)
        py = height - pad - (y - y0) / span_y * (height - 2 * pad)
        return f"{px:.1f},{py:.1f}"

    segments, current = [], []
    for x, y in points:
        if y is None:
            if current:
                segments.append(current)
            current = []
        else:
            current.append(position(x, y))
    if current:
        segments.append(current)
    lines = "".join(
        f'<polyline points="{" ".join(seg)}" fill="none" stroke="#0b3d91" stroke-width="2"/>'
        for seg in segments
        if len(seg) > 1
    )
    last = position(*present[-1]).split(",")
    return (
        f'<svg class="sparkline" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label="{escape(label)}">{lines}'
        f'<circle cx="{last[0]}" cy="{last[1]}" r="3" fill="#0b3d91"/></svg>'
    )
