from django.core.management.base import BaseCommand

from urja.helpdesk import services


class Command(BaseCommand):
    help = "The helpdesk: escalate overdue tickets one rung up the ladder (again = nothing more)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("escalate", help="Climb the ladder for every open ticket past its level's time.")

    def handle(self, *args, action, **options):
        self.stdout.write(f"Tickets escalated: {services.tickets_escalate_overdue()}")
