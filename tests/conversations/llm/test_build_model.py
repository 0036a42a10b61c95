"""build_model: which models each role gets, from settings and from the system config."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from pydantic_ai.models.anthropic import AnthropicModel
from pydantic_ai.models.fallback import FallbackModel
from pydantic_ai.models.openai import OpenAIChatModel, OpenAIResponsesModel

from conversations.llm import build_model, model_chain, model_name_of
from ops.config import forget_config
from ops.models import SystemConfig


def chain_models(role):
    model = build_model(role)
    assert isinstance(model, FallbackModel)
    return model.models


def chain_names(role):
    return [model_name_of(inner) for inner in chain_models(role)]


def configure(**fields):
    SystemConfig.objects.update_or_create(pk=1, defaults=fields)
    forget_config()


def test_each_role_tries_its_own_model_then_the_fallback(hosted_llm):
    assert chain_names("classifier") == ["anthropic:claude-haiku-4-5", "openai-chat:gpt-4o-mini"]
    assert chain_names("agent") == ["anthropic:claude-sonnet-4-6", "openai-chat:gpt-4o-mini"]
    assert chain_names("summarizer") == ["anthropic:claude-haiku-4-5", "openai-chat:gpt-4o-mini"]


def test_provider_prefix_picks_the_api(hosted_llm, settings):
    settings.LLM_AGENT_MODEL = "openai:gpt-4o"
    settings.LLM_FALLBACK_MODEL = "openai-chat:llama3"
    primary, fallback = chain_models("agent")

    assert isinstance(primary, OpenAIResponsesModel)
    assert isinstance(fallback, OpenAIChatModel)
    assert isinstance(chain_models("classifier")[0], AnthropicModel)


def test_models_talk_to_the_configured_base_urls(hosted_llm):
    primary, fallback = chain_models("classifier")

    assert primary.base_url.rstrip("/") == hosted_llm.primary.url
    assert fallback.base_url.rstrip("/") == f"{hosted_llm.fallback.url}/v1"


def test_models_never_retry_and_time_out_per_settings(hosted_llm, settings):
    settings.LLM_TIMEOUT_SECONDS = 12.5
    for inner in chain_models("agent"):
        assert inner.settings == {"max_retries": 0, "timeout": 12.5}


def test_every_call_builds_a_fresh_model(hosted_llm):
    first, second = chain_models("agent"), chain_models("agent")

    assert first[0] is not second[0]
    assert first[0].client is not second[0].client


def test_system_config_overrides_the_settings(hosted_llm):
    configure(classifier_model="openai-chat:gpt-4o", fallback_model="anthropic:claude-haiku-4-5")

    assert chain_names("classifier") == ["openai-chat:gpt-4o", "anthropic:claude-haiku-4-5"]
    assert chain_names("agent") == ["anthropic:claude-sonnet-4-6", "anthropic:claude-haiku-4-5"]


def test_blank_system_config_fields_mean_the_settings(hosted_llm):
    configure(agent_model="", summary_model="anthropic:claude-sonnet-4-6")

    assert chain_names("agent")[0] == "anthropic:claude-sonnet-4-6"
    assert chain_names("summarizer")[0] == "anthropic:claude-sonnet-4-6"


def test_a_fallback_equal_to_the_primary_is_not_tried_twice(hosted_llm, settings):
    settings.LLM_FALLBACK_MODEL = "anthropic:claude-haiku-4-5"

    assert chain_names("classifier") == ["anthropic:claude-haiku-4-5"]


def test_an_empty_fallback_setting_means_no_fallback(hosted_llm, settings):
    settings.LLM_FALLBACK_MODEL = ""

    assert chain_names("agent") == ["anthropic:claude-sonnet-4-6"]


def test_without_an_openai_key_the_fallback_is_left_out(hosted_llm, settings, caplog):
    settings.OPENAI_API_KEY = ""
    settings.OPENAI_BASE_URL = ""

    assert chain_names("classifier") == ["anthropic:claude-haiku-4-5"]
    assert "OPENAI_API_KEY" in caplog.text


def test_openai_provider_uses_only_openai_models(hosted_llm, settings):
    settings.LLM_PROVIDER = "openai"
    settings.ANTHROPIC_API_KEY = ""

    assert chain_names("classifier") == ["openai-chat:gpt-4o-mini"]


def test_an_openai_compatible_server_needs_no_key(hosted_llm, settings):
    settings.LLM_PROVIDER = "openai"
    settings.OPENAI_API_KEY = ""
    settings.LLM_AGENT_MODEL = "openai-chat:llama3"

    assert chain_names("agent") == ["openai-chat:llama3", "openai-chat:gpt-4o-mini"]


def test_an_offline_spec_can_serve_as_the_fallback(hosted_llm, settings):
    settings.LLM_FALLBACK_MODEL = "offline:rules"
    primary, fallback = chain_models("classifier")

    assert model_name_of(primary) == "anthropic:claude-haiku-4-5"
    assert model_name_of(fallback).startswith("offline:")


def test_offline_provider_uses_the_engines_offline_model(db, settings):
    from conversations.offline.model import offline_model

    settings.LLM_PROVIDER = "offline"
    for role in ("classifier", "agent", "summarizer"):
        model = build_model(role)
        assert not isinstance(model, FallbackModel)
        assert model_name_of(model).startswith("offline:")
        assert model_name_of(model) == model_name_of(offline_model(role))


def test_missing_key_for_the_chosen_provider_is_a_configuration_error(hosted_llm, settings):
    settings.ANTHROPIC_API_KEY = ""

    with pytest.raises(ImproperlyConfigured, match="LLM_PROVIDER is anthropic but ANTHROPIC_API_KEY is not set"):
        build_model("classifier")


def test_no_usable_model_left_is_a_configuration_error(hosted_llm, settings):
    settings.LLM_PROVIDER = "openai"
    settings.LLM_FALLBACK_MODEL = "anthropic:claude-haiku-4-5"

    with pytest.raises(ImproperlyConfigured, match="No usable model for the agent role"):
        build_model("agent")


def test_a_malformed_setting_is_named_in_the_error(hosted_llm, settings):
    settings.LLM_AGENT_MODEL = "claude-sonnet"

    with pytest.raises(ImproperlyConfigured, match="LLM_AGENT_MODEL: 'claude-sonnet' is not provider:model-name"):
        build_model("agent")


def test_a_malformed_config_value_is_named_in_the_error(hosted_llm):
    configure(fallback_model="mistral:large")

    with pytest.raises(ImproperlyConfigured, match=r"SystemConfig\.fallback_model: Unknown model provider 'mistral'"):
        model_chain("classifier")


def test_an_empty_role_setting_is_a_configuration_error(hosted_llm, settings):
    settings.LLM_SUMMARY_MODEL = ""

    with pytest.raises(ImproperlyConfigured, match="LLM_SUMMARY_MODEL is empty"):
        build_model("summarizer")


def test_a_config_passed_in_is_used_without_reading_the_database(hosted_llm, django_assert_num_queries):
    config = SystemConfig(agent_model="openai:gpt-4o")

    with django_assert_num_queries(0):
        model = build_model("agent", config=config)
    assert model_name_of(model) == "openai:gpt-4o"
