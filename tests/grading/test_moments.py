"""What each moment calls for: the ``applicable`` flag beside every score (rubrics.yaml, ``moments``)."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from trainer.content.moments import MomentTable
from trainer.content.rubric import Signal
from trainer.content.scenario import Stage
from trainer.grading.moments import applicable
from trainer.vocabulary.codes import Code
from trainer.vocabulary.grades import GradeContext, RubricName

from .helpers import b, grade, rubrics

R = RubricName
S = Signal


def applied(stage: Stage | None, *signals: Signal) -> set[RubricName]:
    return {name for name, yes in applicable(rubrics(), stage, frozenset(signals)).items() if yes}


def test_every_stage_has_exactly_one_row_and_facilitator_words() -> None:
    table = rubrics().moments
    for stage in Stage:
        row = table.at(stage)
        assert row.moment and row.calls_for and row.moves
    with pytest.raises(ValidationError, match="no row for"):
        MomentTable.model_validate({"every_moment": [], "table": [table.table[0].model_dump()]})


def test_the_story_calls_for_a_reflection_and_asking_stands_in_for_one() -> None:
    assert applied(Stage.sharing, S.reflection, S.feeling_check) == {
        R.reflection,
        R.not_fixing,
        R.partner_focus,
    }
    assert applied(Stage.clarifying, S.open_question) == {R.open_questions, R.not_fixing, R.partner_focus}
    # No move of the moment: the reflection it called for is marked down, and validation too when given.
    assert applied(Stage.sharing, S.validation) == {R.reflection, R.validation, R.not_fixing, R.partner_focus}


def test_feeling_understood_calls_for_validation_or_an_open_question_not_both() -> None:
    assert applied(Stage.understood, S.open_question) == {R.open_questions, R.not_fixing, R.partner_focus}
    assert applied(Stage.understood, S.validation, S.reflection) == {
        R.validation,
        R.not_fixing,
        R.partner_focus,
    }
    assert applied(Stage.understood) == {R.validation, R.open_questions, R.not_fixing, R.partner_focus}


def test_the_caring_reaction_and_the_repair_are_graded_on_focus_and_not_fixing() -> None:
    assert applied(Stage.closing, S.empathy, S.reflection) == {R.not_fixing, R.partner_focus}
    assert applied(Stage.withdrawn, S.repair, S.reflection) == {R.not_fixing, R.partner_focus}
    assert applied(Stage.withdrawn, S.reflection) == {R.reflection, R.not_fixing, R.partner_focus}


def test_a_miss_makes_its_rubric_apply_at_any_moment() -> None:
    assert R.validation in applied(Stage.closing, S.invalidation)
    assert R.reflection in applied(Stage.understood, S.validation, S.parroting)
    assert R.open_questions in applied(Stage.sharing, S.reflection, S.leading_question)


def test_a_question_that_changes_the_subject_is_no_move() -> None:
    assert applied(Stage.sharing, S.open_question, S.changed_subject) == {
        R.reflection,
        R.not_fixing,
        R.partner_focus,
    }


def test_a_reply_without_a_session_is_read_as_answering_the_story() -> None:
    assert applied(None, S.open_question) == applied(Stage.sharing, S.open_question)


def test_an_unreadable_reply_applies_to_no_rubric() -> None:
    flags = applicable(rubrics(), Stage.sharing, frozenset({S.reflection}), readable=False)
    assert not any(flags.values())


def test_the_grade_carries_the_flags_and_keeps_every_score() -> None:
    context = GradeContext(partner="Yes, exactly.", stage=Stage.closing)
    reply = "It hurts me to think of you sitting there alone."
    result = grade(reply, b(Code.empathy, reply), context=context)
    assert set(result.rubrics) == set(RubricName)
    assert {n for n, s in result.rubrics.items() if s.applicable} == {R.not_fixing, R.partner_focus}
    assert result.rubrics[R.partner_focus].score == 3
