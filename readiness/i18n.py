"""What a web request needs of languages: locale selection (choice → user → browser), Flask-Babel.

The language codes and the command line's language are in readiness.languages; the command
line's catalog is in readiness.cli.language.
"""

from __future__ import annotations

from collections.abc import Iterator
from collections.abc import Mapping
from contextlib import contextmanager

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
from readiness.languages import LANGUAGE_NAMES  # noqa: F401 - the templates' language names
from readiness.languages import cli_language
from readiness.languages import language_of
from readiness.languages import locale_for

API_PREFIX = "/api/"  # API requests carry no session cookie, so they neither read nor set one


def supported_languages() -> tuple[str, ...]:
    """The language codes this app offers, from the LANGUAGES setting."""
    if current_app:
        return tuple(current_app.config["LANGUAGES"])
    return tuple(DEFAULTS["LANGUAGES"])


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
    if request.path.startswith(API_PREFIX):  # the API reads no cookie: ?lang= or the header
        return request.accept_languages.best_match(languages) or "en"
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
    if asked in supported_languages() and not request.path.startswith(API_PREFIX):
        session["lang"] = asked


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
