"""`urja remind --days 3`: the due-date reminders of bills falling due in that many days (the daily
beat task does the same)."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from urja.billing.notices import due_reminders_send
from urja.common import clock


class Command(BaseCommand):
    help = "Queue the due-date SMS reminders of bills falling due in --days days whose accounts still owe."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=3, help="days before the due date (default 3)")

    def handle(self, *args, days, **options):
        if not 0 <= days <= 30:
            raise CommandError("--days must be from 0 to 30")
        today = clock.today()
        count = due_reminders_send(on=today, days_before=days)
        due = today + datetime.timedelta(days=days)
        self.stdout.write(f"{count} reminder(s) queued for bills due on {due:%d-%m-%Y}.")
