"""What a turn runs on: the rules grader (always), a judge and a partner voice, chosen once at start.

Offline (the default) the judge passes the rules grade through and the scripted partner reads the
scenario's lines. With a model configured (``TRAINER_LLM_*``), the model judge and the model partner
take over and fall back to the offline engines on any provider failure, so a turn never fails
because of a model: it is marked degraded instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import httpx

from trainer.content.rubric import RubricSet
from trainer.grading.grader import RulesGrader
from trainer.partner.scripted_partner import ScriptedPartner
from trainer.partner.voice import PartnerVoice
from trainer.safety.model_check import ModelRiskCheck, RiskChecked
from trainer.safety.service import Safety
from trainer.settings import Settings
from trainer.vocabulary.grades import Grade, GradeContext
from trainer.vocabulary.messages import Message
from trainer.vocabulary.seams import Judge, Judged, Usage


class OfflineJudge:
    """The judge with no model: the rules grade is the grade."""

    async def judge(self, reply: str, context: GradeContext, rules_grade: Grade) -> Judged:
        return Judged(grade=rules_grade, usage=Usage(engine="rules"))


@dataclass(frozen=True)
class Engines:
    """What a turn runs on: the safety screen (first), the rules grader, a judge and a partner voice,
    and, when a model is configured, the model's safety check (``trainer.safety.model_check``)."""

    grader: RulesGrader
    judge: Judge
    voice: PartnerVoice
    safety: Safety = field(default_factory=Safety.load)
    risk: ModelRiskCheck | None = None

    @classmethod
    def offline(cls, rubrics: RubricSet, safety: Safety | None = None) -> Engines:
        return cls(
            grader=RulesGrader(rubrics),
            judge=OfflineJudge(),
            voice=ScriptedPartner(),
            safety=safety or Safety.load(),
        )

    @classmethod
    def from_settings(cls, settings: Settings, client: httpx.AsyncClient, rubrics: RubricSet) -> Engines:
        """The model judge and partner when a model is configured, else the offline engines.

        The model engines fall back to the offline ones on any provider failure, so a turn never
        fails because of a model: it is marked degraded instead.
        """
        from trainer.grading.judge import ModelJudge
        from trainer.llm import build_models
        from trainer.partner.model_partner import ModelPartner

        safety = Safety.load(settings.safety_resources_path, settings.screen_reader)
        deadline = settings.turn_deadline_seconds
        models = build_models(settings, client)
        if models is None:
            return cls.offline(rubrics, safety)
        return cls(
            grader=RulesGrader(rubrics),
            judge=ModelJudge.load(
                models.judge, rubrics, settings.prompts_dir, deadline=deadline
            ),
            voice=ModelPartner.load(
                models.partner,
                settings.prompts_dir,
                fallback=ScriptedPartner(),
                deadline=deadline,
            ),
            safety=safety,
            risk=ModelRiskCheck.load(models.judge, settings.prompts_dir, deadline=deadline)
            if settings.model_safety_check
            else None,
        )

    async def risk_of(self, reply: str, partner: str) -> RiskChecked | None:
        """The model's safety check of a reply the offline screen let through but is unsure of (None:
        no model, or a reply the offline screen sees no risk in)."""
        return await self.safety.ask(self.risk, reply, partner)

    async def grade_alone(self, partner: str, reply: str, history: Sequence[Message]) -> Grade:
        """A grade with no session: the rules grade, or the model judge's when one is configured."""
        context = GradeContext(partner=partner, history=tuple(history))
        rules_grade = self.grader.grade(reply, context)
        judged = await self.judge.judge(reply, context, rules_grade)
        return judged.grade
