"""Rendering the comparison report to HTML (one template for file and PDF) and to PDF."""

from __future__ import annotations

from pathlib import Path

from flask import current_app

from readiness.i18n import use_language
from readiness.services.comparison_view import PairView
from readiness.services.comparison_view import SeriesView
from readiness.services.report_render import report_css

TEMPLATE = "compare/report.html"


def _css() -> str:
    """The report stylesheet followed by the comparison tables' own rules."""
    extra = Path(current_app.static_folder or "static") / "css" / "compare.css"
    return report_css() + "\n" + extra.read_text(encoding="utf-8")


def render_comparison_html(view: PairView | SeriesView, standalone: bool = True) -> str:
    """The comparison report as an HTML document in the view's language (needs an app context).

    standalone=True inlines the report stylesheet, as the assessment report does for files.
    """
    template = current_app.jinja_env.get_template(TEMPLATE)
    with use_language(view.lang):
        return template.render(
            view=view,
            pair=isinstance(view, PairView),
            inline_css=_css() if standalone else None,
        )


def render_comparison_pdf(view: PairView | SeriesView) -> bytes:
    """The comparison report as an A4 PDF rendered by WeasyPrint."""
    # Imported here, as in report_render: WeasyPrint loads Pango and fonts only when needed.
    from weasyprint import HTML

    base = current_app.static_folder or "."
    return HTML(string=render_comparison_html(view), base_url=str(base)).write_pdf()
