"""The Word report has the PDF's charts (as PNG), and CSV headers follow the export's language."""

from __future__ import annotations

import csv
import io

import pytest
from docx import Document
from PIL import Image

from readiness.services import report_docx
from readiness.services import report_export
from tests.services.test_reports import build
from tests.services.test_reports import flagship  # noqa: F401 - fixture
from tests.services.test_reports import report_app  # noqa: F401 - fixture


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_word_report_has_both_charts_as_images(flagship, lang):  # noqa: F811
    data = build(flagship, lang)
    doc = Document(io.BytesIO(report_docx.to_docx(data)))
    assert len(doc.inline_shapes) == 2  # the pillar and the challenge-area radar
    captions = [p.text for p in doc.paragraphs if p.style.name == "Caption"]
    assert len(captions) == 2
    for rel in (r for r in doc.part.rels.values() if "image" in r.reltype):
        image = Image.open(io.BytesIO(rel.target_part.blob)).convert("L")
        assert image.width >= 600  # drawn at twice the SVG's size
        dark = sum(image.histogram()[:128])
        assert dark > 500  # lines, markers and labels, not a blank square


def test_csv_header_is_in_the_export_language(flagship):  # noqa: F811
    english = report_export.to_csv(build(flagship, "en")).lstrip("\ufeff")
    chinese = report_export.to_csv(build(flagship, "zh")).lstrip("\ufeff")
    header_en = next(csv.reader(io.StringIO(english)))
    header_zh = next(csv.reader(io.StringIO(chinese)))
    assert header_en == list(report_export.CSV_COLUMNS)  # English keeps the column keys
    assert len(header_zh) == len(header_en)
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in name) for name in header_zh), header_zh
