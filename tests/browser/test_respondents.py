"""Several respondents in Chromium, in English and Chinese: two disagree, the owner settles."""

from __future__ import annotations

import re
from typing import Any

import pytest
from babel.support import Translations

from readiness.config import TRANSLATIONS_DIR
from readiness.db import get_sessionmaker
from readiness.web.assessment_forms import answer_name
from tests.factories import make_org
from tests.factories import make_user

pytestmark = pytest.mark.browser
PASSWORD = "several people answer apart"


def _translator(lang: str) -> Any:
    if lang == "en":
        return lambda text: text
    catalog = Translations.load(str(TRANSLATIONS_DIR), ["zh_Hans_CN"])
    return catalog.gettext


def _sign_in(browser: Any, base: str, email: str, lang: str, t: Any) -> Any:
    """A page of a new browser context, signed in as `email`, in `lang`."""
    from playwright.sync_api import expect

    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="zh-CN" if lang == "zh" else "en-GB"
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.on("dialog", lambda dialog: dialog.accept())  # the "are you sure?" of submit buttons
    page.goto(f"{base}/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name=t("Sign in")).click()
    expect(page).not_to_have_url(re.compile(r"/login"))
    return page


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_two_respondents_disagree_owner_settles_and_report_shows_it(
    live_server, live_app, browser, screenshot, lang
) -> None:
    from playwright.sync_api import expect

    t, base = _translator(lang), live_server
    questionnaire = live_app.extensions["catalogue"].get("smart-manufacturing-readiness")
    pillar = questionnaire.pillars[0].id
    question = next(q for q in questionnaire.questions_of(pillar) if q.type == "level")
    with get_sessionmaker(live_app)() as session:
        people = {
            who: make_user(session, f"{who}-{lang}@example.com", who.title(), PASSWORD, lang)
            for who in ("olga", "pat", "ian")
        }
        org = make_org(
            session,
            people["olga"],
            f"Works {lang}",
            {people["pat"]: "editor", people["ian"]: "viewer"},
        )
        ids = {who: user.id for who, user in people.items()}
        del org

    # The owner starts an assessment answered by several people and names two respondents.
    owner = _sign_in(browser, base, f"olga-{lang}@example.com", lang, t)
    owner.goto(f"{base}/assessments/new")
    owner.fill("#title", "Team view")
    owner.get_by_label(t("Several members answer apart; the owner consolidates")).check()
    owner.get_by_role("button", name=t("Start assessment")).click()
    expect(owner).to_have_url(re.compile(r"/respondents$"))
    assessment_id = re.search(r"/assessments/(\d+)/", owner.url).group(1)
    owner.check(f"#member_{ids['pat']}")
    owner.check(f"#member_{ids['ian']}")
    owner.get_by_role("button", name=t("Save respondents")).click()
    expect(owner.locator(".flash-success")).to_contain_text(t("Respondents saved."))
    screenshot(owner, f"respondents-01-assigned-{lang}")

    # Each respondent answers on their own and submits: Pat says 1, Ian says 4.
    for who, level in (("pat", 1), ("ian", 4)):
        page = _sign_in(browser, base, f"{who}-{lang}@example.com", lang, t)
        page.goto(f"{base}/assessments/{assessment_id}/my-answers/{pillar}")
        expect(page.locator("#private-note")).to_contain_text(
            t("Only you see these answers until you submit your part.")
        )
        page.check(f"#{answer_name(question.id)}-{level}")
        page.get_by_role("button", name=t("Save draft")).click()
        expect(page.locator(".flash-success")).to_be_visible()
        if who == "ian":  # Pat submitted already, yet Ian sees only his own answers so far
            page.goto(f"{base}/assessments/{assessment_id}/consolidation")
            expect(page.locator("body")).not_to_contain_text("Pat")
        page.goto(f"{base}/assessments/{assessment_id}/my-answers")
        page.get_by_role("button", name=t("Submit my part")).click()
        expect(page.locator("#part-status")).to_be_visible()
        page.context.close()

    # The owner sees the disagreement, settles it with a note and submits.
    owner.goto(f"{base}/assessments/{assessment_id}/consolidation")
    card = owner.locator(f"#{answer_name(question.id)}")
    expect(card.locator(".dispute-flag")).to_contain_text(
        t("Disagreement: %(n)d levels apart") % {"n": 3}
    )
    expect(card).to_contain_text("Pat")
    expect(card).to_contain_text("Ian")
    screenshot(owner, f"respondents-02-consolidation-{lang}")
    card.locator("select").select_option('["answered", 2]')
    card.locator("textarea").fill("Seen on the shop floor")
    card.get_by_role("button", name=t("Settle")).click()
    expect(owner.locator(".flash-success")).to_contain_text(t("Answer settled."))
    owner.get_by_role("button", name=t("Submit the consolidated assessment")).click()
    expect(owner).to_have_url(re.compile(r"/results$"))
    expect(owner.locator("#provenance")).to_contain_text(
        t("Consolidated from several respondents’ answers.")
    )

    # The report shows where they disagreed and how it was settled.
    owner.goto(f"{base}/assessments/{assessment_id}/report")
    section = owner.locator("#disagreements")
    expect(section).to_contain_text(t("Where respondents disagreed"))
    expect(section).to_contain_text("Seen on the shop floor")
    expect(section).to_contain_text("Pat")
    expect(section).to_contain_text("Ian")
    screenshot(owner, f"respondents-03-report-{lang}")
    owner.context.close()
