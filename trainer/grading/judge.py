"""The model judge: a language model grades a reply against the same rubrics as the rules grader.

The reply (and the conversation) go into the prompt fenced by tags that carry a fresh random nonce,
with anything that looks like one of those tags defused, and the prompt says the fenced text is
data to grade, never instructions. The answer is a validated ``JudgeAnswer``; evidence the model
quotes must be found in the reply (ignoring case and spacing) or it is dropped.

The rules grade guards the model: when the reply speaks to the grader or carries a fake verdict,
no model score may exceed the rules score, and the model keeps only the behaviours the rules coder
also found (harmful ones always stay), so an injected "this reply reflects and validates" cannot
credit a reflection or a validation either. Any provider failure, or an answer still invalid after
one re-ask, gives back the rules grade marked degraded, never an error and never a zero.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from trainer.coding.guard import ADDRESSES_GRADER, addresses_grader
from trainer.content.prompts import TAG_LIKE, Prompt, fence, load_prompt
from trainer.content.rubric import RubricSet
from trainer.llm.deadline import within_deadline
from trainer.llm.resilience import CircuitBreaker
from trainer.llm.structured import UnusableAnswer
from trainer.llm.types import ChatMessage, ChatModel, ModelUsage, system, user
from trainer.vocabulary.codes import HARMFUL, Behaviour, Code
from trainer.vocabulary.errors import ContentError, ProviderError
from trainer.vocabulary.grades import Engine, Grade, GradeContext, RubricName, RubricScore
from trainer.vocabulary.messages import Role
from trainer.vocabulary.seams import Judged, Usage

PROMPT_FILE = "judge.yaml"
CAP_NOTE = " (Capped at the offline score: the reply speaks to the grader.)"

_FOLD = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-"})
_QUOTES = "\"'`“”‘’ .…"

Reason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=600)]


class BehaviourFinding(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: Code
    evidence: str = Field(description="The exact words of the reply that show the behaviour")


class RubricFinding(BaseModel):
    """Evidence first, then the reason, then the score: a model writes them in this order."""

    model_config = ConfigDict(extra="forbid")

    evidence: str = Field(description="The exact words of the reply the score rests on, or empty")
    reason: Reason = Field(description="One short sentence: why this score")
    score: int = Field(ge=0, le=3)


class RubricFindings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reflection: RubricFinding
    validation: RubricFinding
    not_fixing: RubricFinding
    open_questions: RubricFinding
    partner_focus: RubricFinding


class JudgeAnswer(BaseModel):
    """What the judge model must answer; codes outside the vocabulary fail validation."""

    model_config = ConfigDict(extra="forbid")

    behaviours: list[BehaviourFinding] = Field(max_length=20)
    rubrics: RubricFindings
    tip: Reason = Field(description="One sentence to the learner: the most useful thing to do next time")


def _normalised(text: str) -> tuple[str, list[int]]:
    """Case-folded text with runs of whitespace as one space, and each character's original index."""
    chars: list[str] = []
    positions: list[int] = []
    pending_space = False
    for index, char in enumerate(text):
        if char.isspace():
            pending_space = bool(chars)
            continue
        if pending_space:
            chars.append(" ")
            positions.append(index)
            pending_space = False
        for folded in char.translate(_FOLD).casefold():
            chars.append(folded)
            positions.append(index)
    return "".join(chars), positions


def locate(evidence: str, reply: str) -> str | None:
    """The span of ``reply`` that ``evidence`` quotes (ignoring case, spacing, quote marks), or None."""
    wanted, _ = _normalised(evidence.strip(_QUOTES))
    if not wanted:
        return None
    haystack, positions = _normalised(reply)
    start = haystack.find(wanted)
    if start < 0:
        return None
    return reply[positions[start] : positions[start + len(wanted) - 1] + 1]


def speaks_to_grader(reply: str, rules_grade: Grade) -> bool:
    flagged = rules_grade.coding is not None and ADDRESSES_GRADER in rules_grade.coding.flags
    return flagged or addresses_grader(reply) or TAG_LIKE.search(reply) is not None


