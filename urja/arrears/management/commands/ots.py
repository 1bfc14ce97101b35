from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from urja.arrears.ots import ots_scheme_seed_demo


class Command(BaseCommand):
    help = "One-time settlement schemes."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("seed-demo", help="Create the Dec 2025 – Feb 2026 scheme of DOMAIN.md as data.")

    def handle(self, *args, action, **options):
        try:
            scheme, created = ots_scheme_seed_demo()
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages))
        self.stdout.write(f"Scheme {scheme.code} {'created' if created else 'already exists'}: {scheme.name}")
