"""English and Simplified Chinese: catalogs complete and current, locale choice, formats, CLI."""

from __future__ import annotations

import re
from datetime import date
from datetime import datetime
from pathlib import Path

import pytest
from babel.messages.checkers import python_format
from flask import render_template_string
from flask_babel import gettext

from readiness import i18n
from readiness import languages
from readiness.cli import cli
from readiness.cli import language as cli_language_module
from readiness.domain.questionnaire import Text
from readiness.models import User
from tests.factories import DEFAULT_PASSWORD
from tests.i18n_checks import POT
from tests.i18n_checks import TRANSLATIONS
from tests.i18n_checks import catalog_paths
from tests.i18n_checks import compile_catalogs
from tests.i18n_checks import english_words
from tests.i18n_checks import extract_messages
from tests.i18n_checks import message_ids
from tests.i18n_checks import read_catalog
from tests.paths import ROOT

ZH_HEADERS = {"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.5"}
EN_HEADERS = {"Accept-Language": "en-GB,en;q=0.8"}


@pytest.fixture(scope="session", autouse=True)
def compiled_catalogs() -> None:
    """Compile the .po catalogs to .mo, as `make translations` does (the .mo are not committed)."""
    compile_catalogs()  # done before the workers start too (conftest.py), so rarely needed here
    cli_language_module._cli_translations.cache_clear()


# --- the catalogs --------------------------------------------------------------------------------


def test_there_is_a_catalog_per_language() -> None:
    """Chinese is catalogued as zh_Hans_CN; English has its own catalog too."""
    locales = {p.parent.parent.name for p in catalog_paths()}
    assert locales == {languages.locale_for(lang) for lang in ("en", "zh")}


@pytest.mark.parametrize("path", catalog_paths(), ids=lambda p: p.parent.parent.name)
def test_catalog_is_complete(path: Path) -> None:
    """No entry is empty or fuzzy, and every translation keeps the message's placeholders."""
    catalog = read_catalog(path)
    problems = []
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy:
            problems.append(f"fuzzy: {message.id!r}")
        elif not all(strings):
            problems.append(f"untranslated: {message.id!r}")
        elif message.python_format:
            try:
                python_format(catalog, message)
            except Exception as exc:  # babel raises TranslationError
                problems.append(f"placeholders of {message.id!r}: {exc}")
    assert not problems, f"{path.relative_to(ROOT)}:\n" + "\n".join(problems)


def test_template_and_catalogs_are_up_to_date(tmp_path: Path) -> None:
    """Re-extracting the sources gives the committed .pot's messages, and each catalog has them."""
    extracted = message_ids(extract_messages(tmp_path / "messages.pot"))
    committed = message_ids(read_catalog(POT))
    hint = "run `.venv/bin/python tools/update_messages.py` and translate what it lists"
    assert extracted - committed == set(), f"new messages not in messages.pot; {hint}"
    assert committed - extracted == set(), f"messages.pot has messages the code dropped; {hint}"
    for path in catalog_paths():
        assert message_ids(read_catalog(path)) == extracted, f"{path} is out of date; {hint}"


def test_no_translatable_text_hides_where_extraction_never_looks() -> None:
    """pybabel skips folders named "_…" or ".…": texts there never reach a catalog."""
    hidden = [
        path.relative_to(ROOT)
        for path in (ROOT / "readiness").rglob("*")
        if path.suffix in (".py", ".html")
        and any(part.startswith(("_", ".")) for part in path.relative_to(ROOT).parts[1:-1])
        and "__pycache__" not in path.parts
        and re.search(r"\b(_|_l|gettext|lazy_gettext|ngettext)\(", path.read_text(encoding="utf-8"))
    ]
    assert hidden == [], "move these out of the skipped folder (or their texts out of them)"


def test_chinese_catalog_uses_the_fields_terms() -> None:
    """One term per concept: pillar → 维度, challenge area → 挑战领域, measure → 举措."""
    catalog = read_catalog(TRANSLATIONS / "zh_Hans_CN" / "LC_MESSAGES" / "messages.po")
    terms = {"Pillar": "维度", "Challenge area": "挑战领域", "Measure": "举措", "Level": "等级"}
    for english, chinese in terms.items():
        assert catalog.get(english) is not None and catalog.get(english).string == chinese


