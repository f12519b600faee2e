"""The process model as an SVG picture, drawn from the register (no JavaScript, no library):
the same markup goes into the page and into the downloadable file.

Layout, after the seeds' description of the process approach (seed 004 §5.4.1, seed 001
§6.4.1: "the input is the stakeholders' requirements, the output their satisfaction",
turned by the PDCA cycle):

    [stakeholder   ]   ┌ 1 management (Plan) ───────────┐   ┌ 4 measurement, ┐   [stakeholder  ]
    [requirements  ] ⇒ │ 2 core (Do)                     │ ⇒ │   analysis and  │ ⇒ [satisfaction ]
    [              ]   └ 3 supporting ──────────────────┘   └ improvement ───┘   [             ]

Each process is a box with its code and short name; an arrow joins two boxes when one
process's input comes from the other or its output goes to it. Improvement (4 → 1) and
feedback (satisfaction → 4) close the cycle."""

import math
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from .choices import GROUP_SHORT, ProcessGroup

FONT = "'Liberation Sans', Arial, Helvetica, sans-serif"
PAD = 16
TOP = 40  # room above the bands for the improvement arrow
SIDE_W = 124  # the stakeholder columns
GAP = 40  # between columns: room for the arrows
BOX_W, BOX_H = 156, 64
BOX_GAP_X, BOX_GAP_Y = 26, 26
BAND_PAD = 12
HEAD_H = 26  # a band's title
BAND_GAP = 26
COLUMNS = 5  # boxes per row in a band
CHAR_W = 0.55  # average glyph width, in em, for wrapping

COLOURS = {  # band fill, box border
    ProcessGroup.MANAGEMENT: ("#e3eff3", "#0f5c6e"),
    ProcessGroup.CORE: ("#e8f3e6", "#2f6f3a"),
    ProcessGroup.SUPPORTING: ("#f6f0e3", "#8a6420"),
    ProcessGroup.MEASUREMENT: ("#f0eaf5", "#6a4a86"),
}
PDCA = {
    ProcessGroup.MANAGEMENT: "P",
    ProcessGroup.CORE: "D",
    ProcessGroup.MEASUREMENT: "C · A",
}


@dataclass
class Box:
    process: object
    x: float
    y: float
    w: float = BOX_W
    h: float = BOX_H

    @property
    def cx(self):
        return self.x + self.w / 2

    @property
    def cy(self):
        return self.y + self.h / 2

    def edge_point(self, towards_x, towards_y):
        """Where the ray from the box's centre towards a point leaves the box."""
        dx, dy = towards_x - self.cx, towards_y - self.cy
        if dx == 0 and dy == 0:
            return self.cx, self.cy
        scale = min(
            (self.w / 2) / abs(dx) if dx else math.inf,
            (self.h / 2) / abs(dy) if dy else math.inf,
        )
        return self.cx + dx * scale, self.cy + dy * scale


def wrap(text: str, width_px: float, size: float, max_lines: int) -> list[str]:
    """Words into lines of about `width_px`; an ellipsis when the text does not fit."""
    limit = max(4, int(width_px / (size * CHAR_W)))
    lines, line = [], ""
    words = text.split()
    for index, word in enumerate(words):
        candidate = f"{line} {word}".strip()
        if len(candidate) <= limit or not line:
            line = candidate
            continue
        lines.append(line)
        line = word
        if len(lines) == max_lines:
            line = ""
            lines[-1] = _ellipsis(lines[-1] + " " + " ".join(words[index:]), limit)
            break
    if line:
        lines.append(line)
    return [(_ellipsis(text_line, limit) if len(text_line) > limit else text_line) for text_line in lines]


