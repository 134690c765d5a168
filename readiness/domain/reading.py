"""Safe reading of questionnaire files: size limit, UTF-8, YAML without alias bombs or dup keys."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field
from pathlib import Path
from typing import Any

import yaml
from yaml.events import AliasEvent
from yaml.nodes import MappingNode
from yaml.nodes import Node
from yaml.nodes import ScalarNode
from yaml.nodes import SequenceNode

from readiness.domain.messages import N_
from readiness.domain.messages import Message
from readiness.domain.problems import Problem
from readiness.domain.problems import QuestionnaireError

MAX_BYTES = 1024 * 1024  # files above 1 MiB are refused before parsing
MAX_ALIAS_EXPANSION = 100_000  # nodes that aliases may add to a document

Path_ = tuple[str | int, ...]
_FILE = Message(N_("file"))  # the location of a problem of the whole file
_NOT_YAML = N_("not valid YAML: %(reason)s")


@dataclass(frozen=True)
class ReadResult:
    """A parsed document, where its parts start (path -> line) and the non-fatal problems found."""

    data: Any
    lines: dict[Path_, int] = field(default_factory=dict)
    problems: tuple[Problem, ...] = ()


class _AliasBomb(yaml.YAMLError):
    """Aliases would expand the document beyond the budget, or refer to themselves."""

    def __init__(self, message: Message, line: int) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


class _BudgetLoader(yaml.SafeLoader):
    """A SafeLoader that counts what aliases expand to and refuses documents beyond a budget."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._expanded = 0
        self._sizes: dict[int, int] = {}
        self._open_anchors: list[str] = []

    def compose_node(self, parent: Node | None, index: Any) -> Node:  # noqa: D102
        if self.check_event(AliasEvent):
            event = self.peek_event()
            line = event.start_mark.line + 1
            if event.anchor in self._open_anchors:
                raise _AliasBomb(
                    Message(N_("alias *%(anchor)s refers to itself"), anchor=event.anchor), line
                )
            node = self.anchors.get(event.anchor)
            if node is not None:
                self._expanded += self._size(node)
                if self._expanded > MAX_ALIAS_EXPANSION:
                    raise _AliasBomb(
                        Message(
                            N_("aliases expand too far (more than %(limit)d nodes)"),
                            limit=MAX_ALIAS_EXPANSION,
                        ),
                        line,
                    )
            return super().compose_node(parent, index)
        anchor = getattr(self.peek_event(), "anchor", None)
        if anchor is None:
            return super().compose_node(parent, index)
        self._open_anchors.append(anchor)
        try:
            return super().compose_node(parent, index)
        finally:
            self._open_anchors.pop()

    def _size(self, node: Node) -> int:
        """How many nodes `node` stands for once every alias inside it is expanded."""
        known = self._sizes.get(id(node))
        if known is not None:
            return known
        size = 1
        if isinstance(node, SequenceNode):
            size += sum(self._size(child) for child in node.value)
        elif isinstance(node, MappingNode):
            size += sum(self._size(k) + self._size(v) for k, v in node.value)
        self._sizes[id(node)] = size
        return size


def read_questionnaire_file(path: str | Path) -> ReadResult:
    """Read and parse one file; raise QuestionnaireError if it cannot be used at all."""
    source = str(path)
    try:
        p = Path(path)
        if not p.is_file():
            reason = N_("no such file") if not p.exists() else N_("not a file")
            raise _fatal(source, _FILE, Message(reason))
        size = p.stat().st_size
        if size > MAX_BYTES:
            raise _fatal(
                source,
                _FILE,
                Message(N_("file too big (%(size)d bytes; the limit is 1 MiB)"), size=size),
            )
        with p.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        reason = Message(N_("cannot read the file: %(reason)s"), reason=exc.strerror or exc)
        raise _fatal(source, _FILE, reason) from None
    if len(data) > MAX_BYTES:
        raise _fatal(source, _FILE, Message(N_("file too big (the limit is 1 MiB)")))
    return parse_yaml(data, source)


