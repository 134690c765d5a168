"""A newcomer's whole walk-through in Chromium, in English and Chinese, on a desktop and a phone.

Register → organisation and profile → an assessment over two sittings → results and every
download → a share link, revoked → a repeat → the comparison → a viewer invited. Every page is
checked with axe-core (no serious or critical violation; its script is injected by the test, the
CSP is bypassed in this browser context only) and, on the phone, for sideways scrolling, words
broken mid-word, a tall header and chart text too small to read. Waits are expect(...) only.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from readiness.domain.questionnaire import Question
from readiness.domain.questionnaire import Questionnaire
from readiness.web.assessment_forms import answer_name
from readiness.web.assessment_forms import special_name
from readiness.web.profile_forms import field_name
from tests.browser import TIMEOUT_MS
from tests.browser.walkthrough_checks import DESKTOP
from tests.browser.walkthrough_checks import PHONE
from tests.browser.walkthrough_checks import axe_available
from tests.browser.walkthrough_checks import check_page

pytestmark = pytest.mark.browser

PASSWORD = "a long enough password"
LOCALES = {"en": "en-GB", "zh": "zh-CN"}
FORMATS = ("pdf", "docx", "xlsx", "csv", "json")


def _expect() -> Any:
    sync_api = pytest.importorskip("playwright.sync_api")
    sync_api.expect.set_options(timeout=TIMEOUT_MS)
    return sync_api.expect


def _answer(page: Any, question: Question, level: int) -> None:
    """Answer one question through its controls (level answers at `level`)."""
    name = answer_name(question.id)
    if question.type == "level":
        page.check(f"#{name}-{level}")
    elif question.type in ("single_choice", "yes_no", "multiple_choice"):
        page.check(f"#{name}-0")
    else:
        low, high = question.min or 0, question.max or 10
        page.fill(f"#{name}", str(int(low + (high - low) * level / 5)))


class Walk:
    """One walk-through: a browser context at one width, in one language."""

    def __init__(self, browser: Any, base: str, lang: str, viewport: dict, q: Questionnaire):
        self.expect = _expect()
        self.base, self.lang, self.q = base, lang, q
        self.phone = viewport["width"] < 600
        self.tag = f"{lang}-{viewport['width']}"
        self.context = browser.new_context(
            viewport=viewport, locale=LOCALES[lang], bypass_csp=True, accept_downloads=True
        )
        self.page = self.context.new_page()
        self.page.set_default_timeout(TIMEOUT_MS)
        self.screenshot: Any = lambda page, name: None

    def check(self, where: str) -> None:
        """The page has loaded (its heading), it is in the walk's language, and it passes."""
        self.expect(self.page.locator("h1").first).to_be_visible()
        toggle = self.page.locator(".site-header .menu-toggle")
        if toggle.count():  # the header folds behind "Menu" on a phone only
            if self.phone:
                self.expect(toggle).to_be_visible()
            else:
                self.expect(toggle).to_be_hidden()
        lang = "zh-Hans" if self.lang == "zh" else self.lang
        self.expect(self.page.locator("html")).to_have_attribute("lang", lang)
        check_page(self.page, f"{self.tag} {where}", self.phone)

    def submit(self, form: str = "main form") -> None:
        self.page.locator(f"{form} [type=submit]").first.click()

    def menu(self) -> None:
        """Open the folded header menu on a phone."""
        if self.phone:
            self.page.locator(".menu-toggle").click()
            self.expect(self.page.locator("#site-menu")).to_be_visible()

    def url(self, pattern: str) -> None:
        self.expect(self.page).to_have_url(re.compile(pattern))

    def fill_pillar(self, pillar_id: str, level: int, dont_know: str | None = None) -> None:
        for question in self.q.questions_of(pillar_id):
            if question.id == dont_know:
                self.page.check(f"input[name='{special_name(question.id)}'][value='dk']")
            else:
                _answer(self.page, question, level)
        self.page.locator("[name=save_next]").click()


def _register(walk: Walk, name: str, email: str) -> None:
    walk.page.goto(f"{walk.base}/register")
    walk.check("register")
    walk.page.fill("#name", name)
    walk.page.fill("#email", email)
    walk.page.fill("#password", PASSWORD)
    walk.page.fill("#confirm", PASSWORD)
    walk.submit()


