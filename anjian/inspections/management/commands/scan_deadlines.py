"""Run the deadline scan now (the same job Celery beat and the embedded scheduler run hourly)."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from anjian.inspections import services


class Command(BaseCommand):
    help = "Find hazards and tasks that became due or overdue; remind, mark and escalate them."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Scan as of this day (YYYY-MM-DD); default today.")
        parser.add_argument("--plan", action="store_true", help="Also plan routine inspection tasks.")

    def handle(self, *args, date=None, plan=False, **options):
        today = None
        if date:
            try:
                today = datetime.date.fromisoformat(date)
            except ValueError as exc:
                raise CommandError(_("Give the date as YYYY-MM-DD.")) from exc
        counts = services.scan_deadlines(today=today)
        self.stdout.write(
            _(
                "Due soon: %(due_soon)s; newly overdue: %(overdue)s; escalated: %(escalated)s; "
                "task reminders: %(tasks_due)s"
            )
            % counts
        )
        if plan:
            created = services.generate_frequency_tasks(today=today)
            self.stdout.write(_("Routine inspection tasks planned: %(count)s") % {"count": created})
