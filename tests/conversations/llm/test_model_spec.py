import pytest

from conversations.llm import ModelSpec, parse_model_spec


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("anthropic:claude-haiku-4-5", ModelSpec("anthropic", "claude-haiku-4-5")),
        ("openai:gpt-4o-mini", ModelSpec("openai", "gpt-4o-mini")),
        ("openai-chat:llama3", ModelSpec("openai-chat", "llama3")),
        ("openai-chat:llama3.1:8b", ModelSpec("openai-chat", "llama3.1:8b")),
        ("openai-chat:hf.co/org/model-GGUF", ModelSpec("openai-chat", "hf.co/org/model-GGUF")),
        ("offline:rules", ModelSpec("offline", "rules")),
        ("  anthropic:claude-sonnet-4-5 ", ModelSpec("anthropic", "claude-sonnet-4-5")),
    ],
)
def test_valid_specs_split_into_provider_and_name(value, expected):
    assert parse_model_spec(value) == expected


def test_a_spec_prints_back_as_provider_colon_name():
    assert str(parse_model_spec("openai-chat:llama3.1:8b")) == "openai-chat:llama3.1:8b"


@pytest.mark.parametrize(
    ("value", "complaint"),
    [
        ("claude-haiku-4-5", "not provider:model-name"),
        ("anthropic:", "not provider:model-name"),
        ("", "not provider:model-name"),
        ("gemini:gemini-2.5-flash", "Unknown model provider 'gemini'"),
        ("Anthropic:claude-haiku-4-5", "Unknown model provider 'Anthropic'"),
        ("anthropic:claude haiku", "not a valid model name"),
        ("anthropic:-rm", "not a valid model name"),
        ("openai:" + "x" * 101, "not a valid model name"),
    ],
)
def test_bad_specs_raise_a_value_error_that_says_why(value, complaint):
    with pytest.raises(ValueError, match=complaint):
        parse_model_spec(value)
