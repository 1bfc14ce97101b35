"""Existing meters get the office that holds them: the office of the connection they are (or were
last) installed at. A meter never installed keeps no office until an officer who sees every office
assigns its store (there is nothing to derive it from)."""

from django.db import migrations
from django.db.models import F, OuterRef, Subquery


def fill_meter_offices(apps, schema_editor):
    Meter = apps.get_model("metering", "Meter")
    MeterInstallation = apps.get_model("metering", "MeterInstallation")
    # The current installation if there is one (no removal date sorts first), else the latest.
    latest = (
        MeterInstallation.objects.filter(meter=OuterRef("pk"))
        .order_by(F("removed_on").asc(nulls_first=True), "-installed_on", "-id")
        .values("consumer__office_id")[:1]
    )
    Meter.objects.filter(office__isnull=True, installations__isnull=False).update(office_id=Subquery(latest))


class Migration(migrations.Migration):
    dependencies = [("metering", "0003_meter_office_and_history")]
    operations = [migrations.RunPython(fill_meter_offices, migrations.RunPython.noop)]
