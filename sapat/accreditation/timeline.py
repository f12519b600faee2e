"""Server-drawn SVG for the register page: every subject's accreditations on one timeline, and
the results of the decisions over the years as stacked bars. Styled with attributes only,
like `sapat.lib.charts`, so the same SVG can go into a PDF."""

import datetime
from html import escape

from django.utils import timezone
from django.utils.translation import gettext as _

from sapat.lib.charts import STATUS_COLOURS, _svg

from .models_register import AccreditationResult, EventKind

RESULT_COLOURS = {
    AccreditationResult.ACCREDITED: STATUS_COLOURS["on_target"],
    AccreditationResult.CONDITIONAL: STATUS_COLOURS["at_risk"],
    AccreditationResult.REFUSED: STATUS_COLOURS["off_target"],
}
SUSPENDED = "#6c757d"
ROW = 26
LABEL_W = 170


def _x(day: datetime.date, start: datetime.date, span_days: int, left: int, width: int) -> float:
    return left + (day - start).days / span_days * width


def timeline_svg(rows, *, width=900, today=None) -> str:
    """`rows`: the status board's rows (subject, history of accreditations with events)."""
    today = today or timezone.localdate()
    days = [today]
    for row in rows:
        for acc in row["history"]:
            days += [acc.decision_date] + [d for d in (acc.valid_until,) if d]
    start = datetime.date(min(days).year, 1, 1)
    end = datetime.date(max(days).year + 1, 1, 1)
    span = (end - start).days
    plot_w = width - LABEL_W - 10
    height = 24 + ROW * len(rows)
    body = []
    for year in range(start.year, end.year + 1):
        x = _x(datetime.date(year, 1, 1), start, span, LABEL_W, plot_w)
        body.append(f'<line x1="{x:.1f}" y1="14" x2="{x:.1f}" y2="{height}" stroke="#dee2e6"/>')
        if year < end.year:
            body.append(f'<text x="{x + 3:.1f}" y="11" font-size="10">{year}</text>')
    for index, row in enumerate(rows):
        y = 18 + index * ROW
        label = str(row["subject"])
        short = label if len(label) <= 28 else label[:27] + "…"
        body.append(f'<text x="4" y="{y + 14}" font-size="11"><title>{escape(label)}</title>{escape(short)}</text>')
        for acc in row["history"]:
            colour = RESULT_COLOURS[acc.result]
            x0 = _x(acc.decision_date if not acc.valid_from else acc.valid_from, start, span, LABEL_W, plot_w)
            if acc.result == AccreditationResult.REFUSED or not acc.valid_until:
                body.append(
                    f'<circle cx="{x0:.1f}" cy="{y + 10}" r="5" fill="{colour}"><title>'
                    f"{escape(str(acc))}</title></circle>"
                )
                continue
            x1 = _x(acc.valid_until, start, span, LABEL_W, plot_w)
            body.append(
                f'<rect x="{x0:.1f}" y="{y + 3}" width="{max(x1 - x0, 2):.1f}" height="14" rx="3" fill="{colour}" '
                f'fill-opacity="0.85"><title>{escape(str(acc))} — {acc.valid_until:%d.%m.%Y}</title></rect>'
            )
            for event in acc.events.all():
                ex = _x(event.date, start, span, LABEL_W, plot_w)
                title = escape(str(event))
                if event.kind == EventKind.SUSPENSION and event.ends_on:
                    ex1 = _x(event.ends_on, start, span, LABEL_W, plot_w)
                    body.append(
                        f'<rect x="{ex:.1f}" y="{y + 3}" width="{max(ex1 - ex, 2):.1f}" height="14" '
                        f'fill="{SUSPENDED}"><title>{title}</title></rect>'
                    )
                else:
                    mark = {EventKind.TERMINATION: "✕", EventKind.RESTORATION: "↺", EventKind.DUPLICATE: "D"}
                    body.append(
                        f'<text x="{ex:.1f}" y="{y + 14}" font-size="11" font-weight="bold" text-anchor="middle">'
                        f"<title>{title}</title>{mark.get(event.kind, '•')}</text>"
                    )
    tx = _x(today, start, span, LABEL_W, plot_w)
    body.append(f'<line x1="{tx:.1f}" y1="14" x2="{tx:.1f}" y2="{height}" stroke="#0d6efd" stroke-dasharray="4 3"/>')
    return _svg(width, height, _("Accreditation timeline"), body)


def results_svg(years, *, width=480, height=200) -> str:
    """Stacked bars: per year, the decisions by result (accredited, conditional, refused)."""
    left, bottom, top = 34, 30, 12
    plot_h = height - top - bottom
    highest = max([sum(counts.values()) for _, counts in years] + [1])
    slot = (width - left - 10) / max(1, len(years))
    body = []
    for tick in range(0, highest + 1):
        y = top + plot_h - tick / highest * plot_h
        body.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - 10}" y2="{y:.1f}" stroke="#dee2e6"/>')
        body.append(f'<text x="{left - 4}" y="{y + 4:.1f}" text-anchor="end">{tick}</text>')
    for index, (year, counts) in enumerate(years):
        x = left + slot * index + slot * 0.2
        base = top + plot_h
        for result in AccreditationResult:
            n = counts.get(result.value, 0)
            if not n:
                continue
            h = n / highest * plot_h
            base -= h
            body.append(
                f'<rect x="{x:.1f}" y="{base:.1f}" width="{slot * 0.6:.1f}" height="{h:.1f}" '
                f'fill="{RESULT_COLOURS[result]}"><title>{year}: {escape(str(result.label))} — {n}</title></rect>'
            )
        label_x = x + slot * 0.3
        body.append(f'<text x="{label_x:.1f}" y="{height - 12}" text-anchor="middle" font-size="10">{year}</text>')
    summary = "; ".join(
        f"{year}: " + ", ".join(f"{AccreditationResult(r).label} {n}" for r, n in counts.items() if n)
        for year, counts in years
    )
    return _svg(width, height, f"{_('Accreditation results by year')} {summary}", body)
