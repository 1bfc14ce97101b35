"""`urja seed --consumers N [--seed S] [--reset]`: generate a synthetic UP-like utility."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from urja.demo.seed import SeedRefused, seed


class Command(BaseCommand):
    help = (
        "Generate a realistic, deterministic UP-like utility: the five discoms and their offices, substations, "
        "feeders, transformers, staff for every role, and N consumers with meters. Same N and seed, same data."
    )

    def add_arguments(self, parser):
        parser.add_argument("--consumers", type=int, required=True, help="number of consumers to generate")
        parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
        parser.add_argument(
            "--reset",
            action="store_true",
            help="first delete the seeded data (consumers, network, offices, their staff, and anything that refers to them)",
        )
        parser.add_argument(
            "--chunk-size", type=int, default=10_000, help="consumers written per batch (default 10,000)"
        )
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args, consumers, seed: int, reset: bool, chunk_size: int, no_progress: bool, **options):
        if settings.URJA_PRODUCTION:
            # Made-up consumers and staff with a published password, and --reset deletes real data.
            raise CommandError("urja seed makes demo data and refuses to run under production settings.")
        if consumers < 0:
            raise CommandError("--consumers must be 0 or more")
        if chunk_size < 1:
            raise CommandError("--chunk-size must be at least 1")
        verbosity = options["verbosity"]
        try:
            result = _run(consumers, seed, reset, chunk_size, progress=verbosity > 0 and not no_progress)
        except SeedRefused as exc:
            raise CommandError(str(exc))
        if verbosity == 0:
            return
        if result.deleted:
            self.stdout.write(
                "Deleted: " + ", ".join(f"{label} {n:,}" for label, n in sorted(result.deleted.items()))
            )
        counts = ", ".join(f"{n:,} {what}" for what, n in result.counts.items())
        self.stdout.write(
            self.style.SUCCESS(f"Seeded {counts} in {result.seconds:.1f} s (seed {result.seed}).")
        )
        if result.skipped_users:
            self.stdout.write(
                self.style.WARNING(
                    "Users that already existed were left unchanged: " + ", ".join(result.skipped_users)
                )
            )
        self.stdout.write("")
        self.stdout.write(f"Demo logins (password: {result.password}):")
        width = max(len(u) for _, u, _ in result.logins)
        role_width = max(len(r) for r, _, _ in result.logins)
        self.stdout.write(f"  {'role':<{role_width}}  {'username':<{width}}  office")
        for role, username, office in result.logins:
            self.stdout.write(f"  {role:<{role_width}}  {username:<{width}}  {office}")


def _run(consumers, seed_value, reset, chunk_size, progress):
    return seed(consumers, seed=seed_value, reset_first=reset, chunk_size=chunk_size, progress=progress)