def parse_yaml(data: bytes | str, source: str) -> ReadResult:
    """Parse a YAML document safely; raise QuestionnaireError for input that is not usable YAML."""
    if isinstance(data, bytes):
        if len(data) > MAX_BYTES:
            raise _fatal(source, _FILE, Message(N_("file too big (the limit is 1 MiB)")))
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            raise _fatal(source, _line(line), Message(N_("not UTF-8 text"))) from None
    else:
        text = data
    try:
        loader = _BudgetLoader(text)  # the reader already refuses unprintable characters
        try:
            node = loader.get_single_node()
            if node is None:
                empty = Message(N_("the file is empty; expected a mapping"))
                raise _fatal(source, _FILE, empty)
            lines: dict[Path_, int] = {}
            duplicates = _walk(node, (), lines, set(), source)
            value = loader.construct_document(node)
        finally:
            loader.dispose()
    except _AliasBomb as exc:
        raise _fatal(source, _line(exc.line), exc.message) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = _line(mark.line + 1) if mark is not None else _FILE
        reason = " ".join(str(x) for x in (exc.context, exc.problem) if x)
        raise _fatal(source, where, Message(_NOT_YAML, reason=reason)) from None
    except yaml.reader.ReaderError as exc:
        line = text[: exc.position].count("\n") + 1
        raise _fatal(source, _line(line), Message(_NOT_YAML, reason=exc.reason)) from None
    except yaml.YAMLError as exc:
        raise _fatal(source, _FILE, Message(_NOT_YAML, reason=exc)) from None
    except RecursionError:
        deep = Message(N_("the document is nested too deeply"))
        raise _fatal(source, _FILE, deep) from None
    except (ValueError, TypeError, OverflowError) as exc:
        unreadable = Message(N_("a value cannot be read: %(reason)s"), reason=exc)
        raise _fatal(source, _FILE, unreadable) from None
    if not isinstance(value, dict):
        if isinstance(value, list):
            kind = Message(N_("a list"))
        else:
            kind = Message(N_("a %(type)s"), type=type(value).__name__)
        not_mapping = Message(N_("the document must be a mapping, not %(kind)s"), kind=kind)
        raise _fatal(source, _line(1), not_mapping)
    return ReadResult(value, lines, tuple(duplicates))


def _walk(
    node: Node, path: Path_, lines: dict[Path_, int], seen: set[int], source: str
) -> list[Problem]:
    """Record the line of every path below `node` and report duplicate mapping keys."""
    lines.setdefault(path, node.start_mark.line + 1)
    if id(node) in seen:
        return []
    seen.add(id(node))
    problems: list[Problem] = []
    if isinstance(node, SequenceNode):
        for index, child in enumerate(node.value):
            problems += _walk(child, (*path, index), lines, seen, source)
    elif isinstance(node, MappingNode):
        first_line: dict[tuple[str, str], int] = {}
        for key, child in node.value:
            line = key.start_mark.line + 1
            if isinstance(key, ScalarNode):
                marker = (key.tag, key.value)
                if marker in first_line and key.value != "<<":
                    duplicate = Message(
                        N_("duplicate key '%(key)s' (first on line %(first)d)"),
                        key=key.value,
                        first=first_line[marker],
                    )
                    problems.append(Problem(source, _line(line), duplicate))
                first_line.setdefault(marker, line)
                problems += _walk(child, (*path, key.value), lines, seen, source)
    return problems


def _line(number: int) -> Message:
    """The location of a problem that only a line number can place."""
    return Message(N_("line %(line)d"), line=number)


def _fatal(source: str, location: str, message: str) -> QuestionnaireError:
    """A QuestionnaireError with one problem that stops reading the file."""
    return QuestionnaireError([Problem(source, location, message)])
