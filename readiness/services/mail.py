"""Sending e-mail: over SMTP when MAIL_SERVER is set, otherwise written to the log."""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Mapping
from email.message import EmailMessage
from typing import Any

log = logging.getLogger(__name__)


def build_message(config: Mapping[str, Any], to: str, subject: str, body: str) -> EmailMessage:
    """A plain-text message from the configured sender."""
    message = EmailMessage()
    message["From"] = config.get("MAIL_DEFAULT_SENDER") or "readiness@localhost"
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    return message


def send_mail(config: Mapping[str, Any], to: str, subject: str, body: str) -> bool:
    """Send a message; without MAIL_SERVER it is logged instead. True if it went over SMTP."""
    message = build_message(config, to, subject, body)
    server = config.get("MAIL_SERVER")
    if not server:
        log.warning("MAIL_SERVER is not set; e-mail to %s not sent:\n%s\n\n%s", to, subject, body)
        return False
    port, timeout = int(config.get("MAIL_PORT") or 25), float(config.get("MAIL_TIMEOUT") or 10)
    with smtplib.SMTP(server, port, timeout=timeout) as smtp:
        if config.get("MAIL_USE_TLS"):
            smtp.starttls()
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
        smtp.send_message(message)
    return True
