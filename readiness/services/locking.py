"""Row locks for check-then-write use cases, on PostgreSQL and SQLite alike.

A use case that reads something, decides, and writes (is this the last owner? has this answer
changed since the form was loaded?) must hold a lock from the read to the commit, or two
requests decide on the same old state. PostgreSQL locks the row with SELECT … FOR UPDATE.
SQLite has no row locks and Python's sqlite3 runs reads outside a transaction, so a no-op
UPDATE of the row starts the transaction and takes the database's write lock at once (what
BEGIN IMMEDIATE would do); a second writer waits for it (busy timeout, readiness/db.py).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy import update
from sqlalchemy.orm import Session


def lock_row(session: Session, model: Any, row_id: int) -> None:
    """Lock one row of `model` until the transaction ends; then reload what the session holds.

    Objects loaded before the lock may be stale (another request changed them meanwhile), so
    every object of the session is expired and reads again from the locked state.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(select(model.id).where(model.id == row_id).with_for_update())
    else:
        table = model.__table__
        # Every column with an on-update default is set to itself too, so that locking
        # changes nothing (not even `updated_at`).
        same = {c.name: c for c in table.c if c.primary_key or c.onupdate is not None}
        session.execute(update(table).where(table.c.id == row_id).values(same))
    session.expire_all()
