"""What a model call costs: USD from `settings.LLM_PRICES` (per million tokens).

Model labels are `provider:name` (as the model factory and traces write them)
or a bare name. The accounting of a turn and the Langfuse exporter both price
calls here, so a trace and a message row never disagree.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Literal, get_args

from django.conf import settings

Provider = Literal["anthropic", "openai", "openai-chat", "offline"]
PROVIDERS: tuple[str, ...] = get_args(Provider)

_MICRO = Decimal("0.000001")
_MILLION = Decimal(1_000_000)


def split_label(value: str) -> tuple[str, str]:
    """("provider", "name") of `provider:name`; ("", value) for a bare name, which may hold colons itself."""
    head, separator, tail = value.partition(":")
    return (head, tail) if separator and head in PROVIDERS else ("", value)


def cost_usd(model_name: str, tokens_in: int, tokens_out: int) -> Decimal:
    """USD for one call, to 6 decimals.

    The longest price key the name starts with wins ("gpt-4o-mini-2024-07-18"
    is "gpt-4o-mini", not "gpt-4o"); unknown models cost the "default" row;
    offline models are free.
    """
    if tokens_in < 0 or tokens_out < 0:
        raise ValueError("Token counts cannot be negative.")
    provider, name = split_label(model_name)
    prices: dict[str, tuple[Decimal, Decimal]] = settings.LLM_PRICES
    if provider == "offline" or not name:
        key = "offline"
    else:
        matches = [key for key in prices if key not in {"default", "offline"} and name.startswith(key)]
        key = max(matches, key=len) if matches else "default"
    price_in, price_out = prices.get(key, (Decimal(0), Decimal(0)))
    total = (Decimal(tokens_in) * price_in + Decimal(tokens_out) * price_out) / _MILLION
    return total.quantize(_MICRO)
