"""Click's own messages ("Usage:", "Options", "Error: Missing argument …") in the CLI's language.

Click translates them with the standard library's `gettext` / `ngettext`, imported into each of its
modules as `_` / `ngettext`. Rather than binding the process-wide gettext domain and setting
$LANGUAGE (global state other libraries read too; $LANGUAGE is also one of the variables
`cli_language()` reads, so it would leak into the next run, and the stdlib caches translations),
`ReadinessGroup.main()` points those module attributes at functions that look the message up in
our own catalog, in `cli_language()`'s language, at the moment click asks. That follows
READINESS_LANG / the POSIX locale of each run, so a Chinese run and an English one can follow each
other in one process (the tests do), and a command's --lang. Outside a `readiness` run (another
click program in the same process) the functions give the standard library's answer.

The messages themselves are in readiness/cli_click_messages.py, generated from click's sources.
"""

from __future__ import annotations

import gettext
import importlib
import sys
from collections.abc import Callable
from collections.abc import Iterator
from collections.abc import Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import click
from flask.cli import FlaskGroup

from readiness.i18n import cli_translations

# The click modules that import gettext's functions (the Windows console module only on Windows,
# where it can be imported).
CLICK_MODULES = (
    "_termui_impl",
    *(("_winconsole",) if sys.platform == "win32" else ()),
    "core",
    "decorators",
    "exceptions",
    "formatting",
    "parser",
    "shell_completion",
    "termui",
    "types",
    "utils",
)

# True while `readiness` runs: click's messages then come from our catalog.
_ACTIVE: ContextVar[bool] = ContextVar("readiness_cli_active", default=False)


def _click_gettext(message: str) -> str:
    """Click's `_()`: our catalog in the CLI's language during a `readiness` run."""
    if not _ACTIVE.get():
        return gettext.gettext(message)
    return cli_translations().gettext(message)


def _click_ngettext(singular: str, plural: str, n: int) -> str:
    """Click's `ngettext()`: our catalog in the CLI's language during a `readiness` run."""
    if not _ACTIVE.get():
        return gettext.ngettext(singular, plural, n)
    return cli_translations().ngettext(singular, plural, n)


_REPLACEMENTS: dict[Callable[..., str], Callable[..., str]] = {
    gettext.gettext: _click_gettext,
    gettext.ngettext: _click_ngettext,
}


def install_click_translations() -> None:
    """Point click's `_` and `ngettext` at our catalog's (idempotent)."""
    for name in CLICK_MODULES:
        module = importlib.import_module(f"click.{name}")
        for attribute in ("_", "ngettext"):
            current = getattr(module, attribute, None)
            if current in _REPLACEMENTS:
                setattr(module, attribute, _REPLACEMENTS[current])


class _HelpFormatter(click.HelpFormatter):
    """Click's help formatter, with a full-width colon after a Chinese heading ("选项：")."""

    def write_heading(self, heading: str) -> None:
        colon = ":" if heading.isascii() else "："
        self.write(f"{'':>{self.current_indent}}{heading}{colon}\n")


class _Context(click.Context):
    """Click's context, with our help formatter."""

    formatter_class = _HelpFormatter


def _commands(command: click.Command) -> Iterator[click.Command]:
    """`command` and every sub-command registered on it (not those loaded from the app)."""
    yield command
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            yield from _commands(sub)


def _refresh_texts(group: click.Group) -> None:
    """Give each command our help formatter, and the --help option of this run's language.

    Each command caches its --help option, whose help text ("Show this message and exit.") is
    translated when it is made. (A click.Path also names its kind, "file", when it is made, that
    is in English at import: it gives the metavar FILE, kept in ASCII so that the help's columns
    line up, and the Chinese path errors leave the kind out: "'x' 不存在。")
    """
    for command in _commands(group):
        if command.context_class is click.Context:
            command.context_class = _Context
        if getattr(command, "_help_option", None) is not None:
            command._help_option = None  # noqa: SLF001 - rebuilt by get_help_option()


@contextmanager
def click_speaks_cli_language(group: click.Group) -> Iterator[None]:
    """Within the block, click's own messages are in the command line's language."""
    install_click_translations()
    token = _ACTIVE.set(True)
    try:
        _refresh_texts(group)
        yield
    finally:
        _ACTIVE.reset(token)


class ReadinessGroup(FlaskGroup):
    """The `readiness` group: Flask's CLI group, with click's own messages in the CLI's language."""

    context_class = _Context

    def main(self, args: Sequence[str] | None = None, *more: Any, **extra: Any) -> Any:
        """Run the command line, click's usage, help and errors in the CLI's language."""
        with click_speaks_cli_language(self):
            return super().main(args, *more, **extra)
