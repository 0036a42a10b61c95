"""The model layer: which language model serves each role, what a fallback means, what a call costs.

Roles are `classifier`, `agent` and `summarizer` (`PromptVersion.ROLES`).
With `LLM_PROVIDER=offline` every role gets the deterministic offline model
(conversations/offline/, which only this module builds). Otherwise a role
tries its own model (`SystemConfig.<role>_model`, else the `LLM_*_MODEL`
setting) and then the fallback model, combined in pydantic-ai's
`FallbackModel`. Model values read `provider:model-name`:

- `anthropic:claude-haiku-4-5`: Anthropic Messages API;
- `openai:gpt-4o-mini`: OpenAI Responses API;
- `openai-chat:llama3`: Chat Completions, what Ollama, vLLM and most
  OpenAI-compatible servers speak (point `OPENAI_BASE_URL` at them);
- `offline:<anything>`: the offline model, usable as a fallback too.

Callers catch `PROVIDER_ERRORS` (the engine at its one boundary), and after
a run read `model_outcome(result.new_messages())` to learn which model
answered and whether a fallback happened (then `fallback_record(...)`).
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from asgiref.sync import sync_to_async
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from pydantic_ai.exceptions import FallbackExceptionGroup, ModelAPIError, UnexpectedModelBehavior
from pydantic_ai.messages import ModelMessage, ModelResponse
from pydantic_ai.models import Model
from pydantic_ai.models.fallback import FallbackModel
from pydantic_ai.models.function import FunctionModel
from pydantic_ai.models.test import TestModel
from pydantic_ai.settings import ModelSettings

from conversations.offline.model import offline_model
from conversations.schema import Role
from ops.alerts import alert_raise
from ops.audit import audit_log_write
from ops.models import AuditLog, SystemConfig
from ops.pricing import PROVIDERS, Provider, split_label

if TYPE_CHECKING:
    from accounts.models import User

logger = logging.getLogger(__name__)

# The audit event of a call answered by the fallback model; the dashboard's burst alert counts them.
FALLBACK_EVENT = "provider_fallback"

# Where each role's model comes from: the SystemConfig field, then the setting.
ROLE_SOURCES: dict[str, tuple[str, str]] = {
    "classifier": ("classifier_model", "LLM_CLASSIFIER_MODEL"),
    "agent": ("agent_model", "LLM_AGENT_MODEL"),
    "summarizer": ("summary_model", "LLM_SUMMARY_MODEL"),
}
FALLBACK_SOURCE = ("fallback_model", "LLM_FALLBACK_MODEL")

# The public endpoints, passed explicitly so the SDKs never read base URLs from the environment behind settings' back.
ANTHROPIC_DEFAULT_BASE_URL = "https://api.anthropic.com"
OPENAI_DEFAULT_BASE_URL = "https://api.openai.com/v1"
# A key for OpenAI-compatible servers that need none (Ollama, vLLM); the SDK refuses an empty one.
KEYLESS_SERVER_API_KEY = "not-needed"

# What the engine catches when no model could answer:
# - FallbackExceptionGroup: every model in the chain failed before answering
#   (5xx, 429, timeouts, connection errors, 4xx), with `.attempts` saying why;
# - ModelAPIError: a stream failed after its first event (fallback is no longer
#   possible then), or an error FallbackModel does not fall back on;
# - UnexpectedModelBehavior: a model answered but never produced valid output.
PROVIDER_ERRORS: tuple[type[Exception], ...] = (FallbackExceptionGroup, ModelAPIError, UnexpectedModelBehavior)

_MODEL_SPEC_NAME = re.compile(r"^[A-Za-z0-9][\w.:/@+-]*$")
_ERROR_TEXT_LIMIT = 500
_warned: set[str] = set()


@dataclass(frozen=True)
class ModelSpec:
    provider: Provider
    name: str

    def __str__(self) -> str:
        return f"{self.provider}:{self.name}"


def parse_model_spec(value: str) -> ModelSpec:
    """Parse `provider:model-name`; a ValueError says what is wrong with a bad value."""
    provider, separator, name = value.strip().partition(":")
    if not separator or not name:
        raise ValueError(f"{value!r} is not provider:model-name (e.g. anthropic:claude-haiku-4-5).")
    if provider not in PROVIDERS:
        raise ValueError(f"Unknown model provider {provider!r} in {value!r}; use one of {', '.join(PROVIDERS)}.")
    if len(name) > 100 or not _MODEL_SPEC_NAME.match(name):
        raise ValueError(f"{name!r} is not a valid model name.")
    return ModelSpec(provider=provider, name=name)  # type: ignore[arg-type]  # checked against PROVIDERS above


def model_chain(role: Role, *, config: SystemConfig | None = None) -> list[ModelSpec]:
    """The models a hosted role tries, in order: its own model, then the fallback model.

    `LLM_PROVIDER=openai` leaves Anthropic models out; a model whose provider
    has no credentials is left out with a warning. ImproperlyConfigured when
    nothing usable is left, or when LLM_PROVIDER's own credentials are missing.
    """
    if settings.LLM_PROVIDER not in {"anthropic", "openai"}:
        raise ImproperlyConfigured(f"LLM_PROVIDER={settings.LLM_PROVIDER!r} has no hosted model chain.")
    if not _has_credentials(settings.LLM_PROVIDER):
        raise ImproperlyConfigured(
            f"LLM_PROVIDER is {settings.LLM_PROVIDER} but {_credentials_hint(settings.LLM_PROVIDER)} is not set."
        )
    config = config or _current_config()
    primary = _configured_spec(ROLE_SOURCES[role], config)
    if primary is None:
        raise ImproperlyConfigured(f"{ROLE_SOURCES[role][1]} is empty; set it to provider:model-name.")
    candidates = [primary]
    fallback = _configured_spec(FALLBACK_SOURCE, config)
    if fallback is not None and fallback != primary:
        candidates.append(fallback)
    if settings.LLM_PROVIDER == "openai":
        candidates = [spec for spec in candidates if spec.provider != "anthropic"]
    usable = [spec for spec in candidates if _has_credentials(spec.provider)]
    for spec in candidates:
        if spec not in usable:
            _warn_once(f"{role} model {spec} left out: {_credentials_hint(spec.provider)} is not set.")
    if not usable:
        raise ImproperlyConfigured(
            f"No usable model for the {role} role with LLM_PROVIDER={settings.LLM_PROVIDER}: set "
            f"{ROLE_SOURCES[role][1]} or {FALLBACK_SOURCE[1]} to a model of a provider with credentials."
        )
    return usable


def build_model(role: Role, *, config: SystemConfig | None = None) -> Model:
    """A fresh model for one role; build one per turn or task, never share one across event loops.

    Hosted roles get a FallbackModel even with one model in the chain, so a
    failure always arrives as a FallbackExceptionGroup. The system config is
    read from the database (cached): async code calls `abuild_model` or passes
    `config`. Enter it (`async with model:`) so its HTTP clients close when the
    caller is done; `run_sync` leaves them to the garbage collector.
    """
    if settings.LLM_PROVIDER == "offline":
        return offline_model(role)
    return FallbackModel(*[_concrete_model(spec, role) for spec in model_chain(role, config=config)])


async def abuild_model(role: Role) -> Model:
    """`build_model` for async code: reads the system config off the event loop."""
    if settings.LLM_PROVIDER == "offline":
        return offline_model(role)
    return build_model(role, config=await sync_to_async(_current_config)())


def model_name_of(model: Model) -> str:
    """`provider:model-name` of the model a built model tries first (what `build_model` was configured with)."""
    if isinstance(model, FallbackModel):
        return model_name_of(model.models[0])
    return f"{_provider_of(model)}:{model.model_name}"


@dataclass(frozen=True)
class FailedAttempt:
    model: str
    error: str


@dataclass(frozen=True)
class ModelOutcome:
    """Which model answered a run, and what failed before it did."""

    model: str
    requests: int
    failed_attempts: tuple[FailedAttempt, ...] = ()

    @property
    def fallback_used(self) -> bool:
        return bool(self.failed_attempts)


def model_outcome(messages: Sequence[ModelMessage]) -> ModelOutcome:
    """Read a run's messages (`result.new_messages()`): the answering model, request count, failed attempts.

    `model` names the model of the last response (`anthropic:claude-haiku-4-5`,
    `openai:gpt-4o-mini`, `offline:...`); it is what the Message.model column
    and `cost_usd` take.
    """
    responses = [message for message in messages if isinstance(message, ModelResponse)]
    failures = tuple(
        FailedAttempt(model=_label(attempt.provider_name, attempt.model_name), error=_clip(attempt.error or ""))
        for response in responses
        for attempt in response.failed_attempts or ()
    )
    model = _label(responses[-1].provider_name, responses[-1].model_name or "") if responses else ""
    return ModelOutcome(model=model, requests=len(responses), failed_attempts=failures)


def fallback_used(*, role: Role, response_model_name: str, config: SystemConfig | None = None) -> bool:
    """Whether a response's model (`provider:name` or a bare name) is not the role's primary model.

    Providers report dated names ("claude-haiku-4-5-20251001"), so a name that
    starts with the primary's counts as the primary.
    """
    if settings.LLM_PROVIDER == "offline":
        return False
    primary = model_chain(role, config=config)[0]
    provider, name = split_label(response_model_name)
    if provider and _family(provider) != _family(primary.provider):
        return True
    return not name.startswith(primary.name)


def fallback_record(*, user: User | None, role: str, primary: str, used: str, error: str = "") -> None:
    """Log, audit and alert (deduplicated) that `primary` failed and `used` answered instead. Sync: ORM."""
    error = _clip(error)
    logger.warning("model fallback for %s: %s failed, %s answered", role, primary, used, extra={"error": error})
    audit_log_write(
        event_type=FALLBACK_EVENT,
        source="llm",
        user=user,
        severity=AuditLog.Severity.WARNING,
        details={"role": role, "primary": primary, "used": used, "error": error},
    )
    alert_raise(
        kind="fallback",
        text=f"The {role} model {primary} failed; {used} answered instead. {error}".strip(),
        dedupe_key=f"fallback:{role}:{primary}",
    )


def describe_provider_error(error: BaseException) -> str:
    """One line for a message row or an audit event: every failed attempt when the whole chain failed."""
    if isinstance(error, FallbackExceptionGroup) and error.attempts:
        text = "; ".join(
            f"{_label(attempt.provider_name, attempt.model_name)}: {attempt.error}" for attempt in error.attempts
        )
    else:
        text = f"{type(error).__name__}: {error}"
    return _clip(text)


# --- Internals ---------------------------------------------------------------
def _current_config() -> SystemConfig:
    from ops.config import get_config

    return get_config()


def _configured_spec(source: tuple[str, str], config: SystemConfig) -> ModelSpec | None:
    """The model a config field names, else its setting's; None when both are blank."""
    field, setting = source
    if value := getattr(config, field):
        origin = f"SystemConfig.{field}"
    else:
        value, origin = getattr(settings, setting), setting
    if not value:
        return None
    try:
        return parse_model_spec(value)
    except ValueError as error:
        raise ImproperlyConfigured(f"{origin}: {error}") from error


