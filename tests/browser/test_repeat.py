"""Repeating an assessment in Chromium: prefilled answers, last time's answer, the comparison."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from readiness.web.assessment_forms import answer_name
from tests.browser import TIMEOUT_MS
from tests.browser.test_journey import answer
from tests.browser.test_journey import register_and_start

pytestmark = pytest.mark.browser

EMAIL = "li@example.com"
PASSWORD = "another long enough password"


def save_every_pillar(page: Any, pillars: list[str], before_save: Any = None) -> None:
    """Walk through the pillar pages with "Save and continue" (answering with `before_save`)."""
    for pillar_id in pillars:
        expect(page).to_have_url(re.compile(f"/pillars/{pillar_id}$"))
        if before_save is not None:
            before_save(pillar_id)
        page.get_by_role("button", name="Save and continue").click()
        expect(page).not_to_have_url(re.compile(f"/pillars/{pillar_id}$"))


def test_repeat_from_the_prefilled_assessment_and_compare(
    live_server, live_app, browser, screenshot
):
    base = live_server
    questionnaire = live_app.extensions["catalogue"].get("smart-manufacturing-readiness")
    pillars = [p.id for p in questionnaire.pillars]
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)

    register_and_start(
        page,
        base,
        name="Li Wei",
        email=EMAIL,
        password=PASSWORD,
        organisation="Wei Castings",
        title="Baseline",
    )

    def first_answers(pillar_id: str) -> None:
        for question in questionnaire.questions_of(pillar_id):
            answer(page, question)

    save_every_pillar(page, pillars, first_answers)
    page.get_by_role("button", name="Submit assessment").click()
    expect(page).to_have_url(re.compile(r"/results$"))

    # Repeat: the new draft opens with last time's answers filled in and shown.
    page.goto(f"{base}/compare/history")
    page.fill("#title", "Six months later")
    page.get_by_role("button", name="Repeat the assessment").click()
    expect(page).to_have_url(re.compile(f"/pillars/{pillars[0]}$"))
    level = next(q for q in questionnaire.questions_of(pillars[0]) if q.type == "level")
    name = answer_name(level.id)
    expect(page.locator(f"#{name}-3")).to_be_checked()
    expect(page.locator(".previous-answer").first).to_be_visible()
    expect(page.locator(".previous-answer").first).to_contain_text("Last time:")
    screenshot(page, "repeat-01-prefilled")

    def improve(pillar_id: str) -> None:
        for question in questionnaire.questions_of(pillar_id):
            if question.type == "level":
                page.check(f"#{answer_name(question.id)}-5")

    save_every_pillar(page, pillars, improve)
    expect(page).to_have_url(re.compile(r"/review$"))
    page.get_by_role("button", name="Submit assessment").click()
    expect(page).to_have_url(re.compile(r"/results$"))

    # Compare the two from the history page.
    page.goto(f"{base}/compare/history")
    expect(page.locator("svg.trend")).to_be_visible()
    screenshot(page, "repeat-02-history")
    for box in page.locator("input[name=ids]").all():
        box.check()
    page.get_by_role("button", name="Compare", exact=True).click()
    expect(page).to_have_url(re.compile(r"/compare/\?"))
    expect(page.get_by_role("heading", name="Scores and levels")).to_be_visible()
    expect(page.locator("svg.radar").first).to_be_visible()
    expect(page.locator("table.comparison-table").first).to_contain_text("improved")
    screenshot(page, "repeat-03-comparison")
    context.close()
