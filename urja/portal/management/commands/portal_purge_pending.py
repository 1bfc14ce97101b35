import datetime

from django.core.management.base import BaseCommand

from urja.portal.pending import purge_pending_uploads


class Command(BaseCommand):
    help = "Delete self-reading photos left waiting by consumers who never confirmed their value."

    def add_arguments(self, parser):
        parser.add_argument("--hours", type=int, default=24, help="delete files older than this (default 24)")

    def handle(self, *args, hours: int, **options):
        deleted = purge_pending_uploads(older_than=datetime.timedelta(hours=hours))
        self.stdout.write(f"{deleted} pending upload(s) older than {hours} h deleted")
