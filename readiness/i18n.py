"""Locale selection (explicit choice → user setting → Accept-Language) and the Flask-Babel setup.

The app speaks of languages by their short codes (`en`, `zh`: URLs, settings, questionnaire
texts); Babel's catalogs and formatting use full locales (`zh_Hans_CN`). `locale_for` and
`language_of` translate between the two, so nothing else needs to know the difference.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from collections.abc import Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from typing import Any

from babel import Locale
from babel.support import NullTranslations
from babel.support import Translations
from flask import Flask
from flask import current_app
from flask import has_request_context
from flask import request
from flask import session
from flask_babel import force_locale
from flask_babel import get_locale
from flask_babel import gettext
from flask_login import current_user

from readiness.config import DEFAULTS
from readiness.domain.messages import localise_message
from readiness.domain.questionnaire import Text
from readiness.extensions import babel

LANGUAGE_NAMES = {"en": "English", "zh": "中文"}

# The Babel locale of each language code; the Chinese catalog is Simplified Chinese (mainland).
BABEL_LOCALES = {"en": "en", "zh": "zh_Hans_CN"}

# Environment variables that give the command line's language, first match wins.
CLI_LANGUAGE_VARIABLES = ("READINESS_LANG", "LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE")


def supported_languages() -> tuple[str, ...]:
    """The language codes this app offers, from the LANGUAGES setting."""
    if current_app:
        return tuple(current_app.config["LANGUAGES"])
    return tuple(DEFAULTS["LANGUAGES"])


def locale_for(lang: str) -> str:
    """The Babel locale of a language code (`zh` → `zh_Hans_CN`); unknown codes pass through."""
    return BABEL_LOCALES.get(lang, lang)


def language_of(locale: Locale | str | None) -> str:
    """The language code of a Babel locale (`zh_Hans_CN` → `zh`); English when unknown."""
    if locale is None:
        return "en"
    code = locale.language if isinstance(locale, Locale) else str(locale).split("_")[0]
    return code if code in BABEL_LOCALES else "en"


def current_language() -> str:
    """The language code of the current request (or forced locale): `en` or `zh`."""
    return language_of(get_locale())


@contextmanager
def use_language(lang: str) -> Iterator[None]:
    """Render in `lang` whatever the request's language (reports, e-mails to another user)."""
    with force_locale(locale_for(lang)):
        yield


def localise(text: Text | Mapping[str, str] | str | None) -> str:
    """A questionnaire text (Text or {lang: text}) in the current language; plain strings as is."""
    if text is None:
        return ""
    if isinstance(text, Text):
        return text.get(current_language())
    if isinstance(text, Mapping):
        return Text(text).get(current_language())
    return str(text)


def message_text(value: object) -> str:
    """A domain message (Message, Problem, AnswerError …) in the current language."""
    return localise_message(value, gettext)


# A command's --lang, which overrides the environment for its messages (see cli_language_override).
_CLI_LANGUAGE: ContextVar[str | None] = ContextVar("cli_language", default=None)


@contextmanager
def cli_language_override(lang: str) -> Iterator[None]:
    """Make the command line speak `lang` (a command's --lang) until the block ends."""
    token = _CLI_LANGUAGE.set(lang if lang in BABEL_LOCALES else None)
    try:
        yield
    finally:
        _CLI_LANGUAGE.reset(token)


def cli_language(environ: Mapping[str, str] | None = None) -> str:
    """The command line's language: a command's --lang, READINESS_LANG, the POSIX locale, en."""
    if environ is None and _CLI_LANGUAGE.get() is not None:
        return _CLI_LANGUAGE.get() or "en"
    environ = os.environ if environ is None else environ
    for name in CLI_LANGUAGE_VARIABLES:
        value = (environ.get(name) or "").strip()
        if value and value not in ("C", "POSIX") and not value.startswith("C."):
            code = value.replace("-", "_").split("_")[0].split(".")[0].split(":")[0].lower()
            return code if code in BABEL_LOCALES else "en"
    return "en"


def select_language() -> str:
    """The language of this request: ?lang=, the session choice, the user, then the browser.

    Outside a request (the command line, background work) it is `cli_language()`.
    """
    if not has_request_context():
        return cli_language()
    languages = supported_languages()
    asked = request.args.get("lang")
    if asked in languages:
        return asked
    chosen = session.get("lang")
    if chosen in languages:
        return chosen
    user_locale = getattr(current_user, "locale", None) if current_user else None
    if user_locale in languages:
        return user_locale
    return request.accept_languages.best_match(languages) or current_app.config.get(
        "BABEL_DEFAULT_LOCALE", "en"
    )


def select_locale() -> str:
    """The Babel locale of this request (Flask-Babel's locale selector)."""
    return locale_for(select_language())


def remember_query_language() -> None:
    """Keep a `?lang=xx` choice in the session so later pages stay in that language."""
    asked = request.args.get("lang")
    if asked in supported_languages():
        session["lang"] = asked


@lru_cache(maxsize=8)
def _cli_translations(locale: str) -> NullTranslations:
    directory = DEFAULTS["BABEL_TRANSLATION_DIRECTORIES"]
    return Translations.load(directory, [locale])


def cli_translations() -> NullTranslations:
    """The catalog of the command line's language (works without an app)."""
    return _cli_translations(locale_for(cli_language()))


def cli_gettext(message: str, **variables: Any) -> str:
    """`message` translated for the command line's language (works without an app), %-formatted."""
    text = cli_translations().gettext(message)
    return text % variables if variables else text


def init_app(app: Flask) -> None:
    """Bind Flask-Babel with our locale selector, translate WTForms' messages, add `localise`."""
    app.config.setdefault("WTF_I18N_ENABLED", True)  # WTForms' built-in messages follow the locale
    babel.init_app(
        app,
        locale_selector=select_locale,
        default_translation_directories=app.config["BABEL_TRANSLATION_DIRECTORIES"],
    )
    app.before_request(remember_query_language)
    app.add_template_global(localise)
    app.add_template_filter(localise)
    app.add_template_filter(message_text)
    app.add_template_global(current_language)
