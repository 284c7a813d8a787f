from __future__ import annotations

from trainer.grading.reading import Judgement
from trainer.grading.tips import topic, weakest
from trainer.vocabulary.codes import Code
from trainer.vocabulary.grades import GradeContext, KeyPointRef, RubricName

from .helpers import b, grade, rubrics

R = RubricName
LEFT_OUT = GradeContext(partner="You went to the party without me.", feelings=("left out",))


def judgements(**scores: int) -> dict[RubricName, Judgement]:
    base = {name: Judgement(3, "fine") for name in RubricName}
    base.update({R(name): Judgement(value, "low") for name, value in scores.items()})
    return base


def test_the_weakest_rubric_gets_the_tip() -> None:
    assert weakest(judgements(open_questions=0, not_fixing=1), rubrics().tip_priority) is R.open_questions


def test_ties_go_to_the_rubric_that_matters_most() -> None:
    priority = rubrics().tip_priority
    assert weakest(judgements(open_questions=1, validation=1, reflection=1), priority) is R.validation
    assert weakest(judgements(partner_focus=2, open_questions=2), priority) is R.partner_focus
    everything = {name.value: 2 for name in RubricName}
    assert weakest(judgements(**everything), priority) is R.not_fixing


def test_a_fix_that_brushes_the_feeling_aside_gets_a_tip_about_the_fix() -> None:
    reply = "Don't be silly. Just come to the next party with me."
    result = grade(reply, b(Code.invalidation, "Don't be silly."),
                   b(Code.advice, "Just come to the next party"), context=LEFT_OUT)
    assert result.rubrics[R.not_fixing].score == result.rubrics[R.validation].score == 0
    assert "fix" in result.tip.lower() or "solution" in result.tip.lower()
    assert "Try" in result.tip or "with the feeling" in result.tip
    assert "left out" in result.tip


def test_unasked_advice_after_listening_gets_a_tip_about_holding_the_fix() -> None:
    reply = "You felt left out, and that makes sense. Just come to the next party with me."
    result = grade(reply, b(Code.reflection, "You felt left out"), b(Code.validation, "that makes sense"),
                   b(Code.advice, "Just come to the next party"), context=LEFT_OUT, feeling_named=True)
    assert result.rubrics[R.not_fixing].score == 2
    tip = result.tip.lower()
    assert "advice" in tip or "fix" in tip or "solution" in tip


def test_the_example_phrase_uses_the_scenario_feeling() -> None:
    reply = "You went to a party."
    result = grade(reply, b(Code.reflection, reply), context=LEFT_OUT)
    assert "left out" in result.tip


def test_the_feeling_comes_from_the_partner_line_when_the_context_names_none() -> None:
    reply = "That's a shame. Don't you think you should get over it?"
    result = grade(reply, b(Code.invalidation, "get over it"),
                   context=GradeContext(partner="I felt so ignored at the wedding."))
    assert "ignored" in result.tip


def test_a_missed_key_point_is_named_in_the_tip() -> None:
    context = GradeContext(
        partner="You went to the party without me and didn't even text.",
        feelings=("left out",),
        key_points=(KeyPointRef(id="party", cues=("party",)), KeyPointRef(id="no-text", cues=("text",))),
    )
    reply = "You felt left out when I went to the party. That makes sense. What was that like?"
    result = grade(reply, b(Code.reflection, "You felt left out when I went to the party."),
                   b(Code.validation, "That makes sense."), b(Code.open_question, "What was that like?"),
                   context=context, feeling_named=True, key_points=("party",))
    assert result.rubrics[R.reflection].score == 2
    assert "no text" in result.tip


def test_everything_at_three_gets_the_next_step_of_the_exercise() -> None:
    reply = "It makes sense you felt left out when I went alone. What was that like?"
    codes = (b(Code.reflection, "you felt left out when I went alone"), b(Code.validation, "It makes sense"),
             b(Code.open_question, "What was that like?"))
    first = grade(reply, *codes, context=LEFT_OUT, feeling_named=True)
    assert all(s.score == 3 for s in first.rubrics.values())
    assert "?" in first.tip and ("correct" in first.tip or "landed" in first.tip)
    checked_reply = reply + " Did I get that right?"
    checked = grade(checked_reply, *codes, b(Code.feeling_check, "Did I get that right?"), context=LEFT_OUT,
                    feeling_named=True)
    assert "reaction" in checked.tip or "empathy" in checked.tip
    closing = "It hurts me to see you felt so left out. What was that like?"
    done = grade(closing, b(Code.empathy, "It hurts me to see you felt so left out."),
                 b(Code.validation, "you felt so left out"), b(Code.reflection, "you felt so left out"),
                 b(Code.open_question, "What was that like?"), context=LEFT_OUT, feeling_named=True)
    assert "your side" in done.tip


def test_tips_are_deterministic_and_varied() -> None:
    tips = set()
    for n in range(12):
        reply = f"You should call them, number {n}."
        first = grade(reply, b(Code.advice, "You should call them"), context=LEFT_OUT).tip
        assert grade(reply, b(Code.advice, "You should call them"), context=LEFT_OUT).tip == first
        tips.add(first)
    assert len(tips) > 1


def test_key_point_ids_read_as_words() -> None:
    assert topic("no-text_back") == "no text back"


def test_every_feeling_phrase_frames_the_word_as_a_feeling() -> None:
    """'you're unimportant' would hurt; 'you feel unimportant' reflects. Every template says feel/felt."""
    from trainer.grading.wording import FEEDBACK

    for causes in FEEDBACK.tips.values():
        for text in (text for variants in causes.values() for text in variants):
            for before in text.split("{feeling}")[:-1]:
                last = before.split()[-1] if before.split() else ""
                assert last in {"feel", "feeling", "felt", "how", "really"}, text


def test_a_self_worth_feeling_reads_well_in_every_rubric_tip() -> None:
    context = GradeContext(partner="You cancelled again.", feelings=("unimportant",))
    for reply, behaviour in [
        ("You're overreacting.", b(Code.invalidation, "You're overreacting.")),
        ("You should relax.", b(Code.advice, "You should relax.")),
        ("I was busy.", b(Code.defensiveness, "I was busy.")),
    ]:
        tip = grade(reply, behaviour, context=context).tip
        assert "you're unimportant" not in tip.lower() and "you unimportant" not in tip.lower()
