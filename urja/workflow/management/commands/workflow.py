from django.core.management.base import BaseCommand

from urja.workflow import registry, services


class Command(BaseCommand):
    help = "The workflow engine: sweep SLA breaches, list the registered process definitions."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser(
            "sweep", help="Escalate, deem or notify every item past its SLA (again = nothing more)."
        )
        sub.add_parser("definitions", help="List the registered process definitions.")

    def handle(self, *args, action, **options):
        if action == "definitions":
            for defn in registry.definitions():
                self.stdout.write(f"{defn.code} v{defn.version}  {defn.title}  ({len(defn.states)} states)")
            return
        breaches = services.sweep_breaches()
        for breach in breaches:
            extra = f" → {breach.escalated_to_role}" if breach.rule == "escalate" else ""
            extra += f" ({breach.action_taken})" if breach.action_taken else ""
            self.stdout.write(
                f"{breach.reference}  {breach.state}  due {breach.due_at:%d-%m-%Y %H:%M}  {breach.rule}{extra}"
            )
        self.stdout.write(f"Breaches handled: {len(breaches)}")
