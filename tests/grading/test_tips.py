from __future__ import annotations

import itertools

from trainer.content.loader import load_scenario_file
from trainer.content.scenario import Stage
from trainer.grading.tips import deeper_feeling, load_tips, next_step_tip, quotable, topic
from trainer.settings import DATA_DIR
from trainer.vocabulary.codes import Code
from trainer.vocabulary.grades import GradeContext, KeyPointRef, NamedMiss, RubricName
from trainer.vocabulary.messages import Message, Role

from .helpers import b, grade

R = RubricName
LEFT_OUT = GradeContext(partner="You went to the party without me.", feelings=("left out",))


def test_the_weakest_rubric_the_moment_called_for_gets_the_tip() -> None:
    # At "understood" an open question meets the moment: the reflection it lacks is not called for.
    context = GradeContext(partner="Yes, that's it exactly.", feelings=("left out",), stage=Stage.understood)
    reply = "What was the hardest part of it for you?"
    result = grade(reply, b(Code.open_question, reply), context=context)
    assert result.rubrics[R.reflection].score == 0 and not result.rubrics[R.reflection].applicable
    assert "reflect" not in result.tip.lower() and "say back" not in result.tip.lower()


def test_a_fix_that_brushes_the_feeling_aside_gets_a_tip_about_the_fix() -> None:
    reply = "Don't be silly. Just come to the next party with me."
    result = grade(
        reply,
        b(Code.invalidation, "Don't be silly."),
        b(Code.advice, "Just come to the next party"),
        context=LEFT_OUT,
    )
    assert result.rubrics[R.not_fixing].score == result.rubrics[R.validation].score == 0
    assert "fix" in result.tip.lower() and "left out" in result.tip


def test_unasked_advice_after_listening_gets_a_tip_about_holding_the_fix() -> None:
    reply = "You felt left out, and that makes sense. Just come to the next party with me."
    result = grade(
        reply,
        b(Code.reflection, "You felt left out"),
        b(Code.validation, "that makes sense"),
        b(Code.advice, "Just come to the next party"),
        context=LEFT_OUT,
        feeling_named=True,
    )
    assert result.rubrics[R.not_fixing].score == 2
    tip = result.tip.lower()
    assert "fix" in tip or "plan" in tip or "ideas" in tip


def test_a_missed_key_point_is_quoted_as_the_partner_named_it_never_pasted_as_an_id() -> None:
    context = GradeContext(
        partner="You went to the party without me, and you didn't even text.",
        feelings=("left out",),
        key_points=(KeyPointRef(id="the-party", cues=("party",)), KeyPointRef(id="no-text", cues=("text",))),
        named_miss=NamedMiss(words="you didn't even text to say you'd be late"),
    )
    reply = "You felt left out when I went to the party. Is that right?"
    tips = {
        grade(
            reply,
            b(Code.reflection, "You felt left out when I went to the party."),
            b(Code.feeling_check, "Is that right?"),
            context=context.model_copy(update={"turn": turn}),
            feeling_named=True,
            key_points=("the-party",),
        ).tip
        for turn in range(4)
    }
    for tip in tips:
        assert "no-text" not in tip and "no text" not in tip
        # The partner has just said what is missing: no tip sends the learner to ask for it.
        assert "you didn't even text to say you'd be late" in tip and "What have I missed?" not in tip
    assert any("you didn't even text to say you'd be late" in tip for tip in tips)


def test_good_news_that_leaves_out_what_the_partner_names_gets_a_tip_that_names_it() -> None:
    # Seen in practice: "You must be thrilled" got "Say the news back with the feeling in it" while the
    # partner was saying what had been left out.
    words = "I so nearly didn't send it in"
    context = GradeContext(
        partner="Ha, yes. What gets me is that I so nearly didn't send it in.",
        feelings=("thrilled",),
        key_points=(KeyPointRef(id="picked", cues=("picked",)), KeyPointRef(id="nearly", cues=("nearly",))),
        named_miss=NamedMiss(words=words),
    )
    reply = "They picked your painting! You must be thrilled."
    for turn in range(4):
        tip = grade(
            reply, b(Code.reflection, reply), context=context.model_copy(update={"turn": turn}),
            feeling_named=True, key_points=("picked",),
        ).tip
        assert words in tip and "with the feeling in it" not in tip, tip


def test_a_reflection_without_the_feeling_gets_the_part_the_partner_names_not_another_gap() -> None:
    # Practised: "...you come second to my job" left out the feeling and the phone; Maya named the phone,
    # and the tip said "go one step past the facts to the feeling".
    words = "it's the phone as well: last night at dinner it never left the table"
    context = GradeContext(
        partner="Mm, you're getting there. Only, " + words + ".",
        feelings=("hurt",),
        key_points=(KeyPointRef(id="trip", cues=("saturday",)), KeyPointRef(id="phone", cues=("phone",))),
        named_miss=NamedMiss(words=words),
    )
    reply = "You felt pushed aside when I cancelled Saturday for work."
    for turn in range(4):
        result = grade(reply, b(Code.reflection, reply), context=context.model_copy(update={"turn": turn}),
                       key_points=("trip",))
        assert result.rubrics[R.reflection].score == 2
        assert words in result.tip and "to the feeling" not in result.tip, result.tip
        assert "caught the feeling" not in result.tip and "naming the feeling" not in result.tip, result.tip


