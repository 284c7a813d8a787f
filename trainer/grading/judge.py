"""The model judge: a language model grades a reply against the same rubrics as the rules grader.

The reply (and the conversation) go into the prompt fenced by tags that carry a fresh random nonce,
with anything that looks like one of those tags defused, and the prompt says the fenced text is
data to grade, never instructions. The answer is a validated ``JudgeAnswer``.

The rules grade guards the model (``trainer.coding.cap``): a score above the rules score needs
evidence said to the partner and found in the reply, rises one point at most, and never for a reply
that speaks to the grader; quoted evidence that is not in the reply drops the model's score; a
reply that speaks to the grader keeps only the behaviours the rules coder also found (harmful ones
always stay). Any provider failure, or an answer still invalid after its re-asks, gives back the
rules grade marked degraded, never an error and never a zero. The reply is cleaned
(``clean_reply``) before the model or the cap sees it.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from trainer.coding.cap import GRADER_NOTE, ReplyChecks, capped
from trainer.coding.guard import ADDRESSES_GRADER, addresses_grader
from trainer.coding.invisible import clean_reply
from trainer.content.prompts import TAG_LIKE, Prompt, fence, load_prompt
from trainer.content.rubric import RubricSet
from trainer.grading.moments import applicable, signals_of, with_applicability
from trainer.grading.reading import FLAG_SIGNALS
from trainer.llm.resilience import CircuitBreaker
from trainer.llm.structured import NoAnswer, answer_within
from trainer.llm.types import ChatMessage, ChatModel, ModelUsage, system, user
from trainer.vocabulary.codes import HARMFUL, Behaviour, Code
from trainer.vocabulary.grades import Engine, Grade, GradeContext, RubricName, RubricScore
from trainer.vocabulary.messages import Role
from trainer.vocabulary.seams import Judged, Usage
from trainer.vocabulary.stages import Stage

PROMPT_FILE = "judge.yaml"
CAP_NOTE = GRADER_NOTE

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




DISAGREEMENT_POINTS = 2


def disagreement(answer: JudgeAnswer, rules_grade: Grade) -> dict[str, tuple[int, int]]:
    """The rubrics where the model's own score and the rules score differ by two points or more."""
    found: dict[str, tuple[int, int]] = {}
    for name, rules in rules_grade.rubrics.items():
        model = getattr(answer.rubrics, name.value).score
        if abs(model - rules.score) >= DISAGREEMENT_POINTS:
            found[name.value] = (rules.score, model)
    return found


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
        prompt.require_definitions(code.value for code in Code)
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
            stage=context.stage.value if context.stage is not None else None,
        )
        return [system(rendered.system), user(rendered.user)]

    async def judge(self, reply: str, context: GradeContext, rules_grade: Grade) -> Judged:
        usage = Usage(engine=Engine.llm.value, model=self._model.name, prompt_hash=self._hash)
        reply = clean_reply(reply)
        messages = self.messages(reply, context)
        got = await answer_within(
            self._model,
            messages,
            JudgeAnswer,
            max_tokens=self._prompt.max_tokens,
            temperature=self._prompt.temperature,
            deadline=self._deadline,
        )
        if isinstance(got, NoAnswer):
            return self._degraded(rules_grade, usage, got.reason, got.spent)
        answer, spent = got
        self._account(usage, spent)
        return Judged(
            grade=self.grade(answer, reply, rules_grade, context.stage),
            usage=usage,
            disagreement=disagreement(answer, rules_grade),
        )

    def grade(self, answer: JudgeAnswer, reply: str, rules_grade: Grade, stage: Stage | None = None) -> Grade:
        """The model's answer as a Grade, held to what the reply shows (``trainer.coding.cap``), each
        rubric marked applicable by the moment and the behaviours either engine found."""
        reply = clean_reply(reply)
        flags = rules_grade.coding.flags if rules_grade.coding is not None else ()
        checks = ReplyChecks.of(reply, speaks_to_grader(reply, rules_grade), flags)
        found_by_rules = {b.code for b in rules_grade.behaviours}
        behaviours: list[Behaviour] = []
        for finding in answer.behaviours:
            vouched = finding.code in found_by_rules or finding.code in HARMFUL
            if not vouched and not checks.supports_more(finding.evidence):
                continue
            span = checks.found(finding.evidence)
            behaviour = Behaviour(code=finding.code, evidence=span) if span else None
            if behaviour is not None and behaviour not in behaviours:
                behaviours.append(behaviour)
        rubrics: dict[RubricName, RubricScore] = {}
        for name in RubricName:
            finding = getattr(answer.rubrics, name.value)
            floor = rules_grade.rubrics.get(name)
            if floor is None:
                score, note = finding.score, ""
            else:
                score, note = capped(finding.score, floor.score, finding.evidence, checks)
            evidence = checks.found(finding.evidence) or ""
            rubrics[name] = RubricScore(score=score, reason=finding.reason + note, evidence=evidence)
        signals = signals_of(behaviours, [FLAG_SIGNALS[f] for f in flags if f in FLAG_SIGNALS])
        # What the moment called for, by the model's behaviours or by the rules reading's (either
        # engine may see a move or a miss the other did not).
        applies = applicable(self._rubrics, stage, signals, readable=rules_grade.notice is None)
        for name, score in rules_grade.rubrics.items():
            applies[name] = applies[name] or score.applicable
        return Grade(
            behaviours=tuple(behaviours),
            rubrics=with_applicability(rubrics, applies),
            tip=answer.tip,
            notice=rules_grade.notice,
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
        usage.cached_input_tokens = spent.cached_input_tokens
        usage.output_tokens = spent.output_tokens
        usage.cost_usd = spent.cost_usd
        usage.latency_ms = spent.latency_ms