def test_no_code_bypasses_the_language_mapping() -> None:
    """`str(get_locale())` is `zh_Hans_CN`, not a language; force_locale('zh') finds no catalog."""
    offenders = []
    for path in (ROOT / "readiness").rglob("*.py"):
        if path.name == "i18n.py":
            continue
        text = path.read_text(encoding="utf-8")
        if re.search(r"str\(get_locale\(\)|force_locale\(", text):
            offenders.append(str(path.relative_to(ROOT)))
    assert not offenders, (
        "use readiness.i18n.current_language() / use_language(lang) instead in: "
        + ", ".join(offenders)
    )


# --- locale selection and the switcher ---------------------------------------------------------


def test_locale_mapping() -> None:
    """Language codes map to Babel locales and back."""
    assert languages.locale_for("zh") == "zh_Hans_CN"
    assert languages.locale_for("en") == "en"
    assert languages.language_of("zh_Hans_CN") == "zh"
    assert languages.language_of(None) == "en"


@pytest.mark.parametrize(
    ("headers", "lang", "expected"),
    [
        (ZH_HEADERS, "zh-Hans", "登录"),
        ({"Accept-Language": "zh-TW,zh;q=0.9"}, "zh-Hans", "登录"),
        (EN_HEADERS, "en", "Sign in"),
        ({"Accept-Language": "fr-FR,fr;q=0.9"}, "en", "Sign in"),
    ],
)
def test_accept_language_is_honoured(client, headers, lang, expected) -> None:
    """Without a choice, the browser's Accept-Language decides (English when none fits)."""
    page = client.get("/login", headers=headers).get_data(as_text=True)
    assert f'<html lang="{lang}">' in page
    assert f"<h1>{expected}</h1>" in page


def test_query_language_wins_over_the_browser(client) -> None:
    """?lang=zh shows the page in Chinese even when the browser asks for English."""
    page = client.get("/login?lang=zh", headers=EN_HEADERS).get_data(as_text=True)
    assert "<h1>登录</h1>" in page


def test_a_late_response_does_not_undo_a_language_choice(app, auth) -> None:
    """Only a response that changed the session sends it back.

    A browser fetches a page's stylesheet and icon while the user moves on; a response that
    refreshed the cookie from the session its request started with would, arriving late, put
    back the session before ?lang=zh (or before a sign-out) and the next page would be English.
    """
    auth.register(email="late@example.com", name="Late")
    auth._client.get("/", headers=EN_HEADERS)  # the first page stores the CSRF secret
    stale = app.test_client()  # a second tab: the same session, sent before the choice
    stale.set_cookie("session", auth._client.get_cookie("session").value, domain="localhost")
    chose = auth._client.get("/?lang=zh", headers=EN_HEADERS)
    assert "Set-Cookie" in chose.headers, "the choice is stored in the session"
    for late in (stale.get("/static/css/app.css"), stale.get("/", headers=EN_HEADERS)):
        assert late.status_code == 200
        assert "Set-Cookie" not in late.headers, "an unchanged session is not sent back"
    page = auth._client.get("/", headers=EN_HEADERS).get_data(as_text=True)
    assert '<html lang="zh-Hans">' in page


def _csrf_token(page: str) -> str:
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    assert match, "the page has no CSRF token"
    return match.group(1)


def test_switcher_is_on_every_page_and_csrf_protected(make_app) -> None:
    """The switcher posts with a CSRF token; a post without one is refused; the choice sticks."""
    client = make_app(WTF_CSRF_ENABLED=True).test_client()
    page = client.get("/login", headers=EN_HEADERS).get_data(as_text=True)
    assert 'action="/language"' in page
    refused = client.post("/language", data={"lang": "zh", "next": "/login"})
    assert refused.status_code == 400
    assert "<h1>Sign in</h1>" in client.get("/login", headers=EN_HEADERS).get_data(as_text=True)
    switched = client.post(
        "/language", data={"lang": "zh", "next": "/login", "csrf_token": _csrf_token(page)}
    )
    assert switched.status_code == 302 and switched.location.endswith("/login")
    page = client.get("/login", headers=EN_HEADERS).get_data(as_text=True)
    assert "<h1>登录</h1>" in page and '<option value="zh" lang="zh" selected>' in page


