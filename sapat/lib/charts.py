"""Charts drawn on the server as self-contained SVG, one source for every output.

The page shows the SVG inline, WeasyPrint draws the same SVG into the PDF, and DOCX gets a
PNG made from it (`svg_to_png`), so a chart looks the same wherever it appears. Everything
is styled with attributes (no CSS classes, no scripts, no external fonts or images).

    svg = trend_chart([("2022–2023", 81), ("2023–2024", 76)], target=80, warning=70)
    png = svg_to_png(svg)
"""

from decimal import Decimal
from html import escape

__all__ = ["STATUS_COLOURS", "bar_chart", "spark_chart", "svg_to_png", "trend_chart"]

FONT = "Liberation Serif, Times New Roman, serif"
INK = "#212529"
GRID = "#dee2e6"
LINE = "#0d6efd"
STATUS_COLOURS = {  # Bootstrap's success / warning / danger, readable in print
    "on_target": "#198754",
    "at_risk": "#e0a800",
    "off_target": "#dc3545",
    None: "#6c757d",
}


def _num(value) -> float | None:
    return None if value is None else float(Decimal(str(value)))


def _fmt(value: float) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _status(value, target, warning, direction):
    if value is None or target is None:
        return None
    better = (lambda a, b: a <= b) if direction == "lower" else (lambda a, b: a >= b)
    if better(value, target):
        return "on_target"
    if warning is not None and better(value, warning):
        return "at_risk"
    return "off_target"


