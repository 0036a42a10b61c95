"""System configuration: validated, applied from the next request, every change audited."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.forms.models import model_to_dict
from django.urls import reverse

from adminpanel.services import config_editable_fields, config_update
from ops.config import get_config
from ops.models import AuditLog, SystemConfig

CONFIG = reverse("adminpanel:config")


def form_data(**changes) -> dict:
    current = model_to_dict(SystemConfig.objects.get_or_create(pk=1)[0], fields=config_editable_fields())
    return {name: "" if value is None else value for name, value in {**current, **changes}.items()}


def test_a_valid_change_is_saved_audited_and_applied_on_the_next_request(staff_client, staff_user):
    assert get_config().off_scope_max == 3  # now cached

    response = staff_client.post(CONFIG, form_data(off_scope_max=5, per_user_daily_budget_usd="2.50"))

    assert response.status_code == 302
    assert get_config().off_scope_max == 5
    assert get_config().per_user_daily_budget_usd == Decimal("2.50")
    event = AuditLog.objects.get(event_type="config_changed")
    assert event.user == staff_user
    assert event.details == {
        "changes": {
            "off_scope_max": {"before": 3, "after": 5},
            "per_user_daily_budget_usd": {"before": "1.0000", "after": "2.50"},
        }
    }
    assert SystemConfig.objects.get(pk=1).updated_by == staff_user


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("off_scope_max", "0", "greater than or equal to 1"),
        ("per_user_daily_budget_usd", "-1", "greater than or equal to 0"),
        ("csv_max_rows", "many", "Enter a whole number."),
        ("agent_model", "gpt-4o", "is not provider:model-name"),
        ("classifier_model", "acme:model-1", "Unknown model provider"),
    ],
)
def test_an_invalid_value_changes_nothing_and_says_why(staff_client, field, value, message):
    response = staff_client.post(CONFIG, form_data(**{field: value}))

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not AuditLog.objects.filter(event_type="config_changed").exists()
    assert getattr(SystemConfig.objects.get(pk=1), field) == getattr(SystemConfig(), field)


def test_a_model_choice_is_kept_in_provider_form(staff_client):
    staff_client.post(CONFIG, form_data(agent_model=" openai-chat:llama3 "))

    assert get_config().agent_model == "openai-chat:llama3"


def test_saving_without_changes_writes_no_audit_event(staff_client):
    response = staff_client.post(CONFIG, form_data(), follow=True)

    assert "Nothing changed." in response.content.decode()
    assert not AuditLog.objects.filter(event_type="config_changed").exists()


def test_the_service_refuses_unknown_fields_and_invalid_values(staff_user):
    with pytest.raises(ValidationError, match="Unknown configuration fields: colour"):
        config_update(user=staff_user, changes={"colour": "blue"})
    with pytest.raises(ValidationError):
        config_update(user=staff_user, changes={"lockout_minutes": 0})

    assert get_config().lockout_minutes == 15
    assert not AuditLog.objects.exists()


def test_the_page_groups_every_setting(staff_client):
    html = staff_client.get(CONFIG).content.decode()

    for section in ["Budgets", "Conversation limits", "CSV import", "Retention and purges", "Models"]:
        assert section in html
    for name in config_editable_fields():
        assert f'name="{name}"' in html


def test_a_change_in_the_django_admin_is_audited_too(admin_client, admin_user):
    SystemConfig.objects.get_or_create(pk=1)
    data = form_data(lockout_minutes=20)

    admin_client.post(reverse("admin:ops_systemconfig_change", args=[1]), data)

    assert get_config().lockout_minutes == 20
    event = AuditLog.objects.get(event_type="config_changed")
    assert (event.user, event.details["changes"]["lockout_minutes"]) == (admin_user, {"before": 15, "after": 20})
