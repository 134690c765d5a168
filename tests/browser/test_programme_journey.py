"""A programme in Chromium, in English and Chinese: an operator creates it, a firm joins and
consents, submits, appears in the cohort, withdraws, and its row is gone."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

PASSWORD = "a long enough password"
TEXTS = {
    "en": {"locale": "en-GB", "cohort": "Cohort of", "joined": "Programmes"},
    "zh": {"locale": "zh-CN", "cohort": "的企业群体", "joined": "参与的项目"},
}


def _register(page: Any, base: str, email: str, organisation: str) -> int:
    """Register, create an organisation; its ID."""
    page.goto(f"{base}/register")
    page.fill("#name", email.split("@")[0])
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.fill("#confirm", PASSWORD)
    page.locator("main #submit").click()
    expect(page).to_have_url(re.compile(r"/organisations/new"))
    page.fill("#name", organisation)
    page.locator("main #submit").click()
    expect(page).to_have_url(re.compile(r"/organisations/\d+/profile"))
    return int(re.search(r"/organisations/(\d+)/", page.url).group(1))


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_operator_and_firm_journey(live_server, browser, screenshot, lang):
    base, texts = live_server, TEXTS[lang]
    operator = browser.new_context(viewport={"width": 1280, "height": 900}, locale=texts["locale"])
    firm = browser.new_context(viewport={"width": 1280, "height": 900}, locale=texts["locale"])
    op, fp = operator.new_page(), firm.new_page()
    for page in (op, fp):
        page.set_default_timeout(15_000)

    # The operator creates a programme and an invitation link.
    park = _register(op, base, f"operator-{lang}@example.com", f"Park {lang}")
    op.goto(f"{base}/organisations/{park}/programmes/new")
    op.fill("#name", f"Pilot {lang}")
    op.locator("input[name=questionnaires][value=smart-manufacturing-readiness]").check()
    op.fill("#starts_on", "2020-01-01")
    op.locator("main #submit").click()
    expect(op).to_have_url(re.compile(r"/programmes/\d+/$"))
    programme_url = op.url
    op.locator("main #submit").click()  # an invitation without an address: a link
    link = op.locator("#invite-link").input_value()
    assert "/programmes/join/" in link

    # The firm joins with its own organisation and consents to share its results.
    firm_name = f"Firm {lang} Ltd"
    firm_id = _register(fp, base, f"firm-{lang}@example.com", firm_name)
    fp.goto(link)
    fp.locator("#consent-0").check()  # results only
    fp.locator("main #submit").click()
    expect(fp).to_have_url(re.compile(rf"/organisations/{firm_id}/programmes-joined/$"))
    expect(fp.locator("h1")).to_contain_text(texts["joined"])

    # The firm submits an assessment (unanswered questions confirmed).
    fp.goto(f"{base}/assessments/new")
    fp.fill("#title", "T0")
    fp.locator("main #submit").click()
    expect(fp).to_have_url(re.compile(r"/pillars/"))
    assessment = re.search(r"/assessments/(\d+)/", fp.url).group(1)
    fp.goto(f"{base}/assessments/{assessment}/review")
    fp.locator("#confirm_incomplete").check()
    fp.locator("form[action$='/submit'] #submit").click()
    expect(fp).to_have_url(re.compile(r"/results$"))

    # The operator sees the firm in the cohort.
    op.goto(programme_url + "cohort")
    expect(op.locator("h1")).to_contain_text(texts["cohort"])
    expect(op.locator("table.cohort-firms")).to_contain_text(firm_name)
    screenshot(op, f"programme-cohort-{lang}")

    # The firm withdraws its consent; the operator no longer sees its row.
    fp.goto(f"{base}/organisations/{firm_id}/programmes-joined/")
    fp.locator("input[value=withdraw]").check()
    fp.locator(
        "form[action$='/consent'] button[type=submit], form[action$='/consent'] input[type=submit]"
    ).click()
    expect(fp.locator("input[value=withdraw]")).to_be_checked()
    op.reload()
    expect(op.locator("table.cohort-firms")).not_to_contain_text(firm_name)
    op.goto(programme_url)
    expect(op.locator("main")).not_to_contain_text(firm_name)
    operator.close()
    firm.close()
