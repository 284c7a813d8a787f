"""Cost of a call from a configurable price table (``TRAINER_LLM_PRICES``), in US dollars."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class PriceTable:
    """``{model: (input_usd_per_million_tokens, output_usd_per_million_tokens[, cached_input])}``.

    Input tokens read from the provider's prompt cache cost the third price when one is given
    (OpenAI bills them at a half or a tenth of the input price, Anthropic a tenth), else the input
    price: a cost is never understated for want of a cache price.

    Providers often answer with a dated name ("gpt-4o-mini-2024-07-18") for a configured alias
    ("gpt-4o-mini"), so a model with no exact entry takes the longest entry its name starts with.
    A model with no entry costs 0.0: unknown, not free, and the tokens are still recorded.
    """

    prices: Mapping[str, tuple[float, ...]] = field(default_factory=dict)

    def price(self, model: str) -> tuple[float, ...] | None:
        if model in self.prices:
            return self.prices[model]
        prefixes = [name for name in self.prices if model.startswith(name)]
        return self.prices[max(prefixes, key=len)] if prefixes else None

    def cost(self, model: str, input_tokens: int, output_tokens: int, cached_input_tokens: int = 0) -> float:
        """``input_tokens`` counts every input token, the ``cached_input_tokens`` among them too."""
        price = self.price(model)
        if price is None:
            return 0.0
        per_input, per_output = price[0], price[1]
        per_cached = price[2] if len(price) > 2 else per_input
        cached = min(cached_input_tokens, input_tokens)
        fresh = input_tokens - cached
        return (fresh * per_input + cached * per_cached + output_tokens * per_output) / 1_000_000
