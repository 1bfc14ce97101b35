"""Adjustments, one-time settlement and LPSC moved to the arrears app. Their tables stay where they
are (the arrears models keep the payments_* table names): only Django's model state moves."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("payments", "0002_adjustment_decision_note"),
        ("arrears", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
        migrations.RemoveField(
            model_name='lpsccharge',
            name='consumer',
        ),
        migrations.RemoveField(
            model_name='otsregistration',
            name='consumer',
        ),
        migrations.RemoveField(
            model_name='otsregistration',
            name='registered_by',
        ),
        migrations.RemoveField(
            model_name='otsregistration',
            name='scheme',
        ),
        migrations.DeleteModel(
            name='Adjustment',
        ),
        migrations.DeleteModel(
            name='LpscCharge',
        ),
        migrations.DeleteModel(
            name='OtsRegistration',
        ),
        migrations.DeleteModel(
            name='OtsScheme',
        ),
    
            ],
            database_operations=[],
        ),
    ]
