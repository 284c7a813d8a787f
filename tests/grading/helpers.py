"""Hand-built codings for grader tests: the scores must not depend on the coder's lexicon."""

from __future__ import annotations

from trainer.content.rubric import RubricSet, load_rubrics
from trainer.grading.grader import RulesGrader
from trainer.settings import DATA_DIR
from trainer.vocabulary.codes import Behaviour, Code, Coding
from trainer.vocabulary.errors import InvalidReply
from trainer.vocabulary.grades import Grade, GradeContext, RubricName

RUBRICS_PATH = DATA_DIR / "rubrics.yaml"
PARTNER = "You cancelled our dinner an hour before, again. I felt like I didn't matter to you."


def rubrics() -> RubricSet:
    return load_rubrics(RUBRICS_PATH)


class FixedCoder:
    """A coder that returns the coding it was given, and refuses blank replies like the real one."""

    def __init__(self, coding: Coding) -> None:
        self.coding = coding

    def code(self, reply: str, context: GradeContext | None = None) -> Coding:
        if not reply.strip():
            raise InvalidReply("the reply is empty")
        return self.coding


def b(code: Code, evidence: str) -> Behaviour:
    return Behaviour(code=code, evidence=evidence)


def grade(
    reply: str,
    *behaviours: Behaviour,
    context: GradeContext | None = None,
    **coding: object,
) -> Grade:
    for behaviour in behaviours:
        assert behaviour.evidence in reply, f"evidence {behaviour.evidence!r} is not in the reply"
    built = Coding(behaviours=behaviours, **coding)
    grader = RulesGrader(rubrics(), coder=FixedCoder(built))
    return grader.grade(reply, context or GradeContext(partner=PARTNER))


def scores(result: Grade) -> dict[str, int]:
    return {name.value: score.score for name, score in result.rubrics.items()}


def score(result: Grade, name: RubricName) -> int:
    return result.rubrics[name].score
