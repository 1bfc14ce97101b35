"""The `urja` console command: Django's manage.py under the project's own name."""

import os
import sys

#: Subcommands that keep Django's SQL log under DEBUG (a developer at the dev server may want it);
#: every other one (bill runs, seeding, imports, roll-ups: long jobs) keeps none (urja.common.db).
KEEP_QUERY_LOG = {"runserver", "shell", "dbshell"}


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv if argv is None else argv
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "urja.settings.dev")
    import django
    from django.core.management import execute_from_command_line

    if len(argv) > 1 and argv[1] not in KEEP_QUERY_LOG:
        django.setup()
        from urja.common.db import discard_query_logs

        discard_query_logs()
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
