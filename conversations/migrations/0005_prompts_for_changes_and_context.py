"""A new default classifier and agent prompt (changes by chat, several lookups, recent messages, clarify before
off-scope, farewells), made active only where the active prompt is still an untouched default: a prompt staff
wrote stays active, and the new default waits in the history for them to try."""

from django.db import migrations
from django.db.models import Max

from conversations.prompt_defaults import DEFAULT_PROMPTS

NOTE = "Default prompt: changes by chat, several lookups, recent messages"


def add_defaults(apps, schema_editor):
    PromptVersion = apps.get_model("conversations", "PromptVersion")
    for role in ("classifier", "agent"):
        body = DEFAULT_PROMPTS[role]
        if PromptVersion.objects.filter(role=role, body=body).exists():
            continue  # a fresh database seeded it already
        active = PromptVersion.objects.filter(role=role, is_active=True).first()
        untouched = active is None or (active.created_by_id is None and active.note.startswith("Default prompt"))
        latest = PromptVersion.objects.filter(role=role).aggregate(latest=Max("version"))["latest"] or 0
        if untouched and active is not None:
            active.is_active = False
            active.save(update_fields=["is_active"])
        PromptVersion.objects.create(role=role, version=latest + 1, body=body, note=NOTE, is_active=untouched)


def remove_defaults(apps, schema_editor):
    PromptVersion = apps.get_model("conversations", "PromptVersion")
    for role in ("classifier", "agent"):
        added = PromptVersion.objects.filter(role=role, note=NOTE, created_by__isnull=True).first()
        if added is None:
            continue
        was_active = added.is_active
        added.delete()
        previous = PromptVersion.objects.filter(role=role).order_by("-version").first()
        if was_active and previous is not None:
            previous.is_active = True
            previous.save(update_fields=["is_active"])


class Migration(migrations.Migration):
    dependencies = [
        ("conversations", "0004_change_intents_and_state"),
    ]

    operations = [
        migrations.RunPython(add_defaults, remove_defaults),
    ]
