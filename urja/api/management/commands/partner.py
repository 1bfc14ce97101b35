from django.core.management.base import BaseCommand, CommandError

from urja.api.models import Partner
from urja.api.services import partner_create, partner_rotate_key
from urja.org.models import Office


class Command(BaseCommand):
    help = "Manage integration partners (banks, BBPS agents, payment apps) and their API keys."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Create a partner and print its API key (shown once).")
        create.add_argument("name")
        create.add_argument("--office", help="Limit the partner to this office's subtree (office code).")
        sub.add_parser("list", help="List partners.")
        rotate = sub.add_parser("rotate", help="Issue a new API key; the old one stops working.")
        rotate.add_argument("name")
        disable = sub.add_parser("disable", help="Disable a partner.")
        disable.add_argument("name")

    def handle(self, *args, action, **options):
        if action == "create":
            office = None
            if options.get("office"):
                office = Office.objects.filter(code=options["office"]).first()
                if office is None:
                    raise CommandError(f"No office with code {options['office']!r}.")
            if Partner.objects.filter(name=options["name"]).exists():
                raise CommandError(
                    f"A partner named {options['name']!r} exists; use `urja partner rotate` for a new key."
                )
            partner, key = partner_create(name=options["name"], office=office)
            self.stdout.write(f"Partner {partner.name!r} created. API key (shown once, send as X-API-Key):")
            self.stdout.write(key)
        elif action == "list":
            for p in Partner.objects.select_related("office"):
                scope = p.office.code if p.office_id else "all offices"
                self.stdout.write(
                    f"{p.name}\t{p.key_prefix}…\t{scope}\t{'active' if p.is_active else 'disabled'}"
                )
        else:
            partner = Partner.objects.filter(name=options["name"]).first()
            if partner is None:
                raise CommandError(f"No partner named {options['name']!r}.")
            if action == "rotate":
                self.stdout.write(partner_rotate_key(partner=partner))
            else:
                partner.is_active = False
                partner.save(update_fields=["is_active", "updated_at"])
                self.stdout.write(f"Partner {partner.name!r} disabled.")
