"""Rewrites account numbers, mobiles and PIN codes stored in another script's digits (Devanagari,
Arabic-Indic, full-width) in ASCII digits, before 0007 makes the database refuse anything else. Two
accounts whose numbers differ only in the script of their digits are one account stored twice: the
migration stops and names them, for someone to merge them by hand."""

import re
import unicodedata

from django.db import migrations

FIELDS = ("account_number", "mobile", "pincode")


def _ascii(text: str) -> str:
    return re.sub(r"\d", lambda m: str(unicodedata.decimal(m.group())), text)


def forwards(apps, schema_editor):
    Consumer = apps.get_model("customers", "Consumer")
    clashes = []
    for field in FIELDS:
        rows = Consumer.objects.exclude(**{field: ""}).exclude(**{f"{field}__regex": r"^[0-9]+$"})
        for consumer in rows.only("id", field).iterator():
            value = _ascii(getattr(consumer, field))
            if field == "account_number" and Consumer.objects.filter(account_number=value).exists():
                clashes.append(f"{getattr(consumer, field)!r} (id {consumer.pk}) is also stored as {value}")
                continue
            Consumer.objects.filter(pk=consumer.pk).update(**{field: value})
    if clashes:
        raise RuntimeError(
            "Accounts stored twice, once in another script's digits; merge them, then migrate again: "
            + "; ".join(clashes)
        )


class Migration(migrations.Migration):
    dependencies = [("customers", "0006_mask_email_history")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
