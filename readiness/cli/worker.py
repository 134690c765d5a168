"""`readiness worker`: run the background jobs queued on Redis (REDIS_URL) with RQ."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from readiness import jobs
from readiness.cli.errors import CliError
from readiness.cli.language import cli_gettext as _


@click.command("worker")
@click.option("--burst", is_flag=True, help="Run the queued jobs, then stop.")
@with_appcontext
def worker_command(burst: bool) -> None:
    """Run background jobs (report rendering) from the Redis queue until stopped."""
    from rq import Worker

    runner = current_app.extensions["jobs"]
    if not isinstance(runner, jobs.RedisQueue):
        raise CliError(_("set REDIS_URL: without it, jobs run inside the app processes"))
    jobs.set_worker_app(current_app._get_current_object())  # type: ignore[attr-defined]
    click.echo(_("Worker started on queue %(queue)s.", queue=jobs.QUEUE_NAME))
    Worker([runner.queue], connection=runner.connection).work(burst=burst)
