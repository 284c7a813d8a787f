"""An honest report: figures over the turns where the moment called for a rubric, trends that do not
call a zig-zag steady, praise only for what the learner did, hurts named with an example."""

from __future__ import annotations

from trainer.content.rubric import load_rubrics
from trainer.sessions.feedback import ScoreView, Trend, TurnView, feedback, report_lines, trend_of
from trainer.settings import DATA_DIR
from trainer.vocabulary.codes import Code
from trainer.vocabulary.grades import RubricName

R = RubricName
RUBRICS = load_rubrics(DATA_DIR / "rubrics.yaml")
TITLES = {rubric.name: rubric.title for rubric in RUBRICS}


def turn(reply: str, codes: tuple[tuple[Code, str], ...] = (), **scores: tuple[int, bool, str]) -> TurnView:
    base: dict[RubricName, ScoreView] = {name: ScoreView(3, False, "") for name in RubricName}
    base[R.not_fixing] = ScoreView(3, True, "")
    base[R.partner_focus] = ScoreView(3, True, "")
    base.update({R(name): ScoreView(*value) for name, value in scores.items()})
    return TurnView(reply=reply, behaviours=codes, rubrics=base)


def text(turns: list[TurnView]) -> str:
    summary = feedback(turns, TITLES, RUBRICS.tip_priority)
    return "\n".join(report_lines(summary, RUBRICS, "Stopped.", len(turns)))


def test_a_zig_zag_is_uneven_never_steady_and_two_points_are_not_a_trend() -> None:
    assert trend_of([2, 3, 0, 3, 0], 0.5, 2)[0] is Trend.uneven
    assert trend_of([3, 3, 3], 0.5, 2)[0] is Trend.steady
    assert trend_of([1, 2, 3], 0.5, 2)[0] is Trend.improving
    assert trend_of([3, 1], 0.5, 2)[0] is Trend.not_enough_data


def test_means_count_only_the_turns_where_the_rubric_applied() -> None:
    turns = [
        turn("It sounds like you felt alone.", reflection=(3, True, "It sounds like you felt alone.")),
        turn("What was the hardest part?", reflection=(0, False, ""), open_questions=(3, True, "What was")),
        turn("It hurts me to see it.", reflection=(0, False, "")),
    ]
    summary = feedback(turns, TITLES, RUBRICS.tip_priority)
    assert summary.figures[R.reflection].mean == 3 and summary.figures[R.reflection].count == 1
    assert summary.figures[R.validation].mean is None
    assert "Practise next: Reflection" not in text(turns)


def test_a_good_session_with_every_reflection_at_three_is_not_sent_back_to_reflection() -> None:
    turns = [turn("So you felt alone.", reflection=(3, True, "So you felt alone.")) for _ in range(3)]
    turns.append(turn("I'm here for you.", ((Code.empathy, "I'm here for you."),), reflection=(0, False, "")))
    report = text(turns)
    assert "Practise next: Reflection" not in report and "keep doing what worked" in report


def test_a_dismissive_session_names_the_dismissal_and_praises_no_default_score() -> None:
    dismissal = ((Code.invalidation, "You're being a bit sensitive."),)
    turns = [
        turn(
            "You're being a bit sensitive.", dismissal, validation=(0, True, "You're being a bit sensitive.")
        ),
        turn(
            "Everyone else laughed.",
            ((Code.invalidation, "Everyone else laughed."),),
            validation=(0, True, "Everyone else laughed."),
        ),
    ]
    report = text(turns)
    assert (
        'What hurt: Dismissing or judging the feeling (2 replies), e.g. "You\'re being a bit sensitive."'
        in report
    )
    assert "What went well: Not fixing" not in report
    assert "no skill has reached an average of 2" in report
    assert "Practise next: Validation" in report


def test_a_fix_asked_for_is_not_named_and_a_repair_is_credited() -> None:
    asked = turn(
        "Maybe offer help with her budget?",
        ((Code.advice, "Maybe offer help"),),
        not_fixing=(3, True, "Maybe offer help"),
    )
    unasked = turn("Just say no.", ((Code.advice, "Just say no."),), not_fixing=(1, True, "Just say no."))
    repair = turn("I'm sorry, I jumped in. Can I try again?", ((Code.repair, "I'm sorry, I jumped in."),))
    report = text([asked, unasked, repair])
    assert 'Fixing before being asked (1 reply), e.g. "Just say no."' in report
    assert (
        'Repaired: you owned a miss and asked to try again: "I\'m sorry, I jumped in. Can I try again?"'
        in report
    )


def test_went_well_quotes_what_earned_it() -> None:
    said = "So you felt alone."
    report = text([turn(said, reflection=(3, True, said)), turn(said, reflection=(3, True, said))])
    assert 'What went well: Reflection: 3.0 of 3 over 2 replies, e.g. "So you felt alone."' in report
