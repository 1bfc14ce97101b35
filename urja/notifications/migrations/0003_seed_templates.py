"""Seed the templates of every event in Hindi and English (urja/notifications/seed.py)."""

from django.db import migrations

from urja.notifications.seed import TEMPLATES, templates_seed


def seed(apps, schema_editor):
    templates_seed(apps.get_model("notifications", "MessageTemplate"))


def unseed(apps, schema_editor):
    apps.get_model("notifications", "MessageTemplate").objects.filter(event__in=TEMPLATES).delete()


class Migration(migrations.Migration):
    dependencies = [("notifications", "0002_outbox_and_templates")]

    operations = [migrations.RunPython(seed, unseed)]