def _setup_and_first_sitting(walk: Walk, email: str, pillars: list[str], dk: str) -> None:
    """Register, organisation, profile (then straight on to the first assessment), 2 pillars."""
    _register(walk, "Mei Lin", email)
    walk.url(r"/organisations/new$")
    walk.check("new organisation")
    walk.page.fill("#name", "Huaxin Intelligent Manufacturing Technology Co., Ltd.")
    walk.submit()
    walk.url(r"/organisations/\d+/profile$")
    walk.check("company profile")
    walk.page.select_option(f"#{field_name('sector')}", index=1)
    walk.submit()
    walk.url(r"/assessments/new$")  # the next step after setup: the first assessment
    walk.check("start the first assessment")
    walk.page.fill("#title", "Baseline")
    walk.submit()
    walk.url(rf"/pillars/{pillars[0]}$")
    walk.check("first pillar")
    _answers_can_be_taken_back(walk, pillars[0])
    walk.fill_pillar(pillars[0], 1, dont_know=dk)
    walk.url(rf"/pillars/{pillars[1]}$")
    walk.fill_pillar(pillars[1], 1)
    walk.url(rf"/pillars/{pillars[2]}$")
    walk.menu()
    walk.page.locator("form[action$='/logout'] button").click()
    walk.url(r"/login$")


def _answers_can_be_taken_back(walk: Walk, pillar_id: str) -> None:
    """"Don't know" works the same on every question type, and a chosen answer can be cleared."""
    page, expect = walk.page, walk.expect
    first = page.locator(".question").first
    if walk.phone:  # the header is folded: the first question starts on the first screen
        box = first.bounding_box()
        assert box is not None and box["y"] < PHONE["height"], box
    questions = {x.type: x for x in walk.q.questions_of(pillar_id)}
    level = questions["level"]
    radios = page.locator(f"input[name='{answer_name(level.id)}']")
    radios.nth(2).check()
    clear = page.locator(f".clear-answer[data-clear-for='{answer_name(level.id)}']")
    expect(clear).to_be_visible()
    clear.click()
    for index in range(radios.count()):
        expect(radios.nth(index)).not_to_be_checked()
    for question in (q for q in walk.q.questions_of(pillar_id) if q.dont_know):
        _answer(page, question, 3)  # an answer, then "don't know" instead: the answer goes
        page.check(f"input[name='{special_name(question.id)}'][value='dk']")
        answer = page.locator(f"[name='{answer_name(question.id)}']")
        if question.type == "number":
            expect(answer).to_have_value("")
        else:
            for index in range(answer.count()):
                expect(answer.nth(index)).not_to_be_checked()


def _second_sitting(walk: Walk, email: str, pillars: list[str]) -> str:
    """Sign in again, find the draft on the dashboard, finish, review, submit; the results URL."""
    walk.check("sign in")
    walk.page.fill("#email", email)
    walk.page.fill("#password", PASSWORD)
    walk.submit()
    walk.url(r"/$")
    walk.check("dashboard with a draft")
    walk.page.get_by_role("link", name="Baseline").click()
    walk.url(rf"/pillars/{pillars[0]}$")
    for pillar_id in pillars[2:]:
        walk.page.goto(walk.page.url.rsplit("/", 1)[0] + f"/{pillar_id}")
        walk.fill_pillar(pillar_id, 2)
    walk.url(r"/review$")
    walk.check("review")
    walk.expect(walk.page.locator(".answer-row.status-dont_know .flag")).to_have_count(1)
    walk.submit("form[action$='/submit']")
    walk.url(r"/results$")
    walk.check("results")
    walk.screenshot(walk.page, f"walk-{walk.tag}-results")
    return walk.page.url


def _downloads(walk: Walk) -> None:
    """Every format from the results page, in the page's language (downloaded on the desktop
    run; the phone run checks the same links are there, to keep the suite lean)."""
    links = walk.page.locator(".report-links .downloads li").first.locator("a")
    walk.expect(links).to_have_count(len(FORMATS))
    for index, fmt in enumerate(FORMATS):
        walk.expect(links.nth(index)).to_have_attribute("href", re.compile(rf"\.{fmt}\?lang="))
        if walk.phone:
            continue
        with walk.page.expect_download(timeout=TIMEOUT_MS) as info:
            links.nth(index).click()
        download = info.value
        assert download.suggested_filename.endswith(f"-{walk.lang}.{fmt}")
        assert download.failure() is None


def _share_and_revoke(walk: Walk, results: str) -> None:
    walk.page.goto(results.replace("/results", "/report"))
    walk.check("report")
    walk.page.goto(results.replace("/results", "/share"))
    walk.check("share")
    walk.submit("form[action$='/share']")
    link = walk.page.locator("#share-url")
    walk.expect(link).to_be_visible()
    shared = link.input_value()
    reader = walk.context.browser.new_page(locale=LOCALES[walk.lang], bypass_csp=True)
    reader.set_viewport_size(walk.page.viewport_size)
    reader.goto(shared)
    walk.expect(reader.locator("main, body").first).to_be_visible()
    check_page(reader, f"{walk.tag} shared report", walk.phone)
    walk.page.once("dialog", lambda dialog: dialog.accept())  # revoke asks first
    walk.page.locator("form[action*='/revoke'] button").click()
    walk.expect(walk.page.locator(".flash-success")).to_be_visible()
    reader.goto(shared)
    walk.expect(reader.locator(".error-code")).to_have_text("410")
    check_page(reader, f"{walk.tag} revoked link", walk.phone)
    reader.close()