def _ellipsis(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip(" ,.;:") + "…"


def _text(x, y, lines, *, size=11, weight="normal", anchor="middle", fill="#1b1b1b", line_height=1.2, cls=""):
    tspans = "".join(
        f'<tspan x="{x:.1f}" dy="{0 if i == 0 else size * line_height:.1f}">{escape(line)}</tspan>'
        for i, line in enumerate(lines)
    )
    css = f' class="{cls}"' if cls else ""
    return (
        f'<text{css} x="{x:.1f}" y="{y:.1f}" font-size="{size}" font-weight="{weight}" '
        f'text-anchor="{anchor}" fill="{fill}">{tspans}</text>'
    )


def _rows(count, columns):
    return max(1, math.ceil(count / columns))


STYLE = (
    "<style>"
    ".process-model a{text-decoration:none}"
    ".process-model a:hover rect,.process-model a:focus rect{stroke-width:3}"
    ".process-model .link:hover{stroke:#b0306a;stroke-opacity:1;stroke-width:2.6}"
    "</style>"
)


def render_svg(processes, links, *, url_for=None, title="", standalone=False) -> str:
    """The picture. `processes` in register order, `links` from selectors.process_links,
    `url_for(process)` makes each box a link (the page), none in the downloaded file. In
    the page the picture takes the width of its frame; the file keeps its own size."""
    by_group = {g: [p for p in processes if p.group == g] for g in ProcessGroup.values}
    band_groups = (ProcessGroup.MANAGEMENT, ProcessGroup.CORE, ProcessGroup.SUPPORTING)
    band_x = PAD + SIDE_W + GAP
    band_w = COLUMNS * BOX_W + (COLUMNS - 1) * BOX_GAP_X + 2 * BAND_PAD
    mai_x = band_x + band_w + GAP
    mai_w = BOX_W + 2 * BAND_PAD
    sat_x = mai_x + mai_w + GAP
    width = sat_x + SIDE_W + PAD

    boxes: dict[int, Box] = {}
    bands = []
    y = TOP
    for group in band_groups:
        members = by_group[group]
        rows = _rows(len(members), COLUMNS)
        height = HEAD_H + rows * BOX_H + (rows - 1) * BOX_GAP_Y + BAND_PAD
        bands.append((group, band_x, y, band_w, height))
        for index, process in enumerate(members):
            row, col = divmod(index, COLUMNS)
            in_row = min(COLUMNS, len(members) - row * COLUMNS)
            # A short last row is centred in the band.
            offset = (COLUMNS - in_row) * (BOX_W + BOX_GAP_X) / 2
            boxes[process.pk] = Box(
                process,
                band_x + BAND_PAD + offset + col * (BOX_W + BOX_GAP_X),
                y + HEAD_H + row * (BOX_H + BOX_GAP_Y),
            )
        y += height + BAND_GAP
    bands_bottom = y - BAND_GAP

    mai = by_group[ProcessGroup.MEASUREMENT]
    mai_needed = HEAD_H * 2 + len(mai) * BOX_H + max(0, len(mai) - 1) * BOX_GAP_Y + BAND_PAD
    mai_h = max(bands_bottom - TOP, mai_needed)
    bottom = TOP + mai_h
    # The measurement column's boxes sit in its middle, clear of its two-line title.
    first = TOP + HEAD_H * 2 + max(0, (mai_h - mai_needed) / 2)
    for index, process in enumerate(mai):
        boxes[process.pk] = Box(process, mai_x + BAND_PAD, first + index * (BOX_H + BOX_GAP_Y))
    height = bottom + PAD + 34  # the feedback caption under the picture

    core = next(b for b in bands if b[0] == ProcessGroup.CORE)
    flow_y = core[2] + core[4] / 2
    parts = []
    title = title or _("Process model")
    parts.append(f"<title>{escape(title)}</title>")
    parts.append(
        "<desc>{}</desc>".format(
            escape(
                _(
                    "The input is the stakeholders' requirements, the output their satisfaction; "
                    "arrows show which process feeds which."
                )
            )
        )
    )
    parts.append(STYLE)
    parts.append(
        "<defs>"
        '<marker id="pm-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" '
        'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#33444c"/></marker>'
        '<marker id="pm-arrow-loop" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="6" markerHeight="6" '
        'orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#6a4a86"/></marker>'
        "</defs>"
    )
    parts.append(f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>')

    # The stakeholders' flow, behind everything: requirements in, satisfaction out.
    shaft = 30
    parts.append(
        '<path class="flow" d="M{x0},{t} L{x1},{t} L{x1},{t2} L{x2},{y} L{x1},{b2} L{x1},{b} L{x0},{b} z" '
        'fill="#d9e6ea"/>'.format(
            x0=PAD + SIDE_W - 2,
            x1=sat_x - 22,
            x2=sat_x + 2,
            y=f"{flow_y:.1f}",
            t=f"{flow_y - shaft / 2:.1f}",
            b=f"{flow_y + shaft / 2:.1f}",
            t2=f"{flow_y - shaft:.1f}",
            b2=f"{flow_y + shaft:.1f}",
        )
    )

    # Stakeholder columns.
    for x, heading, note, cls in (
        (
            PAD,
            _("Stakeholder requirements"),
            _("students and parents, employers, the state and society, staff"),
            "requirements",
        ),
        (
            sat_x,
            _("Stakeholder satisfaction"),
            _("graduates, research results and services that meet the requirements"),
            "satisfaction",
        ),
    ):
        parts.append(
            f'<g class="stakeholders {cls}"><rect x="{x}" y="{TOP}" width="{SIDE_W}" height="{mai_h}" rx="10" '
            f'fill="#f4f7f8" stroke="#0f5c6e" stroke-width="1.5"/>'
        )
        head_lines = wrap(heading, SIDE_W - 16, 13, 4)
        note_lines = wrap(note, SIDE_W - 16, 10.5, 6)
        block = len(head_lines) * 15.6 + 8 + len(note_lines) * 12.6
        start = TOP + mai_h / 2 - block / 2 + 12
        parts.append(_text(x + SIDE_W / 2, start, head_lines, size=13, weight="bold", fill="#0f5c6e"))
        parts.append(_text(x + SIDE_W / 2, start + len(head_lines) * 15.6 + 8, note_lines, size=10.5, fill="#44545a"))
        parts.append("</g>")

    # Bands.
    for group, x, band_y, w, h in bands:
        fill, stroke = COLOURS[group]
        label = f"{group.value}. {GROUP_SHORT[group]}"
        parts.append(
            f'<g class="band" data-group="{group.value}"><rect x="{x}" y="{band_y}" width="{w}" height="{h}" rx="8" '
            f'fill="{fill}" stroke="{stroke}" stroke-opacity="0.35"/>'
        )
        parts.append(_text(x + 10, band_y + 17, [label], size=12.5, weight="bold", anchor="start", fill=stroke))
        if group in PDCA:
            parts.append(
                _text(x + w - 10, band_y + 17, [PDCA[group]], size=12, weight="bold", anchor="end", fill=stroke)
            )
        if not by_group[group]:
            parts.append(_text(x + w / 2, band_y + HEAD_H + 24, [_("No processes")], size=11, fill="#6b7a80"))
        parts.append("</g>")
    fill, stroke = COLOURS[ProcessGroup.MEASUREMENT]
    parts.append(
        f'<g class="band" data-group="4"><rect x="{mai_x}" y="{TOP}" width="{mai_w}" height="{mai_h}" rx="8" '
        f'fill="{fill}" stroke="{stroke}" stroke-opacity="0.35"/>'
    )
    mai_label = wrap(f"4. {GROUP_SHORT[ProcessGroup.MEASUREMENT]}", mai_w - 20, 12.5, 3)
    parts.append(_text(mai_x + 10, TOP + 17, mai_label, size=12.5, weight="bold", anchor="start", fill=stroke))
    parts.append(
        _text(
            mai_x + mai_w - 10,
            TOP + 17,
            [PDCA[ProcessGroup.MEASUREMENT]],
            size=12,
            weight="bold",
            anchor="end",
            fill=stroke,
        )
    )
    if not mai:
        parts.append(_text(mai_x + mai_w / 2, TOP + mai_h / 2, [_("No processes")], size=11, fill="#6b7a80"))
    parts.append("</g>")

    # The PDCA loop: satisfaction is measured (feedback), measurement leads to improvement
    # of management (over the top).
    fb_y = bottom - 22
    parts.append(
        f'<path class="loop feedback" d="M{sat_x},{fb_y} L{mai_x + mai_w + 3},{fb_y}" stroke="#6a4a86" '
        f'stroke-width="2" stroke-dasharray="6 4" fill="none" marker-end="url(#pm-arrow-loop)"/>'
    )
    mgmt = bands[0]
    loop_y = TOP - 22
    parts.append(
        f'<path class="loop improvement" d="M{mai_x + mai_w / 2},{TOP} L{mai_x + mai_w / 2},{loop_y} '
        f'L{mgmt[1] + mgmt[3] / 2},{loop_y} L{mgmt[1] + mgmt[3] / 2},{TOP - 3}" stroke="#6a4a86" '
        f'stroke-width="2" stroke-dasharray="6 4" fill="none" marker-end="url(#pm-arrow-loop)"/>'
    )
    parts.append(
        _text(
            (mai_x + mai_w / 2 + mgmt[1] + mgmt[3] / 2) / 2,
            loop_y - 6,
            [_("Improvement (Act)")],
            size=11,
            fill="#6a4a86",
        )
    )
    parts.append(
        _text(
            (sat_x + mai_x + mai_w) / 2,
            bottom + 16,
            [_("Feedback")],
            size=11,
            fill="#6a4a86",
        )
    )

    # Links between processes, under the boxes; where one cannot avoid a box, a faint trace
    # over it shows where it goes.
    all_boxes = list(boxes.values())
    routed = []
    for link in links:
        source, target = boxes.get(link.source.pk), boxes.get(link.target.pk)
        if source is not None and target is not None:
            routed.append((link, _route(source, target, all_boxes), source, target))
    parts.append('<g class="links" fill="none" stroke="#33444c" stroke-width="1.2" stroke-opacity="0.6">')
    parts.extend(_link_path(link, control, source, target) for link, control, source, target in routed)
    parts.append("</g>")

    # Process boxes.
    for box in boxes.values():
        parts.append(_box(box, url_for))
    parts.append(
        '<g class="link-traces" fill="none" stroke="#33444c" stroke-width="1" stroke-opacity="0.22" '
        'pointer-events="none">'
    )
    for _link, (cx, cy), source, target in routed:
        x1, y1 = source.edge_point(cx, cy)
        x2, y2 = target.edge_point(cx, cy)
        parts.append(f'<path d="M{x1:.1f},{y1:.1f} Q{cx:.1f},{cy:.1f} {x2:.1f},{y2:.1f}"/>')
    parts.append("</g>")

    legend_y = height - 12
    parts.append(
        _text(
            PAD,
            legend_y,
            [_("P — plan, D — do, C — check, A — act. An arrow: the output of one process is an input of the other.")],
            size=10.5,
            anchor="start",
            fill="#44545a",
        )
    )

    body = "".join(parts)
    size = f'width="{width:.0f}" height="{height:.0f}"' if standalone else 'width="100%" style="height:auto"'
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="process-model" viewBox="0 0 {width:.0f} {height:.0f}" '
        f'{size} role="img" aria-label={quoteattr(title)} font-family="{FONT}">'
    )
    svg = head + body + "</svg>"
    if standalone:
        return '<?xml version="1.0" encoding="UTF-8"?>\n' + svg + "\n"
    return svg


# Bends tried for a link, as shares of its length (positive: to the right of the direction of
# travel, so two processes feeding each other get two separate arrows).
BENDS = (0.06, -0.06, 0.14, -0.14, 0.24, -0.24)
MAX_BEND = 90  # px: a wider arc wanders across the picture
SAMPLES = 24
CLEARANCE = 4  # px kept free around a box a link passes


def _curve_hits(x0, y0, cx, cy, x1, y1, others) -> int:
    """How many sampled points of the quadratic curve fall on another process's box."""
    hits = 0
    for step in range(1, SAMPLES):
        t = step / SAMPLES
        u = 1 - t
        x = u * u * x0 + 2 * u * t * cx + t * t * x1
        y = u * u * y0 + 2 * u * t * cy + t * t * y1
        for box in others:
            if (
                box.x - CLEARANCE <= x <= box.x + box.w + CLEARANCE
                and box.y - CLEARANCE <= y <= box.y + box.h + CLEARANCE
            ):
                hits += 1
                break
    return hits


def _route(source: Box, target: Box, boxes) -> tuple[float, float]:
    """The control point of a curve from box to box that passes no other box, or the one
    that crosses the fewest: the gentlest such bend wins."""
    sx, sy, tx, ty = source.cx, source.cy, target.cx, target.cy
    dx, dy = tx - sx, ty - sy
    length = math.hypot(dx, dy) or 1
    nx, ny = -dy / length, dx / length
    others = [b for b in boxes if b is not source and b is not target]
    best = None
    for share in BENDS:
        bend = math.copysign(min(MAX_BEND, max(10.0, abs(share) * length)), share)
        cx, cy = (sx + tx) / 2 + nx * bend, (sy + ty) / 2 + ny * bend
        hits = _curve_hits(sx, sy, cx, cy, tx, ty, others)
        if hits == 0:
            return cx, cy
        if best is None or hits < best[0]:
            best = (hits, cx, cy)
    return best[1], best[2]


def _link_path(link, control, source: Box, target: Box) -> str:
    """The curve from box to box through `control`, clipped at the two boxes' borders."""
    cx, cy = control
    x1, y1 = source.edge_point(cx, cy)
    x2, y2 = target.edge_point(cx, cy)
    names = "; ".join(link.items)
    tooltip = f"{link.source.code} → {link.target.code}: {names}"
    return (
        f'<path class="link" data-from={quoteattr(link.source.code)} data-to={quoteattr(link.target.code)} '
        f'd="M{x1:.1f},{y1:.1f} Q{cx:.1f},{cy:.1f} {x2:.1f},{y2:.1f}" marker-end="url(#pm-arrow)">'
        f"<title>{escape(tooltip)}</title></path>"
    )


def _box(box: Box, url_for) -> str:
    process = box.process
    fill, stroke = COLOURS[ProcessGroup(process.group)]
    name_lines = wrap(process.short_name, box.w - 14, 11, 3)
    inner = (
        f'<rect x="{box.x:.1f}" y="{box.y:.1f}" width="{box.w}" height="{box.h}" rx="6" fill="#ffffff" '
        f'stroke="{stroke}" stroke-width="1.5"/>'
        + _text(box.x + 8, box.y + 15, [process.code], size=11.5, weight="bold", anchor="start", fill=stroke)
        + _text(box.cx, box.y + 44 - (len(name_lines) - 1) * 6.3, name_lines, size=11, line_height=1.15)
        + f"<title>{escape(str(process))}</title>"
    )
    group = f'<g class="process" data-code={quoteattr(process.code)} data-group="{process.group}">{inner}</g>'
    if url_for is None:
        return group
    label = pgettext("process model", "Process %(code)s") % {"code": process.code}
    return f"<a href={quoteattr(url_for(process))} aria-label={quoteattr(label)}>{group}</a>"
