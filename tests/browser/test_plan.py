"""The plan loop in Chromium, in English and Chinese: adopt, mark done, repeat, compare."""

from __future__ import annotations

import re
from typing import Any

import pytest
from babel.support import Translations

from readiness.config import TRANSLATIONS_DIR
from readiness.domain.plan_links import linked_questions
from readiness.web.assessment_forms import answer_name
from tests.browser import TIMEOUT_MS
from tests.browser.test_journey import register_and_start

pytestmark = pytest.mark.browser
PASSWORD = "a plan needs a long password"


def _translator(lang: str) -> Any:
    if lang == "en":
        return lambda text: text
    catalog = Translations.load(str(TRANSLATIONS_DIR), ["zh_Hans_CN"])
    return catalog.gettext


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_adopt_mark_done_repeat_and_see_it_beside_the_improved_score(
    live_server, live_app, browser, screenshot, lang
) -> None:
    from playwright.sync_api import expect

    t = _translator(lang)
    base = live_server
    questionnaire = live_app.extensions["catalogue"].get("smart-manufacturing-readiness")
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    register_and_start(
        page,
        base,
        name="Zhou Min",
        email=f"zhou-{lang}@example.com",
        password=PASSWORD,
        organisation=f"Zhou Stamping {lang}",
        title="Baseline",
    )
    expect(page).to_have_url(re.compile(r"/assessments/\d+/pillars/"))
    first_id = re.search(r"/assessments/(\d+)/", page.url).group(1)
    page.goto(f"{base}/assessments/{first_id}/review?lang={lang}")
    page.check("#confirm_incomplete")
    page.get_by_role("button", name=t("Submit assessment")).click()
    expect(page).to_have_url(re.compile(r"/results$"))

    # Adopt the first recommended action into the plan.
    box = page.locator("input[name=keys]").first
    key = box.get_attribute("value")
    measure_id, action_id = key.split("|", 1)
    measure = questionnaire.measure(measure_id)
    action = next(a for a in measure.actions if a.id == action_id)
    title = action.text.get(lang)
    box.check()
    screenshot(page, f"plan-01-adopt-{lang}")
    page.get_by_role("button", name=t("Add the chosen actions to the plan")).click()
    expect(page).to_have_url(re.compile(r"/plan/$"))
    row = page.locator("table.plan-table tbody tr", has_text=title)
    expect(row).to_have_count(1)
    expect(page.locator("svg.plan-timeline")).to_have_count(0)  # no dates yet

    # Mark it done from the list.
    row.get_by_role("button", name=re.compile("^" + re.escape(t("Mark done")))).click()
    expect(page.locator(".flash-success")).to_contain_text(t("Done"))
    expect(row.locator(".status-badge")).to_have_text(t("Done"))
    screenshot(page, f"plan-02-done-{lang}")
    row.get_by_role("link", name=title).click()
    expect(page.locator(".plan-history")).to_contain_text("Zhou Min")

    # Repeat: the questions the action should move show it, done since the last assessment.
    page.goto(f"{base}/compare/history")
    page.fill("#title", "Six months later")
    page.get_by_role("button", name=t("Repeat the assessment")).click()
    expect(page).to_have_url(re.compile(r"/pillars/"))
    repeat_id = re.search(r"/assessments/(\d+)/", page.url).group(1)
    area = next(a for a in questionnaire.challenge_areas if a.measure == measure_id)
    linked = [
        questionnaire.question(q) for q in linked_questions(questionnaire, area.id, action.pillar)
    ]
    pillars = sorted({q.pillar for q in linked}, key=[p.id for p in questionnaire.pillars].index)
    for number, pillar_id in enumerate(pillars):
        page.goto(f"{base}/assessments/{repeat_id}/pillars/{pillar_id}")
        levels = [q for q in linked if q.pillar == pillar_id and q.type == "level"]
        first = next(q for q in linked if q.pillar == pillar_id)
        # The linked actions follow the question card (whose markup is rendered once and cached).
        note = page.locator(f"#{answer_name(first.id)}-q + .plan-links")
        expect(note).to_contain_text(title)
        expect(note).to_contain_text(t("done since the last assessment"))
        if number == 0:
            screenshot(page, f"plan-03-repeat-{lang}")
        for question in levels:
            page.check(f"#{answer_name(question.id)}-5")
        page.get_by_role("button", name=t("Save draft")).click()
        expect(page.locator(".flash-success")).to_be_visible()
    page.goto(f"{base}/assessments/{repeat_id}/review")
    page.check("#confirm_incomplete")
    page.get_by_role("button", name=t("Submit assessment")).click()
    expect(page).to_have_url(re.compile(r"/results$"))

    # Compare: the done action stands beside its measure's improved result.
    page.goto(f"{base}/compare/history")
    page.check(f"#pick-{first_id}")
    page.check(f"#pick-{repeat_id}")
    page.get_by_role("button", name=t("Compare"), exact=True).click()
    section = page.locator("section.plan-outcomes")
    expect(section).to_contain_text(t("Action plan: did it help?"))
    outcome = section.locator("tbody tr", has_text=title)
    expect(outcome).to_contain_text(f"§{measure_id}")
    expect(outcome.locator(".trend-improved")).to_be_visible()
    screenshot(page, f"plan-04-compare-{lang}")
    context.close()