def _has_credentials(provider: str) -> bool:
    if provider == "anthropic":
        return bool(settings.ANTHROPIC_API_KEY)
    if provider in {"openai", "openai-chat"}:
        return bool(settings.OPENAI_API_KEY or settings.OPENAI_BASE_URL)
    return provider == "offline"


def _credentials_hint(provider: str) -> str:
    if provider == "anthropic":
        return "ANTHROPIC_API_KEY"
    return "OPENAI_API_KEY (or OPENAI_BASE_URL for a server that needs no key)"


def _warn_once(text: str) -> None:
    if text not in _warned:
        _warned.add(text)
        logger.warning(text)


def _model_settings() -> ModelSettings:
    # No SDK retries: a failing primary must hand over to the fallback at once,
    # not after three attempts. The timeout bounds each wait for bytes, so a hung
    # server counts as a failure too.
    return ModelSettings(max_retries=0, timeout=settings.LLM_TIMEOUT_SECONDS)


# The provider SDKs (anthropic, openai) take seconds to import: they are imported
# only here, when a hosted model is built, so commands and the offline model never pay.
def _concrete_model(spec: ModelSpec, role: Role) -> Model:
    if spec.provider == "anthropic":
        from pydantic_ai.models.anthropic import AnthropicModel
        from pydantic_ai.providers.anthropic import AnthropicProvider

        anthropic = AnthropicProvider(
            api_key=settings.ANTHROPIC_API_KEY, base_url=settings.ANTHROPIC_BASE_URL or ANTHROPIC_DEFAULT_BASE_URL
        )
        return AnthropicModel(spec.name, provider=anthropic, settings=_model_settings())
    if spec.provider == "offline":
        return offline_model(role)
    from pydantic_ai.models.openai import OpenAIChatModel, OpenAIResponsesModel
    from pydantic_ai.providers.openai import OpenAIProvider

    openai = OpenAIProvider(
        base_url=settings.OPENAI_BASE_URL or OPENAI_DEFAULT_BASE_URL,
        api_key=settings.OPENAI_API_KEY or KEYLESS_SERVER_API_KEY,
    )
    model_class = OpenAIChatModel if spec.provider == "openai-chat" else OpenAIResponsesModel
    return model_class(spec.name, provider=openai, settings=_model_settings())


def _provider_of(model: Model) -> str:
    if isinstance(model, FunctionModel | TestModel):
        return "offline"
    # A hosted model's class is loaded only once one was built (`_concrete_model`).
    openai_models = sys.modules.get("pydantic_ai.models.openai")
    if openai_models is not None:
        if isinstance(model, openai_models.OpenAIChatModel):
            return "openai-chat"
        if isinstance(model, openai_models.OpenAIResponsesModel):
            return "openai"
    anthropic_models = sys.modules.get("pydantic_ai.models.anthropic")
    if anthropic_models is not None and isinstance(model, anthropic_models.AnthropicModel):
        return "anthropic"
    return model.system


def _family(provider: str) -> str:
    return "openai" if provider == "openai-chat" else provider


def _label(provider_name: str | None, model_name: str) -> str:
    """`provider:name` for a response or an attempt; local function and test models are `offline`."""
    provider = provider_name or ""
    if provider in {"function", "test", ""}:
        provider = "offline"
    return f"{provider}:{model_name}"


def _clip(text: str) -> str:
    return text if len(text) <= _ERROR_TEXT_LIMIT else text[: _ERROR_TEXT_LIMIT - 1] + "…"
