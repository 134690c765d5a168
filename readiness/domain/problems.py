"""Problems found in questionnaire files, and where they are: entity, sub-path and YAML line."""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from readiness.domain.messages import N_
from readiness.domain.messages import Gettext
from readiness.domain.messages import Message
from readiness.domain.messages import localise_message

PathT = tuple[str | int, ...]

# where an entity of each top-level list is named in a problem's location
SECTIONS = {
    "questions": N_("question %(id)s"),
    "pillars": N_("pillar %(id)s"),
    "challenge_areas": N_("challenge area %(id)s"),
    "measures": N_("measure %(id)s"),
    "profile": N_("profile field %(id)s"),
    "levels": N_("level %(id)s"),
    "items": N_("item %(id)s"),
    "nodes": N_("node %(id)s"),
}
# messages starting with these read on from their subject: "weight must be greater than 0"
PREDICATES = ("must ", "is ", "has ")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a questionnaire file: where it is and what is wrong."""

    file: str
    location: str  # a Message (see readiness.domain.messages) where the domain made it
    message: str  # likewise
    line: int | None = None

    def __str__(self) -> str:
        suffix = ""
        if self._line_apart():
            suffix = f" (line {self.line})"
        return _one_line(f"{self.file}: {self.location}: {self.message}{suffix}")

    def localised(self, gettext: Gettext) -> str:
        """The one-line problem translated by `gettext` (str() is the English)."""
        line = Message(
            N_("%(file)s: %(location)s: %(message)s"),
            file=self.file,
            location=self.location,
            message=self.message,
        )
        text = localise_message(line, gettext)
        if self._line_apart():
            text = localise_message(
                Message(N_("%(problem)s (line %(line)d)"), problem=text, line=self.line), gettext
            )
        return _one_line(text)

    def _line_apart(self) -> bool:
        """Whether the line number is shown after the message (not already the location)."""
        return self.line is not None and self.location != f"line {self.line}"


class QuestionnaireError(Exception):
    """A questionnaire file cannot be used; carries every problem found in it."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    def localised(self, gettext: Gettext) -> str:
        """Every problem translated by `gettext`, one a line."""
        return "\n".join(p.localised(gettext) for p in self.problems)


class Reporter:
    """Collects problems of one document, naming the entity and YAML line of each path."""

    def __init__(self, raw: Any, source: str, lines: Mapping[PathT, int] | None = None) -> None:
        self.raw = raw
        self.source = source
        self.lines = lines or {}
        self.problems: list[Problem] = []

    def add(self, path: PathT, message: str, subject: bool = True, at: PathT | None = None) -> None:
        """Report `message` at `path` (line of `at` if given); `subject` prefixes the sub-path."""
        location, rest = locate(self.raw, path)
        sub = render_path(rest)
        if subject and sub:
            # the sub-path is a key of the file, never translated: no need to extract these
            joined = (
                "%(path)s %(message)s"
                if message.startswith(PREDICATES)
                else "%(path)s: %(message)s"
            )
            message = Message(joined, path=sub, message=message)
        line = self.line_of(path if at is None else at)
        self.problems.append(Problem(self.source, location, message, line))

    def line_of(self, path: PathT) -> int | None:
        """The YAML line where `path` (or the nearest enclosing part) starts, if known."""
        for end in range(len(path), -1, -1):
            line = self.lines.get(tuple(path[:end]))
            if line is not None:
                return line
        return None


def _one_line(text: str) -> str:
    """`text` with control characters (newlines above all) escaped, so a problem stays one line."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode() for c in text)


def locate(raw: Any, path: PathT) -> tuple[str, PathT]:
    """The entity a path lies in ("question tech.x", "scoring", ...) and the path inside it."""
    if not path:
        return Message(N_("top level")), ()
    head = path[0]
    if head in SECTIONS and len(path) >= 2 and isinstance(path[1], int):
        item = _item(raw, head, path[1])
        # levels are named by position: level n must be the n-th entry
        label = str(path[1]) if head == "levels" else _label(item, "id", path[1])
        location = Message(SECTIONS[head], id=label)
        rest = path[2:]
        if head == "measures" and len(rest) >= 2 and rest[0] == "actions":
            if isinstance(rest[1], int):
                action = _item(item, "actions", rest[1])
                where = Message(
                    N_("%(measure)s action %(id)s"),
                    measure=location,
                    id=_label(action, "id", rest[1]),
                )
                return where, rest[2:]
        return location, rest
    if head == "scoring":
        return Message(N_("scoring")), path[1:]
    return Message(N_("top level")), path


def render_path(path: PathT) -> str:
    """A path as written by people: options[2].score."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def show(value: Any) -> str:
    """A short, readable rendering of a YAML value for a message."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return Message(N_("nothing"))
    if isinstance(value, str):
        return repr(value if len(value) <= 40 else value[:37] + "...")
    if isinstance(value, dict):
        return Message(N_("a mapping"))
    if isinstance(value, list):
        return Message(N_("a list"))
    if isinstance(value, int | float):
        return repr(value)
    return Message(N_("a %(type)s"), type=type(value).__name__)


def _item(raw: Any, key: str, index: int) -> Any:
    """raw[key][index] if it exists, else None."""
    items = raw.get(key) if isinstance(raw, dict) else None
    if isinstance(items, list) and 0 <= index < len(items):
        return items[index]
    return None


def _label(item: Any, key: str, index: int) -> str:
    """How an entity is named: its ID if it has a usable one, else its position."""
    value = item.get(key) if isinstance(item, dict) else None
    if isinstance(value, str | int | float) and not isinstance(value, bool) and str(value):
        return str(value)
    return f"#{index + 1}"
