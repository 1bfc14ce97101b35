"""E-mail addresses recorded in the consumer history before it masked them are masked now, as new
changes are (urja.customers.services._MASKED_IN_HISTORY). The full addresses are not kept anywhere, so
this cannot be undone; going backwards leaves the masked values."""

from django.db import migrations

from urja.domain.masking import mask_email


def mask_email_history(apps, schema_editor):
    ConsumerChange = apps.get_model("customers", "ConsumerChange")
    rows = ConsumerChange.objects.filter(field="email").only("id", "old_value", "new_value")
    changed = []
    for row in rows.iterator(chunk_size=2000):
        old, new = mask_email(row.old_value), mask_email(row.new_value)
        if (old, new) != (row.old_value, row.new_value):
            row.old_value, row.new_value = old, new
            changed.append(row)
    ConsumerChange.objects.bulk_update(changed, ["old_value", "new_value"], batch_size=2000)


class Migration(migrations.Migration):
    dependencies = [("customers", "0005_name_trigram_index")]
    operations = [migrations.RunPython(mask_email_history, migrations.RunPython.noop)]
