"""Seed the normative usage per category (uncertain figures, to be replaced by the discom's norms)."""

from django.db import migrations


def seed(apps, schema_editor):
    from urja.tariffs.seed import seed_normative_usage

    seed_normative_usage(apps.get_model("tariffs", "NormativeUsage"))


def unseed(apps, schema_editor):
    from urja.tariffs.seed import NORMATIVE_SOURCE

    apps.get_model("tariffs", "NormativeUsage").objects.filter(source=NORMATIVE_SOURCE).delete()


class Migration(migrations.Migration):
    dependencies = [("tariffs", "0003_normative_usage")]
    operations = [migrations.RunPython(seed, unseed)]
