"""Seed version 1 of each system prompt (classifier, agent, summarizer), active."""

from django.db import migrations

from conversations.prompt_defaults import DEFAULT_PROMPTS


def seed_prompts(apps, schema_editor):
    PromptVersion = apps.get_model("conversations", "PromptVersion")
    for role, body in DEFAULT_PROMPTS.items():
        if PromptVersion.objects.filter(role=role).exists():
            continue
        PromptVersion.objects.create(role=role, version=1, body=body, note="Default prompt", is_active=True)


def unseed_prompts(apps, schema_editor):
    PromptVersion = apps.get_model("conversations", "PromptVersion")
    PromptVersion.objects.filter(version=1, note="Default prompt", created_by__isnull=True).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("conversations", "0002_message_passphrase_outcome"),
    ]

    operations = [
        migrations.RunPython(seed_prompts, unseed_prompts),
    ]
