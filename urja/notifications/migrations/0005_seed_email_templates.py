"""Seed the e-mail templates (address code, address changed, e-bill) in Hindi and English; templates
that exist are left as they are (urja/notifications/seed.py)."""

from django.db import migrations

from urja.notifications.seed import templates_seed

EMAIL_EVENTS = ("email_otp", "email_changed", "ebill")


def seed(apps, schema_editor):
    templates_seed(apps.get_model("notifications", "MessageTemplate"))


def unseed(apps, schema_editor):
    apps.get_model("notifications", "MessageTemplate").objects.filter(event__in=EMAIL_EVENTS).delete()


class Migration(migrations.Migration):
    dependencies = [("notifications", "0004_email_messages")]

    operations = [migrations.RunPython(seed, unseed)]
