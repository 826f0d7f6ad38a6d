"""The embedded scheduler: runs CELERY_BEAT_SCHEDULE in-process when there is no broker.

`make run` starts it next to the web server, so a laptop install reminds, marks overdue and escalates
exactly as a deployment with Celery beat does. With a broker, use `celery -A config worker -B` instead.
"""

from __future__ import annotations

import logging
import time

from celery import current_app
from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import close_old_connections
from django.utils import timezone

logger = logging.getLogger(__name__)


def due_entries(schedule: dict, last_runs: dict, now) -> list[str]:
    """Names of the schedule entries due at ``now`` (Celery's own is_due, so beat and this agree)."""
    due = []
    for name, entry in schedule.items():
        state = entry["schedule"]
        last = last_runs.get(name)
        if last is None:
            # Start counting from launch: a restart does not fire every job at once.
            last_runs[name] = now
            continue
        if state.is_due(last).is_due:
            due.append(name)
    return due


class Command(BaseCommand):
    help = "Run the periodic jobs of CELERY_BEAT_SCHEDULE in this process (embedded deployments)."

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=int, default=30, help="Seconds between checks.")
        parser.add_argument("--once", action="store_true", help="Run every job once now and exit.")

    def handle(self, *args, interval=30, once=False, **options):
        app = current_app
        app.loader.import_default_modules()
        schedule = settings.CELERY_BEAT_SCHEDULE
        if once:
            for name in schedule:
                self._run(app, name, schedule[name], fresh_connections=False)
            return
        self.stdout.write(f"scheduler: {len(schedule)} jobs, checking every {interval}s")
        last_runs: dict = {}
        while True:
            now = timezone.now()
            for name in due_entries(schedule, last_runs, now):
                self._run(app, name, schedule[name])
                last_runs[name] = timezone.now()
            time.sleep(interval)

    def _run(self, app, name: str, entry: dict, fresh_connections: bool = True) -> None:
        # A long-lived loop must not keep a connection the database has dropped (as a request would not).
        if fresh_connections:
            close_old_connections()
        try:
            result = app.tasks[entry["task"]].apply(args=entry.get("args", ()), kwargs=entry.get("kwargs", {}))
            self.stdout.write(f"{timezone.localtime():%Y-%m-%d %H:%M} {name}: {result.result}")
        except Exception:
            # One failing job must not stop the others; the traceback goes to the log.
            logger.exception("scheduled job %s failed", name)
        finally:
            if fresh_connections:
                close_old_connections()
