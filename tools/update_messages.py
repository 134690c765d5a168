"""Refresh the gettext catalogs: extract messages.pot, update every catalog, fill the English one.

Run from the repository root: `.venv/bin/python tools/update_messages.py`. It prints the Chinese
entries still to translate (tests/test_i18n.py fails while any is left). Compile with
`make translations`.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po
from babel.messages.pofile import write_po

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "readiness" / "translations"
POT = TRANSLATIONS / "messages.pot"
PYBABEL = str(Path(sys.executable).parent / "pybabel")
# Keywords besides pybabel's defaults (_, gettext …): lazy strings, and N_ for the domain's
# message templates (readiness/domain/messages.py).
KEYWORDS = ["-k", "_l", "-k", "lazy_gettext", "-k", "N_"]
EXTRACT = [PYBABEL, "-q", "extract", "-F", "babel.cfg", *KEYWORDS]
EXTRACT_OPTIONS = ["--no-location", "--sort-output", "--project=Readiness", "--version=0.1"]


def extract(output: Path) -> None:
    """Extract every translatable message of the sources into the template `output`."""
    cmd = [*EXTRACT, *EXTRACT_OPTIONS, "-o", str(output), "."]
    subprocess.run(cmd, cwd=ROOT, check=True)


def update() -> None:
    """Merge the template into each catalog, without fuzzy guesses or obsolete entries."""
    subprocess.run(
        [
            PYBABEL,
            "-q",
            "update",
            "-i",
            str(POT),
            "-d",
            str(TRANSLATIONS),
            "--no-fuzzy-matching",
            "--ignore-obsolete",
        ],
        cwd=ROOT,
        check=True,
    )


def fill_english() -> None:
    """English is the source language: its catalog repeats each message."""
    path = TRANSLATIONS / "en" / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as f:
        catalog = read_po(f, locale="en")
    for message in catalog:
        empty = not message.string or (
            isinstance(message.string, tuple) and not any(message.string)
        )
        if message.id and empty:
            message.string = message.id
    with path.open("wb") as f:
        write_po(f, catalog, omit_header=False, sort_output=True, width=100)


def untranslated(locale: str = "zh_Hans_CN") -> list[str]:
    """The messages of `locale`'s catalog that are empty or fuzzy."""
    path = TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as f:
        catalog = read_po(f)
    return [
        str(m.id)
        for m in catalog
        if m.id and (m.fuzzy or not all(m.string if isinstance(m.string, tuple) else [m.string]))
    ]


def main() -> int:
    """Extract, update, fill English; list what is left to translate."""
    extract(POT)
    update()
    fill_english()
    left = untranslated()
    for message in left:
        print(f"untranslated: {message}")
    print(f"{len(left)} Chinese message(s) left to translate")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