def test_a_point_left_out_again_gets_a_hint_that_names_it_more_plainly_each_time() -> None:
    words = "you didn't even text to say you'd be late"
    reply = "You felt left out when I went to the party. Is that right?"

    def tip(named_before: int, turn: int) -> str:
        context = LEFT_OUT.model_copy(
            update={
                "key_points": (KeyPointRef(id="the-party", cues=()), KeyPointRef(id="no-text", cues=())),
                "named_miss": NamedMiss(words=words, named_before=named_before),
                "turn": turn,
            }
        )
        return grade(
            reply,
            b(Code.reflection, "You felt left out when I went to the party."),
            b(Code.feeling_check, "Is that right?"),
            context=context,
            feeling_named=True,
            key_points=("the-party",),
        ).tip

    book = load_tips()
    first_time = {tip(0, turn) for turn in range(6)}
    # The first time, the partner has just said it: the tip points to it rather than asking what was missed.
    assert all(f'"{words}"' in t for t in first_time)
    for named_before, level in ((1, 0), (2, 1), (3, 1), (7, 1)):
        tips = [tip(named_before, turn) for turn in range(4)]
        assert all(f'"{words}"' in t for t in tips)
        assert all(one != two for one, two in itertools.pairwise(tips))
        wordings = {v.replace("{said}", words) for v in book.missed_again[level]}
        assert set(tips) <= wordings


def test_once_the_deeper_feeling_is_out_the_tips_name_it() -> None:
    reply = "That sounds hard."
    for turn in range(4):
        context = LEFT_OUT.model_copy(
            update={"stage": Stage.deepening, "deeper_feeling": "afraid", "turn": turn}
        )
        tip = grade(reply, b(Code.validation, reply), context=context).tip
        assert "left out" not in tip
    surface = [grade(reply, context=LEFT_OUT.model_copy(update={"turn": n})).tip for n in range(3)]
    deeper = [
        grade(reply, context=LEFT_OUT.model_copy(update={"turn": n, "deeper_feeling": "afraid"})).tip
        for n in range(3)
    ]
    assert any("left out" in tip for tip in surface)
    assert deeper == [tip.replace("left out", "afraid") for tip in surface]
    # Good news stays good news underneath: the wording is chosen by the surface feeling.
    glad = GradeContext(partner="I got in!", feelings=("thrilled",), deeper_feeling="relieved")
    for n in range(3):
        at_turn = glad.model_copy(update={"turn": n})
        plain = grade(reply, context=at_turn.model_copy(update={"deeper_feeling": None})).tip
        assert grade(reply, context=at_turn).tip == plain.replace("thrilled", "relieved")


def test_the_deeper_feeling_is_a_word_from_the_scenarios_deeper_section() -> None:
    scenario = load_scenario_file(DATA_DIR / "scenarios" / "work-vent.yaml")
    assert deeper_feeling(scenario) == "afraid"
    guilt = scenario.deeper.model_copy(update={"summary": "Underneath, it is all about the deadline.",
                                                "cues": ["deadline", "guilty"]})
    assert deeper_feeling(scenario.model_copy(update={"deeper": guilt})) == "guilty"
    none = guilt.model_copy(update={"cues": ["deadline"]})
    assert deeper_feeling(scenario.model_copy(update={"deeper": none})) is None
    # Once the partner has said it, the word the partner used wins: the latest line carrying a cue.
    said = ["I'm so angry.", "Honestly? I'm more ashamed than angry. I froze.", "Yeah."]
    assert deeper_feeling(scenario, said) == "ashamed"
    assert deeper_feeling(scenario, ["I'm so angry."]) == "afraid"


def test_consecutive_turns_never_get_the_same_tip() -> None:
    reply = "You should call them."
    tips = [
        grade(reply, b(Code.advice, reply), context=LEFT_OUT.model_copy(update={"turn": turn})).tip
        for turn in range(6)
    ]
    assert all(one != two for one, two in itertools.pairwise(tips))
    assert grade(reply, b(Code.advice, reply), context=LEFT_OUT).tip == tips[0]  # deterministic


def test_after_a_withdrawal_the_tip_models_a_repair_naming_what_went_wrong() -> None:
    context = LEFT_OUT.model_copy(update={"stage": Stage.withdrawn})
    reply = "You're overreacting."
    result = grade(reply, b(Code.invalidation, reply), context=context)
    assert "try again" in result.tip.lower() and "sorry" in result.tip.lower()
    assert "brushed your feelings aside" in result.tip


def test_good_news_gets_tips_that_fit_good_news() -> None:
    context = GradeContext(partner="I got the job!", feelings=("thrilled",))
    for turn in range(3):
        reply = "Nice."
        result = grade(reply, b(Code.disengagement, reply), context=context.model_copy(update={"turn": turn}))
        assert "upset" not in result.tip and "even if you see it differently" not in result.tip
        assert "hurt" not in result.tip