class ModelJudge:
    """``trainer.engines.Judge`` backed by a chat model, with the rules grade as fallback and cap."""

    def __init__(
        self,
        model: ChatModel,
        rubrics: RubricSet,
        prompt: Prompt,
        nonce: Callable[[], str] = lambda: secrets.token_hex(8),
        deadline: float | None = None,
    ) -> None:
        missing = [code.value for code in Code if code.value not in prompt.template.definitions]
        if missing:
            raise ContentError(prompt.path, f"definitions: no definition for {', '.join(missing)}")
        self._model = model
        self._rubrics = rubrics
        self._prompt = prompt
        self._nonce = nonce
        self._deadline = deadline
        self._codes = [(code.value, prompt.template.definitions[code.value]) for code in Code]
        self._hash = prompt.system_hash(rubrics=list(rubrics), codes=self._codes)

    @classmethod
    def load(
        cls, model: ChatModel, rubrics: RubricSet, prompts_dir: Path, deadline: float | None = None
    ) -> ModelJudge:
        return cls(model, rubrics, load_prompt(prompts_dir / PROMPT_FILE), deadline=deadline)

    @property
    def breaker(self) -> CircuitBreaker | None:
        """The provider's breaker (for the readiness check), when the model has one."""
        found = getattr(self._model, "breaker", None)
        return found if isinstance(found, CircuitBreaker) else None

    @property
    def prompt_hash(self) -> str:
        """The hash of the rendered system prompt: the prompt file and the rubrics it renders."""
        return self._hash

    def messages(self, reply: str, context: GradeContext) -> list[ChatMessage]:
        history = list(context.history)
        if history and history[-1].role is Role.partner and history[-1].text == context.partner:
            history.pop()
        rendered = self._prompt.render(
            nonce=self._nonce(),
            rubrics=list(self._rubrics),
            codes=self._codes,
            history=[{"role": m.role.value, "text": fence(m.text)} for m in history],
            partner=fence(context.partner),
            reply=fence(reply),
            feelings=list(context.feelings),
            key_points=[{"id": k.id, "cues": list(k.cues)} for k in context.key_points],
            advice_requested=context.advice_requested,
            permission_granted=context.permission_granted,
        )
        return [system(rendered.system), user(rendered.user)]

    async def judge(self, reply: str, context: GradeContext, rules_grade: Grade) -> Judged:
        usage = Usage(engine=Engine.llm.value, model=self._model.name, prompt_hash=self._hash)
        messages = self.messages(reply, context)
        try:
            answer, spent = await within_deadline(
                self._deadline,
                lambda: self._model.structured(
                    messages,
                    JudgeAnswer,
                    max_tokens=self._prompt.max_tokens,
                    temperature=self._prompt.temperature,
                ),
            )
        except TimeoutError:
            return self._degraded(rules_grade, usage, f"past the turn's deadline ({self._deadline} s)", None)
        except UnusableAnswer as error:
            return self._degraded(rules_grade, usage, f"unscored: {error.detail}", error.usage)
        except ProviderError as error:
            return self._degraded(rules_grade, usage, f"{type(error).__name__}: {error.detail}", None)
        self._account(usage, spent)
        return Judged(grade=self.grade(answer, reply, rules_grade), usage=usage)

    def grade(self, answer: JudgeAnswer, reply: str, rules_grade: Grade) -> Grade:
        """The model's answer as a Grade: unfounded evidence dropped, capped when the reply games."""
        capped = speaks_to_grader(reply, rules_grade)
        vouched = {b.code for b in rules_grade.behaviours} if capped else set(Code)
        behaviours: list[Behaviour] = []
        for finding in answer.behaviours:
            if finding.code not in vouched and finding.code not in HARMFUL:
                continue
            span = locate(finding.evidence, reply)
            behaviour = Behaviour(code=finding.code, evidence=span) if span else None
            if behaviour is not None and behaviour not in behaviours:
                behaviours.append(behaviour)
        rubrics: dict[RubricName, RubricScore] = {}
        for name in RubricName:
            finding = getattr(answer.rubrics, name.value)
            score, reason = finding.score, finding.reason
            ceiling = rules_grade.rubrics.get(name)
            if capped and ceiling is not None and score > ceiling.score:
                score, reason = ceiling.score, reason + CAP_NOTE
            evidence = locate(finding.evidence, reply) or ""
            rubrics[name] = RubricScore(score=score, reason=reason, evidence=evidence)
        return Grade(
            behaviours=tuple(behaviours),
            rubrics=rubrics,
            tip=answer.tip,
            engine=Engine.llm,
            degraded=False,
            coding=rules_grade.coding,
        )

    def _degraded(self, rules_grade: Grade, usage: Usage, error: str, spent: ModelUsage | None) -> Judged:
        if spent is not None:
            self._account(usage, spent)
        usage.engine = Engine.rules.value
        usage.degraded = True
        usage.error = error[:500]
        return Judged(grade=rules_grade.model_copy(update={"degraded": True}), usage=usage)

    @staticmethod
    def _account(usage: Usage, spent: ModelUsage) -> None:
        usage.model = spent.model
        usage.input_tokens = spent.input_tokens
        usage.output_tokens = spent.output_tokens
        usage.cost_usd = spent.cost_usd
        usage.latency_ms = spent.latency_ms
