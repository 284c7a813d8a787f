"""The model partner: a language model speaks the partner's line that the state machine chose.

The rules (``trainer.partner.transitions``) decide what happens this turn, the ``PartnerCue``; the model
only words it. Its system prompt holds the persona, the surface of the story, the directive for
the cue's reaction and the scripted line for that reaction as a style example. The deeper feeling
(and the scenario's full situation, which names it) is left out of the prompt entirely until the
state allows it, so no learner trick can draw it out early.

The line is streamed (``speak``) or, when nobody watches it being spoken, asked for whole (``say``):
a streamed answer costs the server work for every token. Any provider failure before the first
words falls back to the scripted partner; after some words were sent the line ends there. Both mark
``usage.degraded``.

Every model line is checked (``trainer.safety.partner_line``): one that steps out of the scene,
carries stage directions, is empty, far too long or unsafe is replaced by the scripted line for the
same reaction and ``usage.replaced`` names the reason. A streamed line is checked as it comes; when
a problem shows after some words went out, the line stops there and the turn stores the scripted
line (the stream says so, see ``trainer.sessions.turn.stream_turn``).
"""

from __future__ import annotations

import asyncio
import re
import secrets
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import aclosing
from pathlib import Path

from trainer.content.prompts import Prompt, fence, load_prompt
from trainer.content.scenario import Reaction, Scenario
from trainer.llm.deadline import hard_stop, within_deadline
from trainer.llm.types import ChatMessage, ChatModel, ModelUsage, system, user
from trainer.partner.scripted_partner import ScriptedPartner
from trainer.partner.voice import PartnerCue
from trainer.safety.partner_line import LineGuard, LineProblem, problem
from trainer.safety.screen import Screen, load_screen
from trainer.vocabulary.errors import ProviderError
from trainer.vocabulary.messages import Message, Role
from trainer.vocabulary.seams import Usage

PROMPT_FILE = "partner.yaml"
ENGINE_NAME = "llm"
DEEPER_REACTIONS: frozenset[Reaction] = frozenset({Reaction.reveal, Reaction.deeper_heard, Reaction.done})
_QUOTES = "\"“”"
_DIRECTION = re.compile(r"\*[^*\n]{1,60}\*|\[[^\]\n]{1,60}\]")


def spoken_only(line: str) -> str:
    """A scripted line without its stage directions ("*sits down*"): the model copies what it sees."""
    return " ".join(_DIRECTION.sub(" ", line).split())


def deeper_allowed(cue: PartnerCue) -> bool:
    """The deeper feeling may be in the prompt: revealed already, or this turn reveals or honours it."""
    return cue.reveal_deeper or cue.reaction in DEEPER_REACTIONS


class _LineCleaner:
    """Drops a leading ``Name:`` and wrapping quotes from a streamed line without delaying it much."""

    def __init__(self, name: str) -> None:
        self._prefix = re.compile(rf"^\s*(?:\*\*)?{re.escape(name)}(?:\*\*)?\s*:\s*", re.IGNORECASE)
        self._head_room = len(name) + 6
        self._buffer = ""
        self._started = False
        self._quoted = False
        self._held = ""

    def feed(self, piece: str) -> str:
        if not self._started:
            self._buffer += piece
            if len(self._buffer) < self._head_room:
                return ""
            return self._start()
        return self._release(piece)

    def finish(self) -> str:
        text = self._start() if not self._started else ""
        held, self._held = self._held, ""
        if self._quoted and held and held[-1] in _QUOTES:
            held = held[:-1]
        return (text + held).rstrip() if self._quoted else text + held

    def _start(self) -> str:
        self._started = True
        text = self._prefix.sub("", self._buffer).lstrip()
        if text[:1] in _QUOTES and text[:1] != "":
            self._quoted = True
            text = text[1:]
        return self._release(text)

    def _release(self, piece: str) -> str:
        if not self._quoted:
            return piece
        text = self._held + piece
        stripped = text.rstrip()
        if stripped[-1:] in _QUOTES and stripped:
            cut = len(stripped) - 1
            self._held = text[cut:]
            return text[:cut]
        self._held = ""
        return text


