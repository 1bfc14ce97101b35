"""The arrears models, taken over from the payments app with their tables (state only)."""

import django.db.models.deletion
from decimal import Decimal
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('customers', '0005_name_trigram_index'),
        ('payments', '0002_adjustment_decision_note'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
        migrations.CreateModel(
            name='OtsScheme',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('code', models.CharField(max_length=30, unique=True)),
                ('name', models.CharField(max_length=120)),
                ('name_hi', models.CharField(blank=True, max_length=120)),
                ('categories', models.JSONField(default=list, help_text='Eligible categories with their maximum load: [{"category": "LMV1-RURAL", "max_load": "2"}]')),
                ('registration_opens', models.DateField()),
                ('registration_closes', models.DateField()),
                ('registration_deposit_percent', models.DecimalField(decimal_places=2, default=Decimal('0'), max_digits=5)),
                ('surcharge_waiver_percent', models.DecimalField(decimal_places=2, default=Decimal('100'), max_digits=5)),
                ('principal_rebate_phases', models.JSONField(default=list)),
                ('source', models.CharField(blank=True, max_length=255)),
            ],
            options={
                'verbose_name': 'one-time settlement scheme',
                'verbose_name_plural': 'one-time settlement schemes',
                'db_table': 'payments_otsscheme',
                'ordering': ['-registration_opens'],
            },
        ),
        migrations.CreateModel(
            name='Adjustment',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('amount', models.DecimalField(decimal_places=2, max_digits=14, verbose_name='amount (+ debit, − credit)')),
                ('reason', models.CharField(max_length=255, verbose_name='reason')),
                ('status', models.CharField(choices=[('pending', 'Awaiting approval'), ('posted', 'Posted'), ('rejected', 'Rejected')], default='pending', max_length=8)),
                ('decided_at', models.DateTimeField(blank=True, null=True)),
                ('decision_note', models.CharField(blank=True, max_length=255, verbose_name="checker's note")),
                ('ledger_entry_id', models.BigIntegerField(blank=True, null=True)),
                ('consumer', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='adjustments', to='customers.consumer')),
                ('decided_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('made_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'adjustment',
                'verbose_name_plural': 'adjustments',
                'db_table': 'payments_adjustment',
                'ordering': ['-created_at', '-id'],
                'constraints': [models.CheckConstraint(condition=models.Q(('amount', 0), _negated=True), name='adjustment_not_zero')],
            },
        ),
        migrations.CreateModel(
            name='LpscCharge',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('month', models.CharField(max_length=7)),
                ('amount', models.DecimalField(decimal_places=2, max_digits=14)),
                ('ledger_entry_id', models.BigIntegerField()),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('consumer', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='customers.consumer')),
            ],
            options={
                'db_table': 'payments_lpsccharge',
                'ordering': ['-month', 'consumer_id'],
                'constraints': [models.UniqueConstraint(fields=('consumer', 'month'), name='lpsc_once_per_account_month')],
            },
        ),
        migrations.CreateModel(
            name='OtsRegistration',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('registered_on', models.DateField()),
                ('principal', models.DecimalField(decimal_places=2, max_digits=14)),
                ('surcharge', models.DecimalField(decimal_places=2, max_digits=14)),
                ('surcharge_waived', models.DecimalField(decimal_places=2, default=Decimal('0.00'), max_digits=14)),
                ('principal_rebate', models.DecimalField(decimal_places=2, default=Decimal('0.00'), max_digits=14)),
                ('deposit_due', models.DecimalField(decimal_places=2, default=Decimal('0.00'), max_digits=14)),
                ('settled', models.BooleanField(default=False)),
                ('consumer', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='ots_registrations', to='customers.consumer')),
                ('registered_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('scheme', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='registrations', to='arrears.otsscheme')),
            ],
            options={
                'db_table': 'payments_otsregistration',
                'ordering': ['-registered_on', '-id'],
                'constraints': [models.UniqueConstraint(fields=('scheme', 'consumer'), name='ots_register_once')],
            },
        ),
    
            ],
            database_operations=[],
        ),
    ]
