"""The report's SVG charts as PNG images, for the Word report (Word cannot show our SVG)."""

from __future__ import annotations

import io
from typing import Any

from flask_babel import gettext as _

from readiness.services.report_model import ReportData


def chart_png(svg: str) -> bytes:
    """A chart's SVG as a PNG on white, at twice its size so that it prints sharply."""
    import cairosvg  # loads the cairo library only when a Word file is made

    return cairosvg.svg2png(bytestring=svg.encode("utf-8"), scale=2, background_color="white")


def add_charts(doc: Any, data: ReportData) -> None:
    """Add the report's two radar charts, each with the caption the PDF gives it."""
    from docx.shared import Cm

    charts = (
        (
            data.pillar_chart,
            _("Pillars: score 0–100 (solid) and the score the next level needs (dashed)"),
        ),
        (
            data.area_chart,
            _("Challenge areas: score 0–100 (solid) and the score the next level needs (dashed)"),
        ),
    )
    for svg, caption in charts:
        doc.add_picture(io.BytesIO(chart_png(svg)), width=Cm(14))
        doc.add_paragraph(caption, style="Caption")
