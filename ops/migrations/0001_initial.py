"""SystemConfig and AuditLog move here from adminpanel, the staff dashboard,
to the kernel every app imports. Only Django's model state moves: the tables
keep their names (adminpanel_systemconfig, adminpanel_auditlog) and their rows.
Existing content types (and the permissions pointing at them) are relabelled,
so staff keep the admin permissions they had."""

import django.core.validators
import django.db.models.deletion
import django.utils.timezone
from decimal import Decimal
from django.conf import settings
from django.db import migrations, models

MOVED_MODELS = ["systemconfig", "auditlog"]


def relabel_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.using(schema_editor.connection.alias).filter(
        app_label="adminpanel", model__in=MOVED_MODELS
    ).update(app_label="ops")


def unlabel_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.using(schema_editor.connection.alias).filter(
        app_label="ops", model__in=MOVED_MODELS
    ).update(app_label="adminpanel")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("contenttypes", "0002_remove_content_type_name"),
        # The tables were created there.
        ("adminpanel", "0002_metrics_day"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='SystemConfig',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('per_user_daily_budget_usd', models.DecimalField(decimal_places=4, default=Decimal('1.00'), max_digits=10, validators=[django.core.validators.MinValueValidator(Decimal('0'))])),
                        ('global_daily_budget_usd', models.DecimalField(decimal_places=4, default=Decimal('50.00'), max_digits=12, validators=[django.core.validators.MinValueValidator(Decimal('0'))])),
                        ('off_scope_max', models.PositiveSmallIntegerField(default=3, validators=[django.core.validators.MinValueValidator(1)])),
                        ('passphrase_max_attempts', models.PositiveSmallIntegerField(default=3, validators=[django.core.validators.MinValueValidator(1)])),
                        ('lockout_minutes', models.PositiveIntegerField(default=15, validators=[django.core.validators.MinValueValidator(1)])),
                        ('passphrase_idle_minutes', models.PositiveIntegerField(default=30, help_text='An unlock expires after this long without activity.', validators=[django.core.validators.MinValueValidator(1)])),
                        ('chat_rate_limit_per_minute', models.PositiveIntegerField(default=20, validators=[django.core.validators.MinValueValidator(1)])),
                        ('login_rate_limit_per_minute', models.PositiveIntegerField(default=10, validators=[django.core.validators.MinValueValidator(1)])),
                        ('csv_max_rows', models.PositiveIntegerField(default=500, validators=[django.core.validators.MinValueValidator(1)])),
                        ('csv_max_bytes', models.PositiveIntegerField(default=1000000, validators=[django.core.validators.MinValueValidator(1)])),
                        ('message_retention_days', models.PositiveIntegerField(default=90, validators=[django.core.validators.MinValueValidator(1)])),
                        ('audit_retention_days', models.PositiveIntegerField(default=365, validators=[django.core.validators.MinValueValidator(1)])),
                        ('import_retention_days', models.PositiveIntegerField(default=30, validators=[django.core.validators.MinValueValidator(1)])),
                        ('task_retention_days', models.PositiveIntegerField(default=7, validators=[django.core.validators.MinValueValidator(1)])),
                        ('idle_conversation_minutes', models.PositiveIntegerField(default=60, validators=[django.core.validators.MinValueValidator(1)])),
                        ('purge_interval_minutes', models.PositiveIntegerField(default=60, validators=[django.core.validators.MinValueValidator(1)])),
                        ('classifier_model', models.CharField(blank=True, max_length=100)),
                        ('agent_model', models.CharField(blank=True, max_length=100)),
                        ('fallback_model', models.CharField(blank=True, max_length=100)),
                        ('summary_model', models.CharField(blank=True, max_length=100)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('updated_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'adminpanel_systemconfig',
                        'verbose_name': 'system configuration',
                        'verbose_name_plural': 'system configuration',
                    },
                ),
                migrations.CreateModel(
                    name='AuditLog',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('event_type', models.CharField(max_length=60)),
                        ('severity', models.CharField(choices=[('info', 'Info'), ('warning', 'Warning'), ('error', 'Error'), ('critical', 'Critical')], default='info', max_length=10)),
                        ('source', models.CharField(max_length=60)),
                        ('request_id', models.CharField(blank=True, max_length=64)),
                        ('details', models.JSONField(blank=True, default=dict)),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('user', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'adminpanel_auditlog',
                        'ordering': ['-created_at', '-id'],
                        'indexes': [models.Index(fields=['event_type', '-created_at'], name='audit_type_created'), models.Index(fields=['user', '-created_at'], name='audit_user_created'), models.Index(fields=['-created_at'], name='audit_created')],
                    },
                ),
            ],
        ),
        migrations.RunPython(relabel_content_types, unlabel_content_types),
    ]