def _repeat_and_compare(walk: Walk, results: str, pillars: list[str]) -> None:
    walk.page.goto(results)
    walk.page.fill("form[action$='/compare/repeat'] #title", "Six months later")
    walk.page.locator("form[action$='/compare/repeat'] button").click()
    walk.url(rf"/pillars/{pillars[0]}$")
    walk.check("repeat, prefilled")
    walk.page.goto(results)  # the repeat in progress is offered, not another one
    walk.expect(walk.page.locator("form[action$='/compare/repeat']")).to_have_count(0)
    walk.page.locator(".page-head a.button").first.click()
    walk.url(rf"/pillars/{pillars[0]}$")
    for pillar_id in pillars:  # last time's answers are filled in: improve the first pillars
        if pillar_id in pillars[:2]:
            walk.fill_pillar(pillar_id, 4)
        else:
            walk.page.locator("[name=save_next]").click()
        walk.expect(walk.page).not_to_have_url(re.compile(rf"/pillars/{pillar_id}$"))
    walk.url(r"/review$")
    walk.submit("form[action$='/submit']")
    walk.url(r"/results$")
    walk.page.goto(f"{walk.base}/compare/history")
    walk.check("history")
    for box in walk.page.locator("input[name=ids]").all():
        box.check()
    walk.page.locator("form[action$='/compare/'] button[type=submit]").click()
    walk.url(r"/compare/\?")
    walk.expect(walk.page.locator("svg.radar")).to_have_count(2)
    walk.expect(walk.page.locator(".measure-outcomes li").first).to_be_visible()
    walk.check("comparison")
    walk.screenshot(walk.page, f"walk-{walk.tag}-comparison")


def _invite_a_viewer(walk: Walk, browser: Any, viewport: dict) -> None:
    walk.menu()
    organisation = walk.page.locator(".org-current strong")  # the whole name, never cut off
    walk.expect(organisation).to_have_text("Huaxin Intelligent Manufacturing Technology Co., Ltd.")
    box = organisation.bounding_box()
    assert box is not None and box["x"] + box["width"] <= walk.page.viewport_size["width"]
    walk.page.locator("nav.main-nav a[href$='/members']").click()
    walk.url(r"/members$")
    walk.check("members")
    walk.page.fill("#email", f"viewer-{walk.tag}@example.com")
    walk.page.select_option("#role", "viewer")
    walk.submit("form[action$='/invitations']")
    link = walk.page.locator("#invite-link")
    walk.expect(link).to_be_visible()
    invitation = link.input_value()
    walk.expect(walk.page.locator("table.pending-invitations tbody tr")).to_have_count(1)
    walk.check("members with an open invitation")
    viewer = Walk(browser, walk.base, walk.lang, viewport, walk.q)
    _register(viewer, "Vera", f"viewer-{walk.tag}@example.com")
    viewer.url(r"/organisations/new$")
    viewer.page.goto(invitation)
    viewer.check("invitation")
    viewer.submit()
    viewer.url(r"/$")
    flash = viewer.page.locator(".flash-success")
    viewer.expect(flash).to_contain_text("Ltd.")
    assert "Ltd.." not in flash.inner_text() and "Ltd.。" not in flash.inner_text()
    viewer.check("viewer's dashboard")
    # a viewer is offered only what they may open: no draft links, no repeat, no share
    viewer.expect(viewer.page.locator("main a[href*='/pillars/']")).to_have_count(0)
    viewer.context.close()


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280px", "390px"])
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_walkthrough(live_server, live_app, browser, screenshot, lang, viewport):
    axe_available()
    q = live_app.extensions["catalogue"].get("smart-manufacturing-readiness")
    pillars = [p.id for p in q.pillars]
    walk = Walk(browser, live_server, lang, viewport, q)
    walk.screenshot = screenshot
    email = f"mei-{walk.tag}@example.com"
    dont_know = next(x.id for x in q.questions_of(pillars[0]) if x.dont_know)
    try:
        _setup_and_first_sitting(walk, email, pillars, dont_know)
        results = _second_sitting(walk, email, pillars)
        _downloads(walk)
        _share_and_revoke(walk, results)
        _repeat_and_compare(walk, results, pillars)
        _invite_a_viewer(walk, browser, viewport)
    finally:
        walk.context.close()
