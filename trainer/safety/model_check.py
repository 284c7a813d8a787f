"""A second look at a reply by the configured model, for risk the offline screen did not catch.

The offline screen (``trainer.safety.screen``) runs first, on every reply, before any model call.
When a model is configured, the replies it lets through go to that model to be graded anyway; for
those the offline screen is unsure of (``Safety.unsure``), this check asks the same model (the
judge's), in a short prompt of its own (``prompts/screen.yaml``), whether the learner is telling of
real risk in their own life, which the offline screen's phrases and model may have missed ("I've
sorted who gets the cat"). A turn waits for its answer before the
partner's words go out, and a reply it names a category for is paused like any screened reply.

A check that gets no usable answer (a provider failure, an answer that is not one of the four
categories, past the turn's deadline) pauses nothing and says why in ``RiskChecked.error``: the
offline screen has run, and a model failure must not stop the practice. Nothing here logs the reply.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict

from trainer.coding.invisible import clean_reply
from trainer.content.prompts import Prompt, fence, load_prompt
from trainer.llm.structured import NoAnswer, answer_within
from trainer.llm.types import ChatModel, ModelUsage, system, user
from trainer.safety.lexicon import Category
from trainer.vocabulary.seams import Usage

PROMPT_FILE = "screen.yaml"
_log = logging.getLogger(__name__)


class RiskAnswer(BaseModel):
    """What the model answers: one category, or "none"."""

    model_config = ConfigDict(extra="forbid")

    risk: Literal["none", "self_harm", "harm_to_others", "abuse"]


@dataclass(frozen=True)
class RiskChecked:
    """The check's outcome: the category to pause on (None: carry on), what it cost, and why there
    was no answer when there was none."""

    category: Category | None
    spent: ModelUsage | None = None
    error: str | None = None


class ModelRiskCheck:
    """Asks a chat model whether a reply signals real risk; see the module's docstring."""

    def __init__(
        self,
        model: ChatModel,
        prompt: Prompt,
        nonce: Callable[[], str] = lambda: secrets.token_hex(8),
        deadline: float | None = None,
    ) -> None:
        prompt.require_definitions(c.value for c in Category)
        self._model = model
        self._prompt = prompt
        self._nonce = nonce
        self._deadline = deadline
        self.prompt_hash = prompt.system_hash()

    @classmethod
    def load(cls, model: ChatModel, prompts_dir: Path, deadline: float | None = None) -> ModelRiskCheck:
        return cls(model, load_prompt(prompts_dir / PROMPT_FILE), deadline=deadline)

    async def check(self, reply: str, partner: str) -> RiskChecked:
        """The category the model names for ``reply``, or None."""
        reply = clean_reply(reply)
        rendered = self._prompt.render(nonce=self._nonce(), partner=fence(partner), reply=fence(reply))
        messages = [system(rendered.system), user(rendered.user)]
        got = await answer_within(
            self._model,
            messages,
            RiskAnswer,
            max_tokens=self._prompt.max_tokens,
            temperature=self._prompt.temperature,
            deadline=self._deadline,
        )
        if isinstance(got, NoAnswer):
            return self._unanswered(got.reason, got.spent)
        answer, spent = got
        category = None if answer.risk == "none" else Category(answer.risk)
        return RiskChecked(category, spent)

    def _unanswered(self, error: str, spent: ModelUsage | None = None) -> RiskChecked:
        # The reason only: a provider's detail may quote the answer, and the answer may quote the reply.
        _log.warning(
            "the model's safety check gave no answer (%s); the offline screen's verdict stands",
            error.split(":")[0],
        )
        return RiskChecked(None, spent, error[:500])


def with_check(usage: Usage, risk: RiskChecked) -> Usage:
    """``usage`` (the judge's) with the check's tokens and cost added, and its failure noted."""
    added = usage.model_copy()
    if risk.spent is not None:
        added.input_tokens += risk.spent.input_tokens
        added.cached_input_tokens += risk.spent.cached_input_tokens
        added.output_tokens += risk.spent.output_tokens
        added.cost_usd += risk.spent.cost_usd
        added.model = added.model or risk.spent.model
    if risk.error is not None:
        note = f"safety check: {risk.error}"
        added.error = f"{added.error}; {note}"[:500] if added.error else note
    return added
