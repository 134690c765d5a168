"""Language codes and the process's language, shared by the web app and the command line.

The app speaks of languages by their short codes (`en`, `zh`: URLs, settings, questionnaire
texts); Babel's catalogs and formatting use full locales (`zh_Hans_CN`). `locale_for` and
`language_of` translate between the two, so nothing else needs to know the difference. Outside a
request (the command line, background work) the language comes from the environment, or from a
command's --lang (`cli_language_override`). Nothing here needs Flask.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from collections.abc import Mapping
from contextlib import contextmanager
from contextvars import ContextVar

from babel import Locale

LANGUAGE_NAMES = {"en": "English", "zh": "中文"}

# The Babel locale of each language code; the Chinese catalog is Simplified Chinese (mainland).
BABEL_LOCALES = {"en": "en", "zh": "zh_Hans_CN"}

# Environment variables that give the command line's language, first match wins.
CLI_LANGUAGE_VARIABLES = ("READINESS_LANG", "LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE")


def locale_for(lang: str) -> str:
    """The Babel locale of a language code (`zh` → `zh_Hans_CN`); unknown codes pass through."""
    return BABEL_LOCALES.get(lang, lang)


def language_of(locale: Locale | str | None) -> str:
    """The language code of a Babel locale (`zh_Hans_CN` → `zh`); English when unknown."""
    if locale is None:
        return "en"
    code = locale.language if isinstance(locale, Locale) else str(locale).split("_")[0]
    return code if code in BABEL_LOCALES else "en"


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


def single_full_stop(sentence: str) -> str:
    """A sentence ending in a name that ends in a full stop ("… Co., Ltd.") gets only one."""
    for doubled, single in (("..", "."), (".。", ".")):
        if sentence.endswith(doubled) and not sentence.endswith("..."):
            return sentence[: -len(doubled)] + single
    return sentence
