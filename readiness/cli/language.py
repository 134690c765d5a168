"""The command line's messages in its language: our own catalog, loaded without an app.

Click's own generic texts (usage lines, "Show this message and exit.") stay in English, as they do
in other Flask applications; every message a `readiness` command prints itself is translated.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from babel.support import NullTranslations
from babel.support import Translations

from readiness.config import TRANSLATIONS_DIR
from readiness.languages import cli_language
from readiness.languages import locale_for


@lru_cache(maxsize=8)
def _cli_translations(locale: str) -> NullTranslations:
    return Translations.load(str(TRANSLATIONS_DIR), [locale])


def cli_translations() -> NullTranslations:
    """The catalog of the command line's language (works without an app)."""
    return _cli_translations(locale_for(cli_language()))


def cli_gettext(message: str, **variables: Any) -> str:
    """`message` translated for the command line's language (works without an app), %-formatted."""
    text = cli_translations().gettext(message)
    return text % variables if variables else text