class ModelPartner:
    """``trainer.engines.PartnerVoice`` backed by a chat model, with the scripted partner as fallback."""

    def __init__(
        self,
        model: ChatModel,
        prompt: Prompt,
        fallback: ScriptedPartner | None = None,
        nonce: Callable[[], str] = lambda: secrets.token_hex(8),
        deadline: float | None = None,
        screen: Screen | None = None,
    ) -> None:
        prompt.require_definitions((r.value for r in Reaction), "directive")
        self._model = model
        self._prompt = prompt
        self._fallback = fallback or ScriptedPartner()
        self._nonce = nonce
        self._deadline = deadline
        # the partner's lines are checked by the phrases only (partner_line.check, learned=False)
        self._screen = screen or load_screen(read=False)

    @classmethod
    def load(
        cls,
        model: ChatModel,
        prompts_dir: Path,
        fallback: ScriptedPartner | None = None,
        deadline: float | None = None,
    ) -> ModelPartner:
        return cls(model, load_prompt(prompts_dir / PROMPT_FILE), fallback, deadline=deadline)

    @property
    def prompt_hash(self) -> str:
        return self._prompt.hash

    def messages(self, scenario: Scenario, cue: PartnerCue, history: Sequence[Message]) -> list[ChatMessage]:
        allowed = deeper_allowed(cue)
        persona = scenario.partner
        rendered = self._prompt.render(
            nonce=self._nonce(),
            name=persona.name,
            relationship=persona.relationship,
            voice=persona.voice,
            feelings=scenario.feelings,
            key_points=[{"summary": k.summary, "share": k.share} for k in scenario.key_points],
            reaction=cue.reaction.value,
            directive=self._prompt.template.definitions[cue.reaction.value],
            missed=cue.missed,
            point=cue.point,
            example=spoken_only(self._fallback.line(scenario, cue, history)),
            deeper_allowed=allowed,
            situation=scenario.situation if allowed else None,
            deeper=scenario.deeper.summary if allowed else None,
            turn_index=cue.turn_index,
            history=[
                {"speaker": persona.name if m.role is Role.partner else "Your partner", "text": fence(m.text)}
                for m in history
            ],
        )
        return [system(rendered.system), user(rendered.user)]

    async def speak(
        self, scenario: Scenario, cue: PartnerCue, history: Sequence[Message], usage: Usage
    ) -> AsyncIterator[str]:
        self._start(usage)
        cleaner = _LineCleaner(scenario.partner.name)
        guard = LineGuard(self._screen)  # checks the line as it comes (trainer.safety.partner_line)
        stop = hard_stop(self._deadline)  # at the deadline, the words so far or the scripted line
        failed = False
        try:
            stream = self._model.stream(
                self.messages(scenario, cue, history),
                max_tokens=self._prompt.max_tokens,
                temperature=self._prompt.temperature,
            )
            async with aclosing(stream):
                while guard.problem is None:
                    try:
                        async with asyncio.timeout_at(stop):
                            piece = await anext(stream)
                    except StopAsyncIteration:
                        break
                    text = guard.feed(cleaner.feed(piece))
                    if text:
                        yield text
                if guard.problem is None:
                    tail = guard.feed(cleaner.finish()) + guard.finish()
                    if tail:
                        yield tail
                self._account(usage, stream.usage)
        except ProviderError as error:
            self._failed(usage, f"{type(error).__name__}: {error.detail}")
            failed = True
        except TimeoutError:
            self._failed(usage, f"past the turn's deadline ({self._deadline} s)")
            failed = True
        if failed and guard.problem is None:
            rest = guard.finish()  # the words the model did say stand, when they pass the check
            if rest.strip() or guard.sent:
                yield rest
                return
            guard.problem = None
        if guard.problem is LineProblem.empty:
            self._failed(usage, "the model answered with no words")
        if guard.problem is not None:
            usage.replaced = guard.problem.value
        if guard.sent:
            return  # after a late problem, the turn stores the scripted line and the stream says so
        async for piece in self._fallback.speak(scenario, cue, history, usage):
            yield piece

    async def say(
        self, scenario: Scenario, cue: PartnerCue, history: Sequence[Message], usage: Usage
    ) -> str:
        self._start(usage)
        messages = self.messages(scenario, cue, history)
        try:
            completion = await within_deadline(
                self._deadline,
                lambda: self._model.complete(
                    messages, max_tokens=self._prompt.max_tokens, temperature=self._prompt.temperature
                ),
            )
        except ProviderError as error:
            self._failed(usage, f"{type(error).__name__}: {error.detail}")
        except TimeoutError:
            self._failed(usage, f"past the turn's deadline ({self._deadline} s)")
        else:
            self._account(usage, completion.usage)
            cleaner = _LineCleaner(scenario.partner.name)
            text = cleaner.feed(completion.text) + cleaner.finish()
            found = problem(text, self._screen)
            if found is None:
                return text
            if found is LineProblem.empty:
                self._failed(usage, "the model answered with no words")
            usage.replaced = found.value
        return await self._fallback.say(scenario, cue, history, usage)

    def _start(self, usage: Usage) -> None:
        usage.engine = ENGINE_NAME
        usage.model = self._model.name
        usage.prompt_hash = self._prompt.hash

    @staticmethod
    def _failed(usage: Usage, error: str) -> None:
        usage.degraded = True
        usage.error = error[:500]

    @staticmethod
    def _account(usage: Usage, spent: ModelUsage | None) -> None:
        if spent is None:
            return
        usage.model = spent.model
        usage.input_tokens = spent.input_tokens
        usage.cached_input_tokens = spent.cached_input_tokens
        usage.output_tokens = spent.output_tokens
        usage.cost_usd = spent.cost_usd
        usage.latency_ms = spent.latency_ms