def test_an_unreadable_reply_gets_a_tip_to_write_in_english() -> None:
    reply = "Te sientes sola porque cancelé el sábado."
    result = grade(reply, context=LEFT_OUT, flags=("other_language",))
    assert result.notice is not None and "English" in result.notice
    assert "English" in result.tip
    assert not any(score.applicable for score in result.rubrics.values())


def test_a_moment_met_in_full_gets_the_next_step_of_that_moment() -> None:
    reply = "It sounds like you felt left out when I went alone. Is that right?"
    codes = (
        b(Code.reflection, "It sounds like you felt left out when I went alone."),
        b(Code.feeling_check, "Is that right?"),
    )
    sharing = grade(reply, *codes, context=LEFT_OUT, feeling_named=True)
    assert all(s.score == 3 for s in sharing.rubrics.values() if s.applicable)
    assert "missed" in sharing.tip or "all of it" in sharing.tip
    closing = LEFT_OUT.model_copy(update={"stage": Stage.closing})
    caring = "It hurts me to think of you there alone."
    done = grade(caring, b(Code.empathy, caring), context=closing)
    assert "your side" in done.tip
    waiting = grade(reply, *codes, context=closing, feeling_named=True)
    assert "caring reaction" in waiting.tip or "Step six" in waiting.tip


def test_without_the_partner_naming_a_miss_the_tip_quotes_none_of_its_lines() -> None:
    # The partner decides what a reflection missed (``named_miss``); the tip does not guess another
    # point from the partner's earlier lines, which could contradict what the partner says.
    story = "You went to the party without me, and you didn't even text."
    context = GradeContext(
        partner="Mm. Go on.",
        history=(Message(role=Role.partner, text=story),),
        feelings=("left out",),
        key_points=(KeyPointRef(id="no-text", cues=("text",)),),
    )
    reply = "You felt left out."
    tips = {
        grade(
            reply,
            b(Code.reflection, reply),
            context=context.model_copy(update={"turn": n}),
            feeling_named=True,
        ).tip
        for n in range(3)
    }
    assert not any("text" in tip for tip in tips)


def test_key_point_ids_read_as_words() -> None:
    assert topic("no-text_back") == "no text back"


def test_every_feeling_phrase_frames_the_word_as_a_feeling() -> None:
    """'you're unimportant' would hurt; 'you feel unimportant' reflects. Good-news wordings are only
    used with glad feelings ("you're thrilled")."""
    for tips in load_tips().rubric_tips:
        for text in tips.variants:
            for before in text.split("{feeling}")[:-1]:
                last = before.split()[-1] if before.split() else ""
                assert last in {"feel", "feeling", "felt", "how", "really"}, text


def test_the_next_step_after_an_open_question_does_not_praise_a_reflection() -> None:
    # An open question that moved the partner on: they are telling the story now, so no "good
    # reflection"; the step to come is to reflect what they say.
    for turn in range(4):
        tip = next_step_tip(frozenset({Code.open_question}), Stage.clarifying, False, turn)
        assert "reflection" not in tip.lower() and ("reflect" in tip.lower() or "say back" in tip.lower())
    after_reflection = next_step_tip(frozenset({Code.reflection}), Stage.clarifying, False, 1)
    assert "reflection" in after_reflection.lower() or "heard" in after_reflection.lower()


def test_when_they_asked_for_ideas_the_next_step_answers_the_request() -> None:
    # Seen in hand practice of asks-for-advice: after "What do you think I should do?" and a reply
    # that left them feeling heard, the tip still pointed to an open question about what lies
    # underneath. Once heard, the request is answered, gently: an idea offered or asked about.
    codes = frozenset({Code.reflection, Code.validation})
    for stage in (Stage.understood, Stage.deepening):
        for turn in range(4):
            tip = next_step_tip(codes, stage, False, turn, ideas_asked=True)
            assert "underneath" not in tip and ("idea" in tip or "thought" in tip), tip
    # Without the request, understood still invites what lies underneath.
    assert "underneath" in next_step_tip(codes, Stage.understood, False, 1)
    assert "underneath" in next_step_tip(codes, Stage.understood, False, 0)


def test_the_feelings_of_good_news_are_data_in_the_words_file() -> None:
    """Issue 13: one feelings list, in words.yaml; the glad ones are marked there, not listed in code."""
    from trainer.coding import lexicon
    from trainer.grading import tips

    assert tips.GOOD_NEWS is lexicon.FEELINGS_OF_GOOD_NEWS
    glad = ["thrilled", "excited", "proud", "happy", "relieved", "delighted", "elated", "overjoyed"]
    assert set([*glad, "joyful", "giddy", "ecstatic", "grateful"]) == tips.GOOD_NEWS


def test_the_partners_words_sit_cleanly_inside_a_tips_quotes() -> None:
    assert quotable('it was "that\'s just Mum".') == "it was 'that's just Mum'"
    assert quotable("I stood in the kitchen on my own!") == "I stood in the kitchen on my own"
    assert quotable("Was it the phone?") == "Was it the phone?"
