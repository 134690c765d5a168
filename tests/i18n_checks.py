"""Helpers of the translation tests: reading catalogs, re-extracting messages, finding English."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import fields
from dataclasses import is_dataclass
from html.parser import HTMLParser
from pathlib import Path
from types import MappingProxyType

from babel.messages.catalog import Catalog
from babel.messages.frontend import CommandLineInterface
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from readiness.domain.questionnaire import Text
from tests.paths import ROOT

TRANSLATIONS = ROOT / "readiness" / "translations"
POT = TRANSLATIONS / "messages.pot"

# Words that may stay in Latin letters on a Chinese page: the product and standards, file formats,
# the language switcher's "English", and WTForms' own Chinese catalog ("无效的 Email 地址").
ALLOWED_WORDS = frozenset(
    {"Readiness", "English", "IMPULS", "SIRI", "Excel", "Word", "Email", "Noto", "Sans"}
)

_SPACES = re.compile(r"\s+")
_EMAIL_OR_URL = re.compile(r"\S+@\S+|https?://\S+|/[\w./?=&-]+")
# A word with a lower-case letter: all-capital acronyms (PDF, CSV, ERP, MES, GB/T) are allowed.
_WORD = re.compile(r"[A-Za-z]+(?:['’][a-z]+)?")
# Attributes a reader sees or hears (buttons, placeholders, tooltips, screen readers).
_VISIBLE_ATTRIBUTES = ("placeholder", "title", "aria-label", "alt")
_SKIP_CONTENT = ("script", "style")


def catalog_paths() -> list[Path]:
    """Every .po catalog of the app."""
    return sorted(TRANSLATIONS.glob("*/LC_MESSAGES/messages.po"))


def compile_catalogs() -> None:
    """Compile stale .po catalogs to .mo, as `make translations` does (no .mo is committed).

    Written to a temporary file and renamed over the old one, so that a process reading the
    catalog meanwhile gets the old or the new one whole, never a part.
    """
    for path in catalog_paths():
        mo = path.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < path.stat().st_mtime:
            partial = mo.with_name(f".{mo.name}.{os.getpid()}")
            with partial.open("wb") as f:
                write_mo(f, read_catalog(path))
            os.replace(partial, mo)


def read_catalog(path: Path) -> Catalog:
    """A .po or .pot file as a babel Catalog."""
    with path.open("rb") as f:
        return read_po(f)


def message_ids(catalog: Catalog) -> set[str | tuple[str, ...]]:
    """The msgids of a catalog (without the header)."""
    return {m.id for m in catalog if m.id}


def extract_messages(output: Path) -> Catalog:
    """Re-extract the sources with the project's babel.cfg and keywords into `output`."""
    cli = CommandLineInterface()
    cli.run(
        [
            "pybabel",
            "-q",
            "extract",
            "-F",
            str(ROOT / "babel.cfg"),
            "-k",
            "_l",
            "-k",
            "lazy_gettext",
            "-k",
            "N_",
            "-o",
            str(output),
            str(ROOT),
        ]
    )
    return read_catalog(output)


class _VisibleText(HTMLParser):
    """Collects the text a reader sees: text nodes, button labels and the visible attributes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP_CONTENT:
            self._skip += 1
        values = dict(attrs)
        for name in _VISIBLE_ATTRIBUTES:
            if values.get(name):
                self.parts.append(values[name] or "")
        if tag == "input" and values.get("type") in ("submit", "button") and values.get("value"):
            self.parts.append(values["value"] or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_CONTENT and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def visible_text(html: str) -> list[str]:
    """The pieces of visible text of an HTML page."""
    parser = _VisibleText()
    parser.feed(html)
    parser.close()
    return [p.strip() for p in parser.parts if p.strip()]


def english_words(html: str, data: Iterable[str] = ()) -> list[str]:
    """Words in Latin letters that look like untranslated English, with their text piece.

    `data` are texts of the user's or the questionnaire's data (names, cited titles), removed first.
    """
    removals = sorted({_SPACES.sub(" ", d).strip() for d in data if d}, key=len, reverse=True)
    found = []
    for piece in visible_text(html):
        text = _SPACES.sub(" ", piece)
        for d in removals:
            text = text.replace(d, " ")
        text = _EMAIL_OR_URL.sub(" ", text)
        for word in _WORD.findall(text):
            if word.isupper() or word in ALLOWED_WORDS or len(word) < 2:
                continue
            found.append(f"{word!r} in {piece[:80]!r}")
    return found


def data_texts(*objects: object, lang: str = "zh") -> set[str]:
    """The `lang` texts of questionnaire data that hold Latin letters (acronyms, cited titles)."""
    texts: set[str] = set()
    seen: set[int] = set()

    def walk(value: object) -> None:
        if id(value) in seen:
            return
        seen.add(id(value))
        if isinstance(value, Text):
            text = value.get(lang)
            if _WORD.search(text):
                texts.add(text)
        elif isinstance(value, dict | MappingProxyType):
            for item in value.values():
                walk(item)
        elif isinstance(value, list | tuple):
            for item in value:
                walk(item)
        elif is_dataclass(value):
            for f in fields(value):
                if f.name not in ("path",):
                    walk(getattr(value, f.name))

    for obj in objects:
        walk(obj)
    return texts
