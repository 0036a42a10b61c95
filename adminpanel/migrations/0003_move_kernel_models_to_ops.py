"""SystemConfig and AuditLog now belong to the ops app (see ops 0001): drop
them from adminpanel's model state only; the tables and their rows stay."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("adminpanel", "0002_metrics_day"),
        ("ops", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.DeleteModel(name="AuditLog"),
                migrations.DeleteModel(name="SystemConfig"),
            ],
        ),
    ]
