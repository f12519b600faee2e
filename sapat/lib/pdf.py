"""Printable documents: a Django template rendered to an A4 PDF with WeasyPrint.

The typography is the one the Ministry's report format asks for: Times New Roman metrics
(Liberation Serif, loaded from the local font files; nothing is fetched over the network),
12 pt, single line spacing, margins left 2.5 cm, right 1 cm, top and bottom 2 cm, numbered
pages. Templates extend ``print/base.html``, which prints the institution and the title at
the top of the first page and repeats the title in the running head of the others, and
puts the fonts and the page box (`print_css`) before its own styles: a template's
``{% block style %}`` may override them (another @page margin, say).

    pdf = render_pdf("print/register.html", {"title": …, "institution_name": …}, landscape=True)
    return pdf_response(pdf, "register-2026-11-21.pdf")
"""

from functools import lru_cache
from pathlib import Path
from urllib.request import url2pathname

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.http import content_disposition_header
from django.utils.safestring import mark_safe
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

# Where distributions put Liberation Serif: Debian/Ubuntu `fonts-liberation2` first, then
# the older `fonts-liberation`, then Fedora/Alpine layouts.
FONT_DIRS = (
    Path("/usr/share/fonts/truetype/liberation2"),
    Path("/usr/share/fonts/truetype/liberation"),
    Path("/usr/share/fonts/liberation-serif"),
    Path("/usr/share/fonts/liberation"),
)
FONT_FAMILY = "Liberation Serif"
# The family every print stylesheet asks for: Liberation Serif (the local files, or as
# fontconfig knows it), else Times New Roman, else whatever serif the system has.
# WeasyPrint names the PDF fonts after the family: BaseFont "…+Liberation-Serif(-Bold)".
FONT_STACK = f'"{FONT_FAMILY}", "Times New Roman", serif'
_FACES = {  # file name suffix → (font-weight, font-style)
    "Regular": ("normal", "normal"),
    "Bold": ("bold", "normal"),
    "Italic": ("normal", "italic"),
    "BoldItalic": ("bold", "italic"),
}

PAGE_MARGINS = "2cm 1cm 2cm 2.5cm"  # top right bottom left


@lru_cache(maxsize=1)
def font_dir() -> Path | None:
    """The directory holding LiberationSerif-Regular.ttf, or None when it is not installed."""
    for directory in FONT_DIRS:
        if (directory / "LiberationSerif-Regular.ttf").is_file():
            return directory
    return None


def font_face_css() -> str:
    """@font-face rules for Liberation Serif from the local files ('' when they are absent:
    the stylesheets then fall back to the system's serif)."""
    directory = font_dir()
    if directory is None:
        return ""
    rules = []
    for suffix, (weight, style) in _FACES.items():
        path = directory / f"LiberationSerif-{suffix}.ttf"
        if path.is_file():
            rules.append(
                f'@font-face {{ font-family: "{FONT_FAMILY}"; src: url("{path.as_uri()}"); '
                f"font-weight: {weight}; font-style: {style}; }}"
            )
    return "\n".join(rules)


def page_css(*, landscape: bool = False) -> str:
    """The page box: A4, the report margins, page numbers at the bottom."""
    size = "A4 landscape" if landscape else "A4"
    return f"""
@page {{
  size: {size};
  margin: {PAGE_MARGINS};
  @bottom-right {{ content: counter(page) " / " counter(pages); font-family: {FONT_STACK}; font-size: 12pt; }}
}}
html {{ font-family: {FONT_STACK}; }}
"""


class LocalOnlyFetcher(URLFetcher):
    """Resources of a printed page come from the font and static directories only: no
    network (campus networks are slow or closed) and nothing else on the disk."""

    def __init__(self, roots):
        super().__init__(allowed_protocols={"file", "data"})
        self.roots = [Path(root).resolve() for root in roots]

    def fetch(self, url, headers=None):
        if url[:5].lower() == "file:":
            path = Path(url2pathname(url.split("?")[0][5:])).resolve()
            if not any(path.is_relative_to(root) for root in self.roots):
                raise ValueError(f"Not a file a printed page may use: {url}")
        return super().fetch(url, headers)


def _allowed_roots() -> list[Path]:
    roots = [d for d in FONT_DIRS if d.is_dir()]
    # STATICFILES_DIRS entries are paths or (prefix, path) pairs.
    roots += [Path(d[1] if isinstance(d, (tuple, list)) else d) for d in getattr(settings, "STATICFILES_DIRS", ())]
    if getattr(settings, "STATIC_ROOT", None):
        roots.append(Path(settings.STATIC_ROOT))
    return roots


def print_css(*, landscape: bool = False) -> str:
    """The fonts and the page box, for the <style> at the top of a printed page."""
    return font_face_css() + page_css(landscape=landscape)


def html_to_pdf(html: str) -> bytes:
    """An HTML string as PDF bytes. The page brings its own styles: print/base.html puts
    `print_css` first, so a template's own @page rules come later and win."""
    fonts = FontConfiguration()
    return HTML(string=html, url_fetcher=LocalOnlyFetcher(_allowed_roots())).write_pdf(font_config=fonts)


def render_pdf(template_name: str, context: dict | None = None, *, request=None, landscape: bool = False) -> bytes:
    """Render `template_name` (extending print/base.html) with `context` to PDF bytes.

    The base template reads `institution_name` and `title` from the context; `landscape`
    turns the A4 page. `request` is only needed by templates that use context processors."""
    context = {"print_css": mark_safe(print_css(landscape=landscape)), "landscape": landscape, **(context or {})}
    return html_to_pdf(render_to_string(template_name, context, request=request))


def pdf_response(pdf: bytes, filename: str) -> HttpResponse:
    """Send PDF bytes as a download named `filename`."""
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response
