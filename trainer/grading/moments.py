"""Which rubrics a moment of the exercise called for: the ``applicable`` flag beside each score.

The rules are stated once, in ``rubrics.yaml`` (the ``moments`` table and each rubric's
``applies_when``), and explained in ``trainer.content.moments``. Both engines use this function: the
rules grader with its own reading of the reply, the model judge with the behaviours it found, so a
rubric applies for the same reasons whichever engine graded.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from trainer.content.moments import MomentTable
from trainer.content.rubric import RubricSet, Signal
from trainer.content.scenario import Stage
from trainer.vocabulary.codes import Behaviour
from trainer.vocabulary.grades import RubricName, RubricScore

DEFAULT_STAGE = Stage.sharing
"""The moment of a reply graded without a session (``trainer grade``, ``POST /v1/grade``): the partner
has just told their story."""


def applicable(
    rubrics: RubricSet, stage: Stage | None, signals: frozenset[Signal], *, readable: bool = True
) -> dict[RubricName, bool]:
    """For each rubric, whether the moment called for it (see ``trainer.content.moments``).

    An unreadable reply (another language, gibberish) applies to no rubric: it is not graded.
    """
    if not readable:
        return {rubric.name: False for rubric in rubrics}
    if Signal.changed_subject in signals:
        # A question about something else is no move of the moment (it opens no door for them).
        signals = signals - {Signal.open_question, Signal.closed_question}
    table: MomentTable = rubrics.moments
    moment = table.at(stage or DEFAULT_STAGE)
    moment_moves = frozenset(Signal(code.value) for code in moment.moves)
    made_a_move = not signals.isdisjoint(moment_moves)
    flags: dict[RubricName, bool] = {}
    for rubric in rubrics:
        own_moves = signals.intersection(rubric.moves)
        flags[rubric.name] = (
            rubric.name in table.every_moment
            or not signals.isdisjoint(rubric.applies_when)
            or bool(own_moves and (own_moves & moment_moves or not made_a_move))
            or (rubric.name in moment.rubrics and not made_a_move)
        )
    return flags


def signals_of(behaviours: Iterable[Behaviour], extra: Iterable[Signal] = ()) -> frozenset[Signal]:
    """The signals a list of behaviours shows (each code is a signal), plus ``extra`` ones."""
    return frozenset({Signal(b.code.value) for b in behaviours} | set(extra))


def with_applicability(
    scores: Mapping[RubricName, RubricScore], flags: Mapping[RubricName, bool]
) -> dict[RubricName, RubricScore]:
    """The scores with their ``applicable`` flags set."""
    return {
        name: score
        if score.applicable == flags[name]
        else score.model_copy(update={"applicable": flags[name]})
        for name, score in scores.items()
    }
