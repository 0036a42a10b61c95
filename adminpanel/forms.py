"""Forms of the staff dashboard: they validate and normalise, services persist."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.models import BUDGET_DECIMAL_PLACES, BUDGET_MAX_DIGITS, EMAIL_MAX_LENGTH
from adminpanel.selectors.audit import AuditFilters
from adminpanel.selectors.inspector import InspectorFilters
from adminpanel.services import config_editable_fields
from conversations.llm import parse_model_spec
from conversations.models import MESSAGE_MAX_LENGTH, ConversationState, Intent, PromptVersion
from ops.models import AuditLog, SystemConfig

DEFAULT_RANGE_DAYS = 30
MAX_RANGE_DAYS = 366


def tidy_money(value: Any) -> Any:
    """Show 1.0000 (a DecimalField with 4 places) as 1.00; keep real precision (0.0125)."""
    if isinstance(value, Decimal) and value == value.quantize(Decimal("0.01")):
        return value.quantize(Decimal("0.01"))
    return value


class StaffForm(forms.Form):
    """Labels without a trailing colon, like the rest of the product."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


def _check_order(cleaned: dict[str, Any]) -> None:
    start, end = cleaned.get("start"), cleaned.get("end")
    if start and end and end < start:
        raise ValidationError("The end date is before the start date.")


class DateRangeForm(StaffForm):
    """A range of days for the metrics page; both ends default to the last 30 days."""

    start = forms.DateField(required=False, widget=DateInput())
    end = forms.DateField(required=False, widget=DateInput())

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        today = timezone.localdate()
        end = cleaned.get("end") or today
        start = cleaned.get("start") or end - timedelta(days=DEFAULT_RANGE_DAYS - 1)
        cleaned.update(start=start, end=end)
        _check_order(cleaned)
        if (end - start).days + 1 > MAX_RANGE_DAYS:
            raise ValidationError(f"Choose at most {MAX_RANGE_DAYS} days.")
        return cleaned

    def range(self) -> tuple[date, date]:
        """The chosen range; the default range when the form is invalid."""
        if self.is_valid():
            return self.cleaned_data["start"], self.cleaned_data["end"]
        today = timezone.localdate()
        return today - timedelta(days=DEFAULT_RANGE_DAYS - 1), today


def _any(choices: list[tuple[str, str]], label: str) -> list[tuple[str, str]]:
    return [("", label), *choices]


class InspectorFilterForm(StaffForm):
    user = forms.CharField(required=False, max_length=254, label="User email")
    state = forms.ChoiceField(required=False, choices=_any(list(ConversationState.choices), "Any state"))
    intent = forms.ChoiceField(required=False, choices=_any(list(Intent.choices), "Any intent"))
    start = forms.DateField(required=False, widget=DateInput(), label="Started from")
    end = forms.DateField(required=False, widget=DateInput(), label="Started until")
    with_errors = forms.BooleanField(required=False, label="Has an error")
    with_fallback = forms.BooleanField(required=False, label="Used the fallback model")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        _check_order(cleaned)
        return cleaned

    def filters(self) -> InspectorFilters:
        if not self.is_valid():
            return InspectorFilters()
        data = self.cleaned_data
        return InspectorFilters(
            user_email=data["user"].strip(),
            state=data["state"],
            intent=data["intent"],
            start=data["start"],
            end=data["end"],
            has_error=data["with_errors"],
            has_fallback=data["with_fallback"],
        )


class AuditFilterForm(StaffForm):
    event_type = forms.ChoiceField(required=False)
    severity = forms.ChoiceField(required=False, choices=_any(list(AuditLog.Severity.choices), "Any severity"))
    user = forms.CharField(required=False, max_length=254, label="User email")
    start = forms.DateField(required=False, widget=DateInput(), label="From")
    end = forms.DateField(required=False, widget=DateInput(), label="Until")

    def __init__(self, *args: Any, event_types: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["event_type"].choices = _any([(t, t) for t in event_types], "Any event")  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        _check_order(cleaned)
        return cleaned

    def filters(self) -> AuditFilters:
        if not self.is_valid():
            return AuditFilters()
        data = self.cleaned_data
        return AuditFilters(
            event_type=data["event_type"],
            severity=data["severity"],
            user_email=data["user"].strip(),
            start=data["start"],
            end=data["end"],
        )


class UserSearchForm(StaffForm):
    q = forms.CharField(required=False, max_length=EMAIL_MAX_LENGTH, label="Search by email")


class BudgetForm(StaffForm):
    daily_budget_usd = forms.DecimalField(
        required=False,
        min_value=Decimal(0),
        max_digits=BUDGET_MAX_DIGITS,
        decimal_places=BUDGET_DECIMAL_PLACES,
        label="USD per day",
        help_text="Leave empty to use the system-wide per-user budget.",
    )


class PromptVersionForm(StaffForm):
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 18, "spellcheck": "false"}), label="Prompt")
    note = forms.CharField(
        required=False, max_length=PromptVersion._meta.get_field("note").max_length, label="What changed"
    )
    activate = forms.BooleanField(required=False, label="Make it active now")

    def clean_body(self) -> str:
        body: str = self.cleaned_data["body"].replace("\r\n", "\n").strip()
        if not body:
            raise ValidationError("A prompt cannot be empty.")
        return body


