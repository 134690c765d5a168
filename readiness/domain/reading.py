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

from readiness.domain.problems import Problem
from readiness.domain.problems import QuestionnaireError

MAX_BYTES = 1024 * 1024  # files above 1 MiB are refused before parsing
MAX_ALIAS_EXPANSION = 100_000  # nodes that aliases may add to a document

Path_ = tuple[str | int, ...]


@dataclass(frozen=True)
class ReadResult:
    """A parsed document, where its parts start (path -> line) and the non-fatal problems found."""

    data: Any
    lines: dict[Path_, int] = field(default_factory=dict)
    problems: tuple[Problem, ...] = ()


class _AliasBomb(yaml.YAMLError):
    """Aliases would expand the document beyond the budget, or refer to themselves."""

    def __init__(self, message: str, line: int) -> None:
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
                raise _AliasBomb(f"alias *{event.anchor} refers to itself", line)
            node = self.anchors.get(event.anchor)
            if node is not None:
                self._expanded += self._size(node)
                if self._expanded > MAX_ALIAS_EXPANSION:
                    raise _AliasBomb(
                        f"aliases expand too far (more than {MAX_ALIAS_EXPANSION} nodes)", line
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
            raise _fatal(source, "file", "no such file" if not p.exists() else "not a file")
        size = p.stat().st_size
        if size > MAX_BYTES:
            raise _fatal(source, "file", f"file too big ({size} bytes; the limit is 1 MiB)")
        with p.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise _fatal(source, "file", f"cannot read the file: {exc.strerror or exc}") from None
    if len(data) > MAX_BYTES:
        raise _fatal(source, "file", "file too big (the limit is 1 MiB)")
    return parse_yaml(data, source)


def parse_yaml(data: bytes | str, source: str) -> ReadResult:
    """Parse a YAML document safely; raise QuestionnaireError for input that is not usable YAML."""
    if isinstance(data, bytes):
        if len(data) > MAX_BYTES:
            raise _fatal(source, "file", "file too big (the limit is 1 MiB)")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            raise _fatal(source, f"line {line}", "not UTF-8 text") from None
    else:
        text = data
    try:
        loader = _BudgetLoader(text)  # the reader already refuses unprintable characters
        try:
            node = loader.get_single_node()
            if node is None:
                raise _fatal(source, "file", "the file is empty; expected a mapping")
            lines: dict[Path_, int] = {}
            duplicates = _walk(node, (), lines, set(), source)
            value = loader.construct_document(node)
        finally:
            loader.dispose()
    except _AliasBomb as exc:
        raise _fatal(source, f"line {exc.line}", exc.message) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"line {mark.line + 1}" if mark is not None else "file"
        reason = " ".join(str(x) for x in (exc.context, exc.problem) if x)
        raise _fatal(source, where, f"not valid YAML: {reason}") from None
    except yaml.reader.ReaderError as exc:
        line = text[: exc.position].count("\n") + 1
        raise _fatal(source, f"line {line}", f"not valid YAML: {exc.reason}") from None
    except yaml.YAMLError as exc:
        raise _fatal(source, "file", f"not valid YAML: {exc}") from None
    except RecursionError:
        raise _fatal(source, "file", "the document is nested too deeply") from None
    except (ValueError, TypeError, OverflowError) as exc:
        raise _fatal(source, "file", f"a value cannot be read: {exc}") from None
    if not isinstance(value, dict):
        kind = "a list" if isinstance(value, list) else f"a {type(value).__name__}"
        raise _fatal(source, "line 1", f"the document must be a mapping, not {kind}")
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
                    problems.append(
                        Problem(
                            source,
                            f"line {line}",
                            f"duplicate key '{key.value}' (first on line {first_line[marker]})",
                        )
                    )
                first_line.setdefault(marker, line)
                problems += _walk(child, (*path, key.value), lines, seen, source)
    return problems


def _fatal(source: str, location: str, message: str) -> QuestionnaireError:
    """A QuestionnaireError with one problem that stops reading the file."""
    return QuestionnaireError([Problem(source, location, message)])
