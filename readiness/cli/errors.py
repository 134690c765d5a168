"""The command line's errors in its language: CliError, domain messages, unknown questionnaires."""

from __future__ import annotations

from typing import IO
from typing import Any

import click
from click.core import ParameterSource

from readiness.cli.language import cli_gettext as _
from readiness.domain.messages import localise_message
from readiness.languages import cli_language
from readiness.languages import cli_language_override
from readiness.services.questionnaires import UnknownQuestionnaire


class CliError(click.ClickException):
    """A one-line error of a `readiness` command, shown as "Error: …" in the CLI's language."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        # Click shows the error after the command (and its --lang) has ended: keep the language.
        self.language = cli_language()

    def show(self, file: IO[Any] | None = None) -> None:
        """Print the error to stderr (or `file`), with a translated "Error:" prefix."""
        with cli_language_override(self.language):
            text = _("Error: %(error)s", error=self.format_message())
        click.echo(text, file=file, err=file is None, color=self.show_color)


def _apply_lang(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """An explicit --lang also sets the language of the command's messages."""
    if value and ctx.get_parameter_source(param.name or "lang") is ParameterSource.COMMANDLINE:
        ctx.with_resource(cli_language_override(value))
    return value


def lang_option(help_text: str = "The language of the output and the messages.") -> Any:
    """The --lang option (en, zh) of the commands that print or write documents."""
    return click.option(
        "--lang",
        type=click.Choice(["en", "zh"]),
        default="en",
        show_default=True,
        is_eager=True,
        callback=_apply_lang,
        help=help_text,
    )


def cli_text(value: object) -> str:
    """A domain message (AnswerError, Problem, Message, …) in the command line's language."""
    return localise_message(value, _)


def unknown_questionnaire(exc: UnknownQuestionnaire) -> str:
    """The one-line message of an unknown questionnaire (or version), in the CLI's language."""
    if exc.version is None:
        return _("unknown questionnaire: %(id)s", id=exc.questionnaire_id)
    return _(
        "unknown questionnaire: %(id)s version %(version)s",
        id=exc.questionnaire_id,
        version=exc.version,
    )