def test_signed_in_choice_becomes_the_users_setting(app, client, auth, db_session) -> None:
    """Switching while signed in stores User.locale, which later sessions use."""
    auth.register(email="li@example.com", name="李工")
    client.post("/language", data={"lang": "zh", "next": "/"})
    user = db_session.query(User).filter_by(email="li@example.com").one()
    db_session.refresh(user)
    assert user.locale == "zh"
    fresh = app.test_client()
    fresh.post("/login", data={"email": "li@example.com", "password": DEFAULT_PASSWORD})
    page = fresh.get("/", headers=EN_HEADERS).get_data(as_text=True)
    assert '<html lang="zh-Hans">' in page


def test_unknown_language_is_refused(client) -> None:
    """A language the app does not offer is not stored."""
    client.post("/language", data={"lang": "fr", "next": "/login"})
    assert "<h1>Sign in</h1>" in client.get("/login", headers=EN_HEADERS).get_data(as_text=True)


# --- formats, questionnaire texts and WTForms' messages ----------------------------------------


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        (ZH_HEADERS, ["2025年3月1日", "1,234.5", "25%", "第 2 题，共 5 题", "你好"]),
        (EN_HEADERS, ["Mar 1, 2025", "1,234.5", "25%", "Question 2 of 5", "Hello"]),
    ],
)
def test_dates_numbers_and_texts_follow_the_locale(app, headers, expected) -> None:
    """Flask-Babel's filters, our `localise` helper and gettext agree on the request's locale."""
    template = (
        "{{ day|dateformat }}|{{ 1234.5|decimalformat }}|{{ 0.25|percentformat }}|"
        "{{ _('Question %(n)d of %(total)d', n=2, total=5) }}|{{ localise(text) }}"
    )
    with app.test_request_context("/", headers=headers):
        rendered = render_template_string(
            template, day=date(2025, 3, 1), text=Text({"en": "Hello", "zh": "你好"})
        )
    assert rendered.split("|") == expected


def test_use_language_renders_in_another_language(app) -> None:
    """A report or e-mail in Chinese from an English request, and the request is English after."""
    with app.test_request_context("/", headers=EN_HEADERS):
        with i18n.use_language("zh"):
            assert gettext("Recommendations") == "改进建议"
            assert i18n.current_language() == "zh"
            assert i18n.localise({"en": "Hello", "zh": "你好"}) == "你好"
        assert gettext("Recommendations") == "Recommendations"
        assert render_template_string(
            "{{ when|datetimeformat('short') }}", when=datetime(2025, 3, 1)
        )


def test_wtforms_messages_are_chinese(client) -> None:
    """WTForms' built-in validator messages come from its own Chinese catalog."""
    page = client.post("/login", data={"email": "", "password": ""}, headers=ZH_HEADERS)
    text = page.get_data(as_text=True)
    assert "该字段是必填字段。" in text
    assert "This field is required" not in text


# --- the command line --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({"READINESS_LANG": "zh"}, "zh"),
        ({"LANG": "zh_CN.UTF-8"}, "zh"),
        ({"LC_ALL": "C.UTF-8", "LANG": "zh_CN.UTF-8"}, "zh"),
        ({"LANG": "de_DE.UTF-8"}, "en"),
        ({}, "en"),
    ],
)
def test_cli_language_from_environment(environ, expected) -> None:
    """The command line speaks READINESS_LANG, else the POSIX locale's language."""
    assert languages.cli_language(environ) == expected


def test_cli_messages_are_translated(tmp_path: Path) -> None:
    """The `readiness` command's own messages to people come out in Chinese."""
    from click.testing import CliRunner

    flagship = ROOT / "readiness" / "questionnaires" / "smart-manufacturing-readiness" / "1.yaml"
    runner = CliRunner()
    ok = runner.invoke(
        cli, ["questionnaire", "validate", str(flagship)], env={"READINESS_LANG": "zh"}
    )
    assert ok.exit_code == 0, ok.output
    assert "正常" in ok.output and not english_words(ok.output.replace(str(flagship), ""))
    missing = tmp_path / "nope.json"
    failed = runner.invoke(
        cli,
        ["score", "smart-manufacturing-readiness", str(missing)],
        env={"READINESS_LANG": "zh"},
    )
    assert failed.exit_code != 0
    assert "无法读取" in failed.output, failed.output
