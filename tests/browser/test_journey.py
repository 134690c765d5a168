"""The journey in Chromium: register, fill two pillars, come back days later, finish, submit."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from readiness.domain.questionnaire import Question
from readiness.domain.questionnaire import Questionnaire
from readiness.web.assessment_forms import answer_name
from tests.browser import TIMEOUT_MS

pytestmark = pytest.mark.browser

EMAIL = "mei@example.com"
PASSWORD = "a long enough password"


def answer(page: Any, question: Question) -> None:
    """Answer one question through its controls (a middling answer of each type)."""
    name = answer_name(question.id)
    if question.type == "level":
        page.check(f"#{name}-3")
    elif question.type in ("single_choice", "yes_no"):
        page.check(f"#{name}-0")
    elif question.type == "multiple_choice":
        page.check(f"#{name}-0")
    else:
        page.fill(
            f"#{name}",
            str(int((question.min or 0) + ((question.max or 10) - (question.min or 0)) / 4)),
        )


def fill_pillar(page: Any, questionnaire: Questionnaire, pillar_id: str) -> None:
    """Answer every question of the current pillar page and save it, moving on."""
    for question in questionnaire.questions_of(pillar_id):
        answer(page, question)
    current = page.url
    page.get_by_role("button", name="Save and continue").click()
    expect(page).not_to_have_url(current)


def sign_in(page: Any, base: str) -> None:
    """Sign in through the login page."""
    page.goto(f"{base}/login")
    page.fill("#email", EMAIL)
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).not_to_have_url(re.compile(r"/login"))


def register_and_start(
    page: Any, base: str, *, name: str, email: str, password: str, organisation: str, title: str
) -> None:
    """Register a new user, create their organisation and start an assessment of the flagship."""
    page.goto(f"{base}/register")
    page.fill("#name", name)
    page.fill("#email", email)
    page.fill("#password", password)
    page.fill("#confirm", password)
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("button", name="Create organisation")).to_be_visible()
    page.fill("#name", organisation)
    page.get_by_role("button", name="Create organisation").click()
    expect(page).not_to_have_url(re.compile(r"/organisations/new"))
    page.goto(f"{base}/assessments/new")
    page.fill("#title", title)
    page.get_by_role("button", name="Start assessment").click()
    expect(page).to_have_url(re.compile(r"/pillars/"))


def test_fill_over_two_sittings_and_read_results(live_server, live_app, browser, screenshot):
    base = live_server
    questionnaire = live_app.extensions["catalogue"].get("smart-manufacturing-readiness")
    pillars = [p.id for p in questionnaire.pillars]
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)

    # First sitting: register, create the organisation, start, fill two pillars.
    register_and_start(
        page,
        base,
        name="Mei Lin",
        email=EMAIL,
        password=PASSWORD,
        organisation="Lin Precision Parts",
        title="Readiness 2025",
    )
    expect(page).to_have_url(re.compile(f"/pillars/{pillars[0]}$"))
    screenshot(page, "01-fill-first-pillar")

    # A wrong number keeps everything typed and says why beside the field.
    number = next(q for q in questionnaire.questions_of(pillars[0]) if q.type == "number")
    level = next(q for q in questionnaire.questions_of(pillars[0]) if q.type == "level")
    answer(page, level)
    page.fill(f"#{answer_name(number.id)}", "lots")
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator(f"#{answer_name(number.id)}-error")).to_contain_text("number")
    expect(page.locator(f"#{answer_name(number.id)}")).to_have_value("lots")
    expect(page.locator(f"#{answer_name(level.id)}-3")).to_be_checked()
    screenshot(page, "02-validation-error")

    fill_pillar(page, questionnaire, pillars[0])
    expect(page).to_have_url(re.compile(f"/pillars/{pillars[1]}$"))
    fill_pillar(page, questionnaire, pillars[1])
    expect(page).to_have_url(re.compile(f"/pillars/{pillars[2]}$"))
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)
    context.clear_cookies()
    context.close()

    # Days later, in a fresh browser: the session is gone, sign in again, find the draft.
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(f"{base}/assessments/")
    expect(page).to_have_url(re.compile(r"/login"))
    sign_in(page, base)
    page.goto(f"{base}/")
    screenshot(page, "03-dashboard-draft")
    page.get_by_role("link", name="Readiness 2025").click()
    nav = page.locator("nav.pillar-nav")
    for pillar_id in pillars[:2]:
        total = len(questionnaire.questions_of(pillar_id))
        title = questionnaire.pillar(pillar_id).title.get("en")
        expect(nav.locator("li", has_text=title)).to_contain_text(f"{total} of {total}")
    for pillar_id in pillars[2:]:
        nav.get_by_role("link", name=questionnaire.pillar(pillar_id).title.get("en")).click()
        fill_pillar(page, questionnaire, pillar_id)
    expect(page).to_have_url(re.compile(r"/review$"))
    expect(page.get_by_text("Every question is answered")).to_be_visible()
    screenshot(page, "04-review")

    page.get_by_role("button", name="Submit assessment").click()
    expect(page).to_have_url(re.compile(r"/assessments/\d+/results$"))
    expect(page.get_by_role("heading", name="Overall readiness")).to_be_visible()
    expect(page.get_by_role("heading", name="What would move us up")).to_be_visible()
    screenshot(page, "05-results")

    # The same pages on a phone.
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "06-results-phone")
    page.goto(f"{base}/assessments/")
    expect(page.get_by_role("link", name="Results").first).to_be_visible()
    screenshot(page, "07-list-phone")
    wide = "document.documentElement.scrollWidth > window.innerWidth"
    assert not page.evaluate(wide), "the assessments list scrolls sideways on a phone"
    page.get_by_role("link", name="Results").click()
    expect(page).to_have_url(re.compile(r"/results$"))
    expect(page.get_by_role("heading", name="Overall readiness")).to_be_visible()
    assert not page.evaluate(wide), "the results page scrolls sideways on a phone"
    context.close()
