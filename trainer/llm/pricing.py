"""Cost of a call from a configurable price table (``TRAINER_LLM_PRICES``), in US dollars."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class PriceTable:
    """``{model: (input_usd_per_million_tokens, output_usd_per_million_tokens)}``.

    Providers often answer with a dated name ("gpt-4o-mini-2024-07-18") for a configured alias
    ("gpt-4o-mini"), so a model with no exact entry takes the longest entry its name starts with.
    A model with no entry costs 0.0: unknown, not free, and the tokens are still recorded.
    """

    prices: Mapping[str, tuple[float, float]] = field(default_factory=dict)

    def price(self, model: str) -> tuple[float, float] | None:
        if model in self.prices:
            return self.prices[model]
        prefixes = [name for name in self.prices if model.startswith(name)]
        return self.prices[max(prefixes, key=len)] if prefixes else None

    def cost(self, model: str, input_tokens: int, output_tokens: int) -> float:
        price = self.price(model)
        if price is None:
            return 0.0
        per_input, per_output = price
        return (input_tokens * per_input + output_tokens * per_output) / 1_000_000
