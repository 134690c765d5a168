"""`readiness remind`: mail owners of plan actions due soon or overdue (run it from cron)."""

from __future__ import annotations

from datetime import date

import click
from flask import Flask
from flask_babel import format_date
from flask_babel import gettext
from flask_babel import ngettext
from sqlalchemy.exc import SQLAlchemyError

from readiness.cli.errors import CliError
from readiness.cli.language import cli_gettext as _
from readiness.cli.support import report_app
from readiness.db import get_sessionmaker
from readiness.i18n import use_language
from readiness.services.mail import send_mail
from readiness.services.plan_export import STATUS_LABELS
from readiness.services.plan_loop import Reminder
from readiness.services.plan_loop import due_reminders


def reminder_message(reminder: Reminder, today: date, base_url: str) -> tuple[str, str]:
    """The subject and body of a reminder, in the owner's language (English by default)."""
    lang = reminder.locale if reminder.locale in ("en", "zh") else "en"
    with use_language(lang):
        lines = [
            gettext("Hello %(name)s,", name=reminder.name or reminder.email),
            "",
            gettext(
                "These actions of the plan of %(organisation)s are yours and due soon or overdue:",
                organisation=reminder.organisation,
            ),
            "",
        ]
        for action in reminder.actions:
            due = action.due_date
            state = (
                gettext("overdue since %(date)s", date=format_date(due, "medium"))
                if due < today
                else gettext("due %(date)s", date=format_date(due, "medium"))
            )
            lines.append(f"- {action.title} ({state}; {STATUS_LABELS[action.status]})")
        if base_url:
            organisation_id = reminder.actions[0].organisation_id
            lines += ["", f"{base_url.rstrip('/')}/organisations/{organisation_id}/plan/"]
        lines += ["", gettext("Readiness")]
        subject = ngettext(
            "%(num)d plan action due soon or overdue",
            "%(num)d plan actions due soon or overdue",
            len(reminder.actions),
        )
        return subject, "\n".join(lines)


@click.command("remind")
@click.option(
    "--days",
    type=click.IntRange(0, 366),
    default=7,
    show_default=True,
    help="Remind of actions due within this many days (and of overdue ones).",
)
@click.option("--base-url", default="", help="The app's address, for a link to the plan.")
@click.option(
    "--today", type=click.DateTime(["%Y-%m-%d"]), default=None, help="Count from this date."
)
def remind_command(days: int, base_url: str, today: object) -> None:
    """Mail owners of plan actions due within N days or overdue; without mail, print them."""
    app: Flask = report_app()
    day = today.date() if today is not None else date.today()  # type: ignore[attr-defined]
    with app.app_context():
        try:
            with get_sessionmaker(app)() as session:
                reminders, unreachable = due_reminders(session, day, days)
                mail = bool(app.config.get("MAIL_SERVER"))
                for reminder in reminders:
                    subject, body = reminder_message(reminder, day, base_url)
                    if mail:
                        send_mail(app.config, reminder.email, subject, body)
                        click.echo(
                            _("Sent to %(to)s: %(subject)s", to=reminder.email, subject=subject)
                        )
                    else:
                        click.echo(
                            _(
                                "Would send to %(to)s: %(subject)s",
                                to=reminder.email,
                                subject=subject,
                            )
                        )
                        click.echo(body + "\n")
                for action in unreachable:
                    click.echo(
                        _(
                            "No e-mail address for the owner of “%(title)s” (organisation %(id)s).",
                            title=action.title,
                            id=action.organisation_id,
                        ),
                        err=True,
                    )
        except SQLAlchemyError as exc:
            raise CliError(_("The database cannot be read: %(error)s", error=exc)) from None
        except OSError as exc:
            raise CliError(_("Mail could not be sent: %(error)s", error=exc)) from None
        if not reminders and not unreachable:
            click.echo(_("Nothing due within %(days)d days.", days=days))
