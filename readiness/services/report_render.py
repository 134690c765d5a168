"""Rendering a report to HTML (the shared template) and to PDF with WeasyPrint, with a PDF cache."""

from __future__ import annotations

import fcntl
import hashlib
import logging
import os
import tempfile
from collections.abc import Callable
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from flask import current_app

from readiness.db import get_sessionmaker
from readiness.i18n import use_language
from readiness.models import Assessment
from readiness.services.isolation import run_isolated
from readiness.services.questionnaires import UnknownQuestionnaire
from readiness.services.report_model import ReportData
from readiness.services.reports import assessment_report_data
from readiness.services.tree_report import TreeReport

TEMPLATE = "reports/report.html"
TREE_TEMPLATE = "reports/tree_report.html"  # a format-2 questionnaire's report
CSS_PATH = Path("css") / "report.css"

log = logging.getLogger(__name__)


def report_css() -> str:
    """The report stylesheet's text (inlined into PDFs and standalone HTML files)."""
    return (Path(current_app.static_folder or "static") / CSS_PATH).read_text(encoding="utf-8")


def render_html(
    data: ReportData | TreeReport,
    *,
    standalone: bool = True,
    toolbar: Mapping[str, Any] | None = None,
) -> str:
    """The report as an HTML document in the report's language.

    standalone=True inlines the stylesheet (files, PDF); False links it (the web page, whose
    Content-Security-Policy forbids inline styles). Needs an app context.
    """
    name = TREE_TEMPLATE if isinstance(data, TreeReport) else TEMPLATE
    template = current_app.jinja_env.get_template(name)
    with use_language(data.lang):
        return template.render(
            data=data, inline_css=report_css() if standalone else None, toolbar=toolbar
        )


def render_pdf(data: ReportData | TreeReport) -> bytes:
    """The report as an A4 PDF (page numbers, running header, table of contents with pages)."""
    # Imported here: WeasyPrint loads Pango and fonts, which only PDF rendering needs.
    from weasyprint import HTML

    html = render_html(data, standalone=True)
    base = current_app.static_folder or "."
    return HTML(string=html, base_url=str(base)).write_pdf()


def cache_dir() -> Path:
    """Where rendered PDFs are kept: REPORT_CACHE_DIR, else instance/reports."""
    configured = current_app.config.get("REPORT_CACHE_DIR")
    return Path(configured) if configured else Path(current_app.instance_path) / "reports"


def cache_key(assessment_id: int, submitted_at: datetime | None, lang: str, extra: str = "") -> str:
    """A file name unique to one submission of one assessment in one language."""
    stamp = submitted_at.strftime("%Y%m%dT%H%M%S%f") if submitted_at else "draft"
    digest = hashlib.sha256(extra.encode("utf-8")).hexdigest()[:12]
    return f"assessment-{assessment_id}-{stamp}-{lang}-{digest}.pdf"


def _key_parts(name: str) -> tuple[str, str, str, str] | None:
    """(assessment id, submission stamp, language, digest) of a cache file name, else None."""
    if not (name.startswith("assessment-") and name.endswith(".pdf")):
        return None
    parts = name[len("assessment-") : -len(".pdf")].split("-")
    if len(parts) != 4:
        return None
    assessment_id, stamp, lang, digest = parts
    return assessment_id, stamp, lang, digest


def remove_superseded(key: str, directory: Path | None = None) -> list[Path]:
    """Delete the cached PDFs that `key` supersedes; returns the deleted paths.

    Those are the same assessment's PDFs of other submissions (it was reopened and submitted
    again), and of this submission in the same language under an older organisation name.
    """
    directory = directory or cache_dir()
    mine = _key_parts(key)
    if mine is None:
        return []
    removed: list[Path] = []
    for path in directory.glob(f"assessment-{mine[0]}-*.pdf"):
        other = _key_parts(path.name)
        if other is None or path.name == key or other[0] != mine[0]:
            continue
        if other[1] != mine[1] or other[2] == mine[2]:
            try:
                path.unlink()
            except OSError as exc:
                log.warning("could not delete stale report PDF %s: %s", path, exc)
                continue
            removed.append(path)
    return removed


def cached_pdf(key: str, build: Callable[[], bytes], directory: Path | None = None) -> bytes:
    """The PDF stored under `key`, building and storing it on first use (atomic write).

    Built at most once: a lock file next to it makes a second caller (another thread, worker
    process or the background job) wait for the first one's PDF instead of rendering it again.
    Storing it deletes the PDFs it supersedes (see remove_superseded), so that the cache keeps
    only the assessment's latest submission.
    """
    directory = directory or cache_dir()
    path = directory / key
    try:
        return path.read_bytes()
    except FileNotFoundError:
        pass
    lock_path = directory / f"{key}.lock"
    try:
        directory.mkdir(parents=True, exist_ok=True)
        lock = open(lock_path, "a+b")  # noqa: SIM115 (closed in finally)
    except OSError as exc:  # a read-only instance folder must not break the download
        log.warning("could not cache report PDF %s: %s", path, exc)
        return build()
    try:
        fcntl.flock(lock, fcntl.LOCK_EX)  # waits while another process renders this PDF
        try:
            return path.read_bytes()  # it rendered it while we waited
        except FileNotFoundError:
            pass
        pdf = build()
        try:
            fd, tmp = tempfile.mkstemp(dir=directory, suffix=".part")
            with os.fdopen(fd, "wb") as handle:
                handle.write(pdf)
            os.replace(tmp, path)
        except OSError as exc:
            log.warning("could not cache report PDF %s: %s", path, exc)
            return pdf
        # The PDF exists now, so whoever waits on this lock finds it; a later caller finds the
        # PDF before it would need a lock. Removing the file keeps the cache folder clean.
        lock_path.unlink(missing_ok=True)
    finally:
        lock.close()  # releases the lock
    remove_superseded(key, directory)
    return pdf


def assessment_pdf_key(assessment: Assessment, lang: str, plan_digest: str = "") -> str:
    """The cache key of a submitted assessment's PDF in `lang`.

    It changes with a new submission and with the organisation's plan (the report has a plan
    section), so a stale PDF is never served.
    """
    extra = f"{assessment.organisation.name}|{assessment.questionnaire_id}|{plan_digest}"
    return cache_key(assessment.id, assessment.submitted_at, lang, extra)


def assessment_pdf(assessment: Assessment, data: ReportData | TreeReport) -> bytes:
    """The PDF of this submission in the report's language, rendered once, then from the cache."""
    key = assessment_pdf_key(assessment, data.lang, data.plan_digest)
    return cached_pdf(key, lambda: run_isolated(_render_pdf, data))


def _render_pdf(data: ReportData | TreeReport) -> bytes:
    return render_pdf(data)  # looked up at call time, so tests can patch render_pdf


def prerender_reports(assessment_id: int) -> list[str]:
    """Render a submitted assessment's PDF in every questionnaire language (a background job).

    Returns the languages rendered; nothing for a draft or an unknown questionnaire.
    """
    session = get_sessionmaker()()
    try:
        assessment = session.get(Assessment, assessment_id)
        if assessment is None or assessment.status != "submitted":
            return []
        try:
            questionnaire = current_app.extensions["catalogue"].get(
                assessment.questionnaire_id, assessment.questionnaire_version
            )
        except UnknownQuestionnaire:
            return []
        for lang in questionnaire.languages:
            data = assessment_report_data(session, questionnaire, assessment, lang)
            assessment_pdf(assessment, data)
        return list(questionnaire.languages)
    finally:
        session.close()
