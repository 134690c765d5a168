"""Plain-text hygiene: what user text may hold once stored, and cleaning what is already stored.

Word's soft line break (\\x0b), form feeds and other C0/C1 control characters are not allowed
in XML (XLSX, DOCX) and mean nothing in a note; line breaks become "\\n", the rest goes.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

# Line separators of every kind become "\n": CR LF, CR, vertical tab, form feed, NEL, LS, PS.
_LINE_BREAKS = re.compile("\r\n|[\r\x0b\x0c\x85\u2028\u2029]")
# What XML 1.0 forbids or a note never needs: C0 controls but tab and newline, DEL, C1,
# lone surrogates and the two non-characters U+FFFE/U+FFFF.
_CONTROLS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def clean_text(value: str) -> str:
    """`value` with line breaks normalised to "\\n" and control characters removed."""
    return _CONTROLS.sub("", _LINE_BREAKS.sub("\n", value))


def clean_line(value: str) -> str:
    """One line of text: cleaned, line breaks turned into spaces, outer whitespace trimmed."""
    return clean_text(value).replace("\n", " ").replace("\t", " ").strip()


def clean_deep(value: Any) -> Any:
    """A copy of `value` with every string in it cleaned (dataclasses, mappings, sequences)."""
    if isinstance(value, str):
        return clean_text(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {
            f.name: clean_deep(getattr(value, f.name)) for f in dataclasses.fields(value) if f.init
        }
        return dataclasses.replace(value, **changes)
    if isinstance(value, dict):
        return {clean_deep(k): clean_deep(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(clean_deep(v) for v in value)
    return value