class PromptTryForm(StaffForm):
    body = forms.CharField(widget=forms.Textarea)
    sample = forms.CharField(max_length=MESSAGE_MAX_LENGTH, label="Sample message")

    def clean_body(self) -> str:
        return str(self.cleaned_data["body"]).replace("\r\n", "\n")


MODEL_FIELDS = ("classifier_model", "agent_model", "fallback_model", "summary_model")
MODEL_SETTINGS = ("LLM_CLASSIFIER_MODEL", "LLM_AGENT_MODEL", "LLM_FALLBACK_MODEL", "LLM_SUMMARY_MODEL")
CONFIG_SECTIONS: list[tuple[str, str, tuple[str, ...]]] = [
    (
        "Budgets",
        "Daily spend caps in USD. Over a cap, turns are refused without a model call.",
        (
            "per_user_daily_budget_usd",
            "global_daily_budget_usd",
        ),
    ),
    (
        "Conversation limits",
        "What a conversation tolerates before it ends or locks.",
        (
            "off_scope_max",
            "passphrase_max_attempts",
            "lockout_minutes",
            "passphrase_idle_minutes",
            "chat_rate_limit_per_minute",
            "login_rate_limit_per_minute",
        ),
    ),
    ("CSV import", "Limits on one uploaded file.", ("csv_max_rows", "csv_max_bytes")),
    (
        "Retention and purges",
        "How long records are kept and how often the purge runs.",
        (
            "message_retention_days",
            "audit_retention_days",
            "import_retention_days",
            "task_retention_days",
            "idle_conversation_minutes",
            "purge_interval_minutes",
        ),
    ),
    (
        "Models",
        "As provider:model-name, e.g. anthropic:claude-haiku-4-5 or openai-chat:llama3.",
        MODEL_FIELDS,
    ),
]


class SystemConfigForm(forms.ModelForm):
    """Every setting staff may change; the service audits and applies it."""

    class Meta:
        model = SystemConfig
        fields = config_editable_fields()
        labels = {
            "per_user_daily_budget_usd": "Per-user daily budget (USD)",
            "global_daily_budget_usd": "Global daily budget (USD)",
            "off_scope_max": "Off-topic limit",
            "passphrase_max_attempts": "Passphrase attempts",
            "lockout_minutes": "Lookup lockout (minutes)",
            "passphrase_idle_minutes": "Unlock timeout (minutes)",
            "chat_rate_limit_per_minute": "Chat messages per minute",
            "login_rate_limit_per_minute": "Login attempts per minute",
            "csv_max_rows": "Rows per CSV file",
            "csv_max_bytes": "CSV file size (bytes)",
            "message_retention_days": "Keep messages (days)",
            "audit_retention_days": "Keep audit events (days)",
            "import_retention_days": "Keep import reports (days)",
            "task_retention_days": "Keep task records (days)",
            "idle_conversation_minutes": "End idle chats after (minutes)",
            "purge_interval_minutes": "Run the purge every (minutes)",
            "classifier_model": "Classifier model",
            "agent_model": "Agent model",
            "fallback_model": "Fallback model",
            "summary_model": "Summarizer model",
        }
        help_texts = {
            "per_user_daily_budget_usd": "Each person's cap, unless the Users page sets their own.",
            "global_daily_budget_usd": "Everyone together.",
            "off_scope_max": "Off-topic messages in one conversation before it ends.",
            "passphrase_max_attempts": "Wrong passphrases before the conversation ends and lookups lock.",
            "lockout_minutes": "How long lookups stay locked after too many wrong passphrases.",
            "chat_rate_limit_per_minute": "Per person.",
            "login_rate_limit_per_minute": "Per email address and per IP address.",
            "csv_max_bytes": "1,000,000 bytes is 1 MB.",
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        for name, setting in zip(MODEL_FIELDS, MODEL_SETTINGS, strict=True):
            default = getattr(settings, setting)
            self.fields[name].widget.attrs["placeholder"] = default
            self.fields[name].help_text = f"Empty: {default} (from {setting})."
        for name in ("per_user_daily_budget_usd", "global_daily_budget_usd"):
            self.initial[name] = tidy_money(self.initial.get(name))

    def _clean_model_spec(self, name: str) -> str:
        value: str = self.cleaned_data[name].strip()
        if value:
            try:
                parse_model_spec(value)
            except ValueError as error:
                raise ValidationError(str(error)) from error
        return value

    def clean_classifier_model(self) -> str:
        return self._clean_model_spec("classifier_model")

    def clean_agent_model(self) -> str:
        return self._clean_model_spec("agent_model")

    def clean_fallback_model(self) -> str:
        return self._clean_model_spec("fallback_model")

    def clean_summary_model(self) -> str:
        return self._clean_model_spec("summary_model")

    def sections(self) -> list[tuple[str, str, list[forms.BoundField]]]:
        """The fields grouped for the page; a field missing from CONFIG_SECTIONS lands in "Other"."""
        placed = {name for _, _, names in CONFIG_SECTIONS for name in names}
        grouped = [(title, help_text, [self[name] for name in names]) for title, help_text, names in CONFIG_SECTIONS]
        others = [self[name] for name in self.fields if name not in placed]
        return grouped + ([("Other", "", others)] if others else [])

    def changes(self) -> dict[str, Any]:
        """The cleaned values to hand to `config_update` (it ignores the unchanged ones)."""
        return {name: self.cleaned_data[name] for name in self._meta.fields or []}
