from django.db import migrations


def seed(apps, schema_editor):
    from urja.helpdesk.seed import seed_helpdesk

    seed_helpdesk(apps.get_model("helpdesk", "Category"), apps.get_model("helpdesk", "TheftRate"))


class Migration(migrations.Migration):
    dependencies = [("helpdesk", "0001_tickets")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
