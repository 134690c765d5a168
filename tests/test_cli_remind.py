"""`readiness remind`: mails owners of due and overdue plan actions, or prints the messages."""

from __future__ import annotations

import socketserver
import threading
from collections.abc import Iterator
from datetime import date
from email import message_from_bytes
from email.message import Message
from email.policy import default as default_policy
from typing import Any

import pytest
from flask import Flask

from readiness.cli import cli
from readiness.services import plans
from tests import factories

TODAY = date(2026, 6, 15)


class _SMTPHandler(socketserver.StreamRequestHandler):
    """Just enough SMTP to accept messages: EHLO/HELO, MAIL, RCPT, DATA, QUIT."""

    def handle(self) -> None:
        self.wfile.write(b"220 sink ready\r\n")
        recipients: list[str] = []
        while line := self.rfile.readline():
            command = line.decode("ascii", "replace").strip()
            verb = command.split(" ", 1)[0].upper()
            if verb in ("EHLO", "HELO"):
                self.wfile.write(b"250 sink\r\n")
            elif verb == "RCPT":
                recipients.append(command.split(":", 1)[1].strip(" <>"))
                self.wfile.write(b"250 ok\r\n")
            elif verb == "DATA":
                self.wfile.write(b"354 go on\r\n")
                data = b""
                while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                    data += chunk[1:] if chunk.startswith(b"..") else chunk
                message = message_from_bytes(data, policy=default_policy)
                self.server.received.append((recipients, message))  # type: ignore[attr-defined]
                recipients = []
                self.wfile.write(b"250 queued\r\n")
            elif verb == "QUIT":
                self.wfile.write(b"221 bye\r\n")
                return
            else:  # MAIL, RSET, NOOP
                self.wfile.write(b"250 ok\r\n")


@pytest.fixture
def smtp_sink() -> Iterator[tuple[int, list[tuple[list[str], Message]]]]:
    """An SMTP server on a free loopback port; yields (port, received messages)."""
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _SMTPHandler)
    server.daemon_threads = True
    server.received = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1], server.received  # type: ignore[attr-defined]
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


@pytest.fixture
def plan(db_session: Any) -> dict[str, Any]:
    """Acme: actions of Olga (English), 李工 (Chinese), an outside owner and of nobody."""
    olga = factories.make_user(db_session, "olga@example.com", "Olga")
    li = factories.make_user(db_session, "li@example.com", "李工", locale="zh")
    org = factories.make_org(db_session, olga, "Acme", {li: "editor"})

    def add(title: str, due: date | None, status: str = "planned", **owner: Any) -> None:
        fields = plans.ActionFields(title=title, due_date=due, **owner)
        action = plans.create_action(db_session, org, olga, fields)
        if status != "planned":
            plans.set_status(db_session, action, olga, status, action.revision, "no budget")

    add("Wire the shop floor", date(2026, 6, 10), owner_id=olga.id)  # overdue
    add("Run the MES pilot", date(2026, 6, 20), "in_progress", owner_id=olga.id)  # due soon
    add("Open an academy", date(2026, 9, 1), owner_id=olga.id)  # later: no reminder
    add("Start training", date(2026, 6, 16), owner_id=li.id)
    add("Audit backups", date(2026, 6, 1), "done", owner_id=li.id)  # done: no reminder
    add("Drop me", date(2026, 6, 1), "dropped", owner_id=li.id)  # dropped: no reminder
    add("Survey suppliers", date(2026, 6, 12), owner_name="Mr Wang", owner_email="wang@example.org")
    add("Nobody's job", date(2026, 6, 12))
    return {"org": org}


def _remind(app: Flask, *args: str) -> Any:
    return app.test_cli_runner().invoke(
        cli, ["remind", "--today", TODAY.isoformat(), *args], catch_exceptions=False
    )


def test_remind_mails_each_owner_their_due_and_overdue_actions(make_app, plan, smtp_sink) -> None:
    port, received = smtp_sink
    app = make_app(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_DEFAULT_SENDER="plan@acme.test")
    result = _remind(app, "--days", "7", "--base-url", "https://readiness.acme.test")
    assert result.exit_code == 0, result.output
    by_recipient = {tuple(rcpt): msg for rcpt, msg in received}
    assert set(by_recipient) == {("olga@example.com",), ("li@example.com",), ("wang@example.org",)}
    olga = by_recipient[("olga@example.com",)]
    body = olga.get_content()
    assert olga["Subject"] == "2 plan actions due soon or overdue"
    assert olga["From"] == "plan@acme.test"
    assert "Wire the shop floor (overdue since Jun 10, 2026; Planned)" in body
    assert "Run the MES pilot (due Jun 20, 2026; In progress)" in body
    assert "Open an academy" not in body
    assert f"https://readiness.acme.test/organisations/{plan['org'].id}/plan/" in body
    li = by_recipient[("li@example.com",)].get_content()
    assert "Start training" in li and "2026年6月16日" in li and "Audit backups" not in li
    assert "Drop me" not in li
    assert "Nobody's job" in result.output  # no address: said on stderr, not mailed


def test_remind_without_mail_prints_what_it_would_send(make_app, plan, smtp_sink) -> None:
    _port, received = smtp_sink
    result = _remind(make_app(MAIL_SERVER=None), "--days", "1")
    assert result.exit_code == 0
    assert received == []
    assert "Would send to olga@example.com: 1 plan action due soon or overdue" in result.output
    assert "Wire the shop floor" in result.output and "Run the MES pilot" not in result.output
    assert "Would send to li@example.com" in result.output


def test_remind_with_nothing_due(make_app, db_session) -> None:
    result = _remind(make_app(), "--days", "3")
    assert result.exit_code == 0 and "Nothing due within 3 days." in result.output


def test_remind_refuses_a_negative_window(make_app) -> None:
    result = make_app().test_cli_runner().invoke(cli, ["remind", "--days", "-1"])
    assert result.exit_code == 2 and "Traceback" not in result.output
