"""The comparison downloads: no text runs out of its PDF table cell; CSV headers in the language."""

from __future__ import annotations

import re
import subprocess
from datetime import UTC
from datetime import datetime
from html import unescape

import pytest

from tests.assessment_data import write_questionnaires
from tests.conftest import test_config
from tests.report_data import pdf_tool
from tests.web.test_compare import FIRST
from tests.web.test_compare import SECOND
from tests.web.test_compare import submitted  # noqa: F401 - fixture
from tests.web.test_compare import team  # noqa: F401 - fixture

LONGER = " throughout the plant"  # level names as long as real ones get in other questionnaires


@pytest.fixture
def app_config(database_url: str, tmp_path) -> dict:
    """The mini questionnaire with long level names (\"Level 2 · Standardised throughout …\")."""
    directory = write_questionnaires(tmp_path / "questionnaires", extra_questions=0)
    mini = directory / "mini" / "1.yaml"
    text = re.sub(
        r"name: \{en: ([A-Za-z ]+),",
        lambda m: f"name: {{en: {m.group(1)}{LONGER},",
        mini.read_text(encoding="utf-8"),
    )
    mini.write_text(text, encoding="utf-8")
    return test_config(database_url, QUESTIONNAIRE_DIR=str(directory))


WORD = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>'
)


def _words(pdf: bytes, tmp_path) -> list[list[tuple[float, float, float, float, str]]]:
    """Per page, every word with its box, from pdftotext -bbox."""
    path = tmp_path / "comparison.pdf"
    path.write_bytes(pdf)
    html = subprocess.run(
        [pdf_tool("pdftotext"), "-bbox", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = html.split("<page ")[1:]
    return [
        [(float(a), float(b), float(c), float(d), unescape(t)) for a, b, c, d, t in WORD.findall(p)]
        for p in pages
    ]


def _collisions(words: list[tuple[float, float, float, float, str]]) -> list[tuple[str, str]]:
    """Pairs of words on the same line whose boxes overlap sideways (text running into text)."""
    out = []
    for i, a in enumerate(words):
        for b in words[i + 1 :]:
            vertical = min(a[3], b[3]) - max(a[1], b[1])
            horizontal = min(a[2], b[2]) - max(a[0], b[0])
            if vertical > 0.5 * min(a[3] - a[1], b[3] - b[1]) and horizontal > 0.5:
                out.append((a[4], b[4]))
    return out


def test_level_names_stay_inside_their_cells(login, submitted, tmp_path):  # noqa: F811
    a = submitted(FIRST, datetime(2024, 1, 15, tzinfo=UTC))
    b = submitted(SECOND, datetime(2025, 1, 15, tzinfo=UTC))
    client = login("viewer")
    for lang in ("en", "zh"):
        pdf = client.get(f"/compare/report.pdf?ids={a}&ids={b}&lang={lang}").data
        pages = _words(pdf, tmp_path)
        assert any("Level" in w[4] or "级" in w[4] for page in pages for w in page)
        if lang == "en":
            assert any(w[4] == "plant" for page in pages for w in page)
        for page in pages:
            assert not _collisions(page)


def test_comparison_csv_header_follows_the_language(login, submitted):  # noqa: F811
    """Item 11's sibling: the comparison CSV's column names are Chinese in a Chinese download."""
    a = submitted(FIRST, datetime(2024, 1, 15, tzinfo=UTC))
    b = submitted(SECOND, datetime(2025, 1, 15, tzinfo=UTC))
    client = login("viewer")
    english = client.get(f"/compare/report.csv?ids={a}&ids={b}&lang=en").data.decode("utf-8-sig")
    chinese = client.get(f"/compare/report.csv?ids={a}&ids={b}&lang=zh").data.decode("utf-8-sig")
    assert english.splitlines()[0].startswith("section,id,before,after")
    header = chinese.splitlines()[0].split(",")
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in name) for name in header), header
