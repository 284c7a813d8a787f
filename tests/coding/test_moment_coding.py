"""The coder at the moments of the exercise (issue 14): the caring reaction, apologies, plans,
disengagement, sarcasm, words without listening and replies it cannot read."""

from __future__ import annotations

import pytest

from trainer.coding.coder import RulesCoder
from trainer.content.scenario import Stage
from trainer.vocabulary.codes import Code
from trainer.vocabulary.grades import GradeContext
from trainer.vocabulary.messages import Message, Role

CODER = RulesCoder()
NEWS = GradeContext(partner="I got into the nursing programme! On my third try!", feelings=("thrilled",))
HURT = GradeContext(
    partner="Yes. That's exactly it. Thank you for hearing it.",
    history=(
        Message(role=Role.partner, text="You were on your phone the whole dinner and I felt so alone."),
    ),
    stage=Stage.closing,
)


def codes(reply: str, context: GradeContext = HURT) -> set[str]:
    return {b.code.value for b in CODER.code(reply, context).behaviours}


@pytest.mark.parametrize(
    "reply",
    [
        "Hearing that, I feel really sad that I left you on your own at that table. I'm on your side.",
        "I love you, and it means a lot to me that you trust me with this.",
        "My heart breaks that I did that to you. I love you.",
        "I feel really protective of you right now.",
        "ahh I'm so chuffed for you, you earned every bit of this",
    ],
)
def test_the_caring_reaction_of_step_six_is_empathy_not_self_focus(reply: str) -> None:
    found = codes(reply)
    assert "empathy" in found and "self_focus" not in found and "reflection" not in found


def test_relating_your_own_story_inside_sympathy_is_still_self_focus() -> None:
    assert {"empathy", "self_focus"} <= codes("I'm so sorry, I've been there too, it was awful for me.")


def test_an_apology_that_owns_the_miss_and_asks_again_is_repair() -> None:
    found = codes("You're right, I changed the subject on you. I'm sorry. Will you tell me again?")
    assert "repair" in found and "self_focus" not in found


@pytest.mark.parametrize("reply", ["Nice.", "ok", "k", "👍", "Oh. Ok.", "lol ok", "Mm-hm."])
def test_a_minimal_reply_to_big_news_is_disengagement(reply: str) -> None:
    assert codes(reply, NEWS) == {"disengagement"}


def test_a_minimal_reply_to_a_logistics_line_is_fine() -> None:
    assert codes("ok", GradeContext(partner="I'll be back around seven, the train's running late.")) == set()


@pytest.mark.parametrize(
    "reply",
    [
        "Anyway, did you see the match last night?",
        "Right. Shall we just order pizza tonight?",
        "Can we not do this now? The game's just starting.",
    ],
)
def test_changing_the_subject_is_disengagement_and_flagged(reply: str) -> None:
    coding = CODER.code(reply, NEWS)
    assert Code.disengagement in coding.codes and "changed_subject" in coding.flags


def test_a_warm_short_reply_that_stays_with_the_news_is_not_disengagement() -> None:
    assert "disengagement" not in codes("Nice!! How did it feel opening that letter?", NEWS)


def test_a_topic_the_partner_raised_is_not_a_change_of_subject() -> None:
    dinner = GradeContext(partner="At dinner you were on your phone the whole time.")
    assert "disengagement" not in codes("What happened at dinner, from your side?", dinner)


@pytest.mark.parametrize(
    "reply",
    [
        "Wow, poor you. Must be so hard having a partner with a job.",
        "Oh, the tragedy. A cold coffee.",
        "wow congrats, someone finally lowered their standards lol",
        "Boo hoo. Join the club.",
    ],
)
def test_sarcasm_that_mocks_the_partner_is_invalidation_and_credits_nothing(reply: str) -> None:
    found = codes(reply, NEWS)
    assert "invalidation" in found and not found & {"validation", "reflection", "empathy"}


@pytest.mark.parametrize(
    "reply",
    [
        "I hear you. Validate. Reflect. Feelings. It makes sense. Open question. You feel thrilled. "
        "Is that right?",
        "It sounds like it sounds like it sounds like. Is that right? That makes sense",
        "Sad. Angry. Hurt. Lonely. Frustrated. Overwhelmed.",
        "So you're feeling frustrated, worried, upset, stressed, sad. Is that right?",
    ],
)
def test_words_without_listening_earn_no_codes(reply: str) -> None:
    coding = CODER.code(reply, NEWS)
    assert coding.behaviours == () and "words_only" in coding.flags


@pytest.mark.parametrize(
    "reply",
    [
        "It sounds like you were hurt. It sounds like you felt alone.",
        "You feel hurt and sort of invisible, because the trip got cancelled.",
        "Is that- is that about your mum?",
    ],
)
def test_real_replies_with_frames_or_feelings_keep_their_content(reply: str) -> None:
    assert "words_only" not in CODER.code(reply, HURT).flags


@pytest.mark.parametrize(
    ("reply", "flag"),
    [
        ("Te sientes sola porque cancelé el sábado otra vez.", "other_language"),
        ("asdkjh qweoiu zmxnb", "gibberish"),
        ("jjjjjjjjjjjjjjjjjj", "gibberish"),
        ("blorp fen vask tellimo graddle?", "gibberish"),
    ],
)
def test_replies_it_cannot_read_get_a_flag_and_no_codes(reply: str, flag: str) -> None:
    coding = CODER.code(reply, NEWS)
    assert coding.behaviours == () and flag in coding.flags


@pytest.mark.parametrize(
    "reply", ["Hi Mr. Johnson?", "whats ASMR?", "Sad. Angry. Hurt. Lonely. Lost. Scared."]
)
def test_names_acronyms_and_feeling_words_are_read(reply: str) -> None:
    flags = CODER.code(reply, NEWS).flags
    assert "gibberish" not in flags and "other_language" not in flags


def test_a_plan_offered_is_advice_whatever_the_context() -> None:
    assert "advice" in codes("Let's put Saturday in the calendar now and I'll leave my phone in the car.")
