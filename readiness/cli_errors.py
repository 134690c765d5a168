"""The command line's errors in its language: CliError, domain messages, unknown questionnaires."""

from __future__ import annotations

from typing import IO
from typing import Any

import click

from readiness.domain.messages import localise_message
from readiness.i18n import cli_gettext as _
from readiness.services.questionnaires import UnknownQuestionnaire


class CliError(click.ClickException):
    """A one-line error of a `readiness` command, shown as "Error: …" in the CLI's language."""

    def show(self, file: IO[Any] | None = None) -> None:
        """Print the error to stderr (or `file`), with a translated "Error:" prefix."""
        click.echo(
            _("Error: %(error)s", error=self.format_message()),
            file=file,
            err=file is None,
            color=self.show_color,
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
