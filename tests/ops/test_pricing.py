"""cost_usd prices calls from settings.LLM_PRICES (USD per million tokens)."""

from decimal import Decimal

import pytest

from ops.pricing import cost_usd


@pytest.mark.parametrize(
    ("model", "tokens_in", "tokens_out", "expected"),
    [
        ("anthropic:claude-haiku-4-5", 1_000_000, 1_000_000, "6.000000"),
        ("anthropic:claude-haiku-4-5", 1000, 200, "0.002000"),
        ("claude-haiku-4-5", 1000, 200, "0.002000"),
        ("anthropic:claude-haiku-4-5-20251001", 1000, 200, "0.002000"),
        ("anthropic:claude-sonnet-4-5", 1000, 200, "0.006000"),
        ("openai-chat:gpt-4o-mini", 1000, 200, "0.000270"),
        ("openai:gpt-4o-mini-2024-07-18", 1000, 200, "0.000270"),
        ("openai:gpt-4o", 1000, 200, "0.004500"),
        ("openai:gpt-4o-2024-08-06", 1000, 200, "0.004500"),
        ("openai-chat:llama3.1:8b", 1000, 200, "0.006000"),
        ("offline:rules", 1_000_000, 1_000_000, "0.000000"),
        ("anthropic:claude-haiku-4-5", 0, 0, "0.000000"),
        ("anthropic:claude-haiku-4-5", 1, 0, "0.000001"),
        ("openai:gpt-4o-mini", 3, 0, "0.000000"),
    ],
)
def test_price_table(model, tokens_in, tokens_out, expected):
    assert cost_usd(model, tokens_in, tokens_out) == Decimal(expected)


def test_cost_has_six_decimals():
    assert cost_usd("anthropic:claude-sonnet-4-5", 7, 3).as_tuple().exponent == -6


def test_unknown_models_cost_the_default_row(settings):
    settings.LLM_PRICES = {**settings.LLM_PRICES, "default": (Decimal("10"), Decimal("20"))}

    assert cost_usd("openai-chat:mystery-model", 1_000_000, 500_000) == Decimal("20.000000")


def test_prices_follow_the_setting(settings):
    settings.LLM_PRICES = {**settings.LLM_PRICES, "claude-haiku-4-5": (Decimal("2"), Decimal("8"))}

    assert cost_usd("anthropic:claude-haiku-4-5", 500_000, 250_000) == Decimal("3.000000")


def test_negative_token_counts_are_refused():
    with pytest.raises(ValueError, match="negative"):
        cost_usd("anthropic:claude-haiku-4-5", -1, 0)