def _nice_range(low: float, high: float) -> tuple[float, float, float]:
    """A y-range with round ticks covering low..high: (bottom, top, step)."""
    if high == low:
        low, high = (low - 1, high + 1) if low else (0, 1)
    span = high - low
    raw = span / 4
    magnitude = 10 ** int(f"{raw:e}".split("e")[1])
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    bottom = (low // step) * step
    top = -((-high) // step) * step
    return bottom, top, step


def _svg(width, height, title, body) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" font-family="{FONT}" font-size="11" fill="{INK}">'
        f"<title>{escape(title)}</title>{''.join(body)}</svg>"
    )


def trend_chart(
    points,
    *,
    target=None,
    warning=None,
    direction="higher",
    unit_label="",
    width=480,
    height=200,
    labels=None,
    title="",
    statuses=None,
) -> str:
    """A line chart of (label, value) points, oldest first; a value may be None (no value).

    Points are coloured by status against `target`/`warning` (or by `statuses`, one per
    point, when the caller knows them, e.g. targets that change from year to year); the
    target is a dashed line. `labels` overrides the x-axis labels (periods)."""
    points = list(points)
    xs = [str(label) for label, _ in points] if labels is None else [str(label) for label in labels]
    values = [_num(value) for _, value in points]
    target, warning = _num(target), _num(warning)
    known = [v for v in values if v is not None] + [v for v in (target, warning) if v is not None]
    left, right, top, bottom = 44, 30, 14, 34  # room on the right for the last label's half
    plot_w, plot_h = width - left - right, height - top - bottom
    summary = ", ".join(f"{x}: {_fmt(v) if v is not None else '—'}" for x, v in zip(xs, values, strict=False))
    body = []
    if not known:
        body.append(f'<text x="{width / 2}" y="{height / 2}" text-anchor="middle" fill="#6c757d">—</text>')
        return _svg(width, height, f"{title} {summary}".strip(), body)
    low, high, step = _nice_range(min(known), max(known))
    low = min(low, 0) if min(known) >= 0 and low < step * 2 else low

    def y_of(value):
        return top + plot_h - (value - low) / (high - low) * plot_h

    def x_of(index):
        return left + (plot_w / 2 if len(xs) == 1 else plot_w * index / (len(xs) - 1))

    tick = low
    while tick <= high + step / 1000:
        y = y_of(tick)
        body.append(f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" stroke="{GRID}"/>')
        body.append(f'<text x="{left - 4}" y="{y + 4:.1f}" text-anchor="end">{_fmt(tick)}</text>')
        tick += step
    if unit_label:
        body.append(f'<text x="4" y="{top - 3}" font-size="10">{escape(unit_label)}</text>')
    every = max(1, -(-len(xs) // max(1, plot_w // 56)))  # thin out labels that would overlap
    for index, label in enumerate(xs):
        if index % every == 0 or index == len(xs) - 1:
            body.append(
                f'<text x="{x_of(index):.1f}" y="{height - bottom + 16}" text-anchor="middle" '
                f'font-size="10">{escape(label)}</text>'
            )
    for value, colour in ((warning, STATUS_COLOURS["at_risk"]), (target, STATUS_COLOURS["on_target"])):
        if value is not None:
            y = y_of(value)
            body.append(
                f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" stroke="{colour}" '
                f'stroke-width="1.5" stroke-dasharray="6 4"/>'
            )
    line = [(x_of(i), y_of(v)) for i, v in enumerate(values) if v is not None]
    if len(line) > 1:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in line)
        body.append(f'<polyline points="{path}" fill="none" stroke="{LINE}" stroke-width="2"/>')
    for index, value in enumerate(values):
        if value is None:
            continue
        status = statuses[index] if statuses is not None else _status(value, target, warning, direction)
        x, y = x_of(index), y_of(value)
        body.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{STATUS_COLOURS.get(status, STATUS_COLOURS[None])}" '
            f'stroke="#fff" stroke-width="1"><title>{escape(xs[index])}: {_fmt(value)}</title></circle>'
        )
    body.append(f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" stroke="{INK}"/>')
    return _svg(width, height, f"{title} {summary}".strip(), body)


def bar_chart(bars, *, width=480, height=200, title="", unit_label="") -> str:
    """Vertical bars of (label, value[, status]) — e.g. how many indicators are on target,
    at risk or off target. A bar's colour follows its status (grey without one)."""
    bars = [tuple(bar) + (None,) * (3 - len(bar)) for bar in bars]
    values = [_num(value) or 0.0 for _, value, _ in bars]
    left, right, top, bottom = 44, 12, 14, 34
    plot_w, plot_h = width - left - right, height - top - bottom
    low, high, step = _nice_range(0, max(values + [0.0]) or 1)
    if step < 1 and all(v == int(v) for v in values):  # counts: whole-number ticks
        step, high = 1.0, float(max(1, -(-max(values + [1.0]) // 1)))
    body = []
    tick = low
    while tick <= high + step / 1000:
        y = top + plot_h - (tick - low) / (high - low) * plot_h
        body.append(f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" stroke="{GRID}"/>')
        body.append(f'<text x="{left - 4}" y="{y + 4:.1f}" text-anchor="end">{_fmt(tick)}</text>')
        tick += step
    if unit_label:
        body.append(f'<text x="4" y="{top - 3}" font-size="10">{escape(unit_label)}</text>')
    slot = plot_w / max(1, len(bars))
    for index, ((label, _, status), value) in enumerate(zip(bars, values, strict=True)):
        bar_h = (value - low) / (high - low) * plot_h
        x = left + slot * index + slot * 0.15
        body.append(
            f'<rect x="{x:.1f}" y="{top + plot_h - bar_h:.1f}" width="{slot * 0.7:.1f}" height="{bar_h:.1f}" '
            f'fill="{STATUS_COLOURS.get(status, STATUS_COLOURS[None])}"><title>{escape(str(label))}: '
            f"{_fmt(value)}</title></rect>"
        )
        body.append(
            f'<text x="{x + slot * 0.35:.1f}" y="{height - bottom + 16}" text-anchor="middle" '
            f'font-size="10">{escape(str(label))}</text>'
        )
    body.append(f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" stroke="{INK}"/>')
    summary = ", ".join(f"{label}: {_fmt(v)}" for (label, _, _), v in zip(bars, values, strict=True))
    return _svg(width, height, f"{title} {summary}".strip(), body)


def svg_to_png(svg: str, scale=2) -> bytes:
    """The chart as a PNG (for DOCX, which cannot embed SVG), `scale` times the SVG size."""
    import cairosvg  # imported here: only exports need cairo

    return cairosvg.svg2png(bytestring=svg.encode(), scale=scale)


def spark_chart(points, *, target=None, statuses=None, width=120, height=30, title="") -> str:
    """A small trend for a table cell: the line, its points coloured by status, the latest
    target dashed. Same drawing on the page and in the PDF."""
    points = list(points)
    values = [_num(value) for _, value in points]
    target = _num(target)
    known = [v for v in values if v is not None]
    summary = ", ".join(
        f"{label}: {_fmt(v) if v is not None else '—'}" for (label, _), v in zip(points, values, strict=True)
    )
    body = []
    if known:
        low, high = (
            min(known + ([target] if target is not None else [])),
            max(known + ([target] if target is not None else [])),
        )
        span = (high - low) or 1.0
        pad = 4

        def y_of(value):
            return pad + (high - value) / span * (height - 2 * pad) if high != low else height / 2

        def x_of(index):
            return pad + (width - 2 * pad) * (index / (len(values) - 1) if len(values) > 1 else 0.5)

        if target is not None:
            y = y_of(target)
            body.append(
                f'<line x1="0" y1="{y:.1f}" x2="{width}" y2="{y:.1f}" stroke="{STATUS_COLOURS["on_target"]}" '
                f'stroke-width="1" stroke-dasharray="3 2"/>'
            )
        line = [(x_of(i), y_of(v)) for i, v in enumerate(values) if v is not None]
        if len(line) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in line)
            body.append(f'<polyline points="{path}" fill="none" stroke="{LINE}" stroke-width="1.5"/>')
        for index, value in enumerate(values):
            if value is not None:
                status = statuses[index] if statuses is not None else None
                body.append(
                    f'<circle cx="{x_of(index):.1f}" cy="{y_of(value):.1f}" r="2.5" '
                    f'fill="{STATUS_COLOURS.get(status, STATUS_COLOURS[None])}"/>'
                )
    return _svg(width, height, f"{title} {summary}".strip(), body)
