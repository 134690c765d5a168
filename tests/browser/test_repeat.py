"""Repeating an assessment in Chromium: prefilled answers, last time's answer, the comparison."""

from __future__ import annotations

from typing import Any

import pytest

from readiness.web.assessment_forms import answer_name
from tests.browser.test_journey import answer
from tests.browser.test_journey import register_and_start

pytestmark = pytest.mark.browser

EMAIL = "li@example.com"
PASSWORD = "another long enough password"


def save_every_pillar(page: Any, pillars: list[str], before_save: Any = None) -> None:
    """Walk through the pillar pages with "Save and continue" (answering with `before_save`)."""
    for pillar_id in pillars:
        assert f"/pillars/{pillar_id}" in page.url
        if before_save is not None:
            before_save(pillar_id)
        page.get_by_role("button", name="Save and continue").click()
        page.wait_for_load_state()


def test_repeat_from_the_prefilled_assessment_and_compare(
    live_server, live_app, browser, screenshot
):
    base = live_server
    questionnaire = live_app.extensions["catalogue"].get("smart-manufacturing-readiness")
    pillars = [p.id for p in questionnaire.pillars]
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15_000)

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
    assert "/results" in page.url

    # Repeat: the new draft opens with last time's answers filled in and shown.
    page.goto(f"{base}/compare/history")
    page.fill("#title", "Six months later")
    page.get_by_role("button", name="Repeat the assessment").click()
    assert f"/pillars/{pillars[0]}" in page.url
    level = next(q for q in questionnaire.questions_of(pillars[0]) if q.type == "level")
    name = answer_name(level.id)
    assert page.is_checked(f"#{name}-3")
    assert page.locator(".previous-answer").first.is_visible()
    assert "Last time:" in page.locator(".previous-answer").first.inner_text()
    screenshot(page, "repeat-01-prefilled")

    def improve(pillar_id: str) -> None:
        for question in questionnaire.questions_of(pillar_id):
            if question.type == "level":
                page.check(f"#{answer_name(question.id)}-5")

    save_every_pillar(page, pillars, improve)
    assert "/review" in page.url
    page.get_by_role("button", name="Submit assessment").click()
    assert "/results" in page.url

    # Compare the two from the history page.
    page.goto(f"{base}/compare/history")
    assert page.locator("svg.trend").is_visible()
    screenshot(page, "repeat-02-history")
    for box in page.locator("input[name=ids]").all():
        box.check()
    page.get_by_role("button", name="Compare", exact=True).click()
    assert "/compare/?" in page.url
    assert page.get_by_role("heading", name="Scores and levels").is_visible()
    assert page.locator("svg.radar").first.is_visible()
    assert "improved" in page.locator("table.comparison-table").first.inner_text()
    screenshot(page, "repeat-03-comparison")
    context.close()
