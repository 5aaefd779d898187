"""A designation dossier printed to PDF with WeasyPrint, each source a numbered footnote.

The PDF is rendered from an HTML document (``violations/dossier_print.html``, which shares its
body with the web page), so the page, the PDF and the tests read the same text: whatever the
page leaves out (a witness's name, a record above the reader's level) the PDF cannot hold.
WeasyPrint is given a URL fetcher that fetches nothing (only inline ``data:`` URLs): a stored
source URL or a crafted value in a record cannot make the server fetch a resource while
printing.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import jinja2

from rightsdesk.core.errors import ConfigError
from rightsdesk.monitoring.violations.access import level_label
from rightsdesk.monitoring.violations.dossier import Dossier

__all__ = ["act_numbers", "print_html", "render_pdf", "template_context"]

PRINT_TEMPLATE = "violations/dossier_print.html"
WEASYPRINT_PIN = "weasyprint==70.0"


@cache
def _environment() -> jinja2.Environment:
    """The house's templates, loaded the way the web app loads them (autoescaped)."""
    folder = resources.files("rightsdesk") / "web" / "templates"
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(folder)),
        autoescape=jinja2.select_autoescape(["html"]),
        undefined=jinja2.StrictUndefined,
    )


def act_numbers(dossier: Dossier) -> dict[int, int]:
    """Act id → its number in the dossier's evidence (Act 1, Act 2, ...)."""
    return {a.act_id: i for i, a in enumerate(dossier.evidence, start=1)}


def template_context(dossier: Dossier, pdf: bool) -> dict[str, Any]:
    """What ``dossier_body.html`` needs, for the page and the print alike."""
    return {"d": dossier, "act_no": act_numbers(dossier), "level_label": level_label, "pdf": pdf}


def print_html(dossier: Dossier) -> str:
    """The standalone HTML document the PDF is printed from."""
    template = _environment().get_template(PRINT_TEMPLATE)
    return template.render(**template_context(dossier, pdf=True))


def render_pdf(dossier: Dossier) -> bytes:
    """The dossier as PDF bytes; ConfigError when WeasyPrint is not installed."""
    try:
        import weasyprint  # type: ignore[import-untyped]
        from weasyprint.urls import URLFetcher  # type: ignore[import-untyped]
    except ImportError:  # pragma: no cover - depends on the installation
        raise ConfigError(
            f"PDF export needs WeasyPrint: pip install {WEASYPRINT_PIN} "
            "(and the system's Pango library)"
        ) from None
    fetcher = URLFetcher(allowed_protocols={"data"}, fail_on_errors=False)
    document = weasyprint.HTML(string=print_html(dossier), url_fetcher=fetcher)
    pdf: bytes = document.write_pdf()
    return pdf
