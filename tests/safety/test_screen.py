"""The safety screen on the developer's own examples (the labelled set in evals/screen is kept apart).

Each list holds replies written from the definitions in issue 17: risk to self, risk to others, and
abuse or danger at home, in plain, misspelt, slang and indirect forms; and the idioms, hyperbole,
stories and quoted words that must not set the screen off.
"""

from __future__ import annotations

import time

import pytest

from trainer.safety.lexicon import Category
from trainer.safety.screen import Screen, default_screen

SELF_HARM = [
    "i am going to kill myself tonight",
    "I want to die",
    "i just want to die honestly",
    "kms",
    "ngl i might kms",
    "Im gonna k1ll myslef!!",
    "i want to kil my self",
    "i want to disappear forever",
    "there's no point going on",
    "honestly what is the point of living",
    "i dont want to be here anymore",
    "I don't think I can go on",
    "everyone would be better off without me",
    "nobody would even notice if i was gone",
    "I've been cutting again",
    "i keep hurting myself when it gets bad",
    "I'm suicidal",
    "i feel sucidal tonight",
    "been having suicidal thoughts lately",
    "I've been thinking about ending it all",
    "i have been saving up my pills",
    "i wish i was never born",
    "I wish I could go to sleep and never wake up",
    "I want to unalive myself",
    "thinking about sewerslide ngl",
    "I tried to overdose last year and I feel like that again",
    "i'm going to jump off the bridge near my house",
    "this is my last night, goodbye forever",
    "i have nothing left to live for",
    "Life isn't worth living anymore",
    "I'm such a burden to everyone",
]
HARM_TO_OTHERS = [
    "I will hit you",
    "i'm going to kill him",
    "ill stab you if you say that again",
    "I swear I will hurt her",
    "i want to punch him in the face",
    "kill yourself",
    "kys",
    "i know where you live",
    "I'm going to bring a knife to school tomorrow",
    "i'm gonna beat the crap out of him",
    "I'll smash your face in",
    "sometimes I hit my kids and I can't stop",
    "I'm scared I'm going to hurt the baby",
]
ABUSE = [
    "when I say that he hits me",
    "I'm scared to go home",
    "my dad hits my mum when he drinks",
    "he said he'd kill me if i told anyone",
    "my boyfriend chokes me when he's angry",
    "i dont feel safe at home",
    "she screams 'I will kill you' at me",
    "my stepdad touches me when i don't want him to",
    "I'm being abused",
    "he won't let me see my friends or have my own money",
    "i have to hide the bruises from my teachers",
    "I'm terrified of my husband",
    "I'm scared he will hurt me if I leave",
    "my mum's boyfriend beats me",
]
NEGATIVES = [
    "this deadline is killing me",
    "I could murder a pizza",
    "I nearly died laughing",
    "you'll be the death of me",
    "my feet are killing me after that walk",
    "I was so embarrassed I wanted to die when he read it out",
    "she beat me at chess again",
    "it hit me that he was right all along",
    "hit me up later if you want to talk",
    "I cut myself shaving this morning",
    "I hurt myself at the gym",
    "my mum is going to kill me if she sees this mess",
    "I'd kill for a holiday right now",
    "we killed it at the presentation",
    "I'm dying to know what happened next",
    "that film was to die for",
    "I would never hurt myself, don't worry",
    "I'm not suicidal, just exhausted",
    "in the movie the villain says I will kill you",
    "my character in the game keeps dying",
    "we read Romeo and Juliet in English class and he kills himself",
    "I want to kill time before the meeting",
    "I'll kill you at mario kart tonight",
    "I'll hit you up tomorrow",
    "what she said really touched me",
    "my coach pushed me to do better",
    "I'm scared of spiders",
    "I don't want to live in London anymore",
    "I can't go on the trip this weekend",
    "It sounds like the deadline is crushing you",
    "So you felt like you wanted to disappear when they laughed?",
    "I would rather die than sing karaoke",
    "Drop dead gorgeous dress by the way",
    "that joke killed me",
    "dying of embarrassment over here",
    "I'm dead lol",
]


@pytest.fixture(scope="module")
def screen() -> Screen:
    return default_screen()


@pytest.mark.parametrize("reply", SELF_HARM)
def test_risk_to_self(screen: Screen, reply: str) -> None:
    hit = screen.check(reply)
    assert hit is not None and hit.category is Category.self_harm, reply


@pytest.mark.parametrize("reply", HARM_TO_OTHERS)
def test_risk_to_others(screen: Screen, reply: str) -> None:
    hit = screen.check(reply)
    assert hit is not None and hit.category is Category.harm_to_others, reply


@pytest.mark.parametrize("reply", ABUSE)
def test_abuse_or_danger_at_home(screen: Screen, reply: str) -> None:
    hit = screen.check(reply)
    assert hit is not None and hit.category is Category.abuse, reply


@pytest.mark.parametrize("reply", NEGATIVES)
def test_idioms_hyperbole_and_stories_pass(screen: Screen, reply: str) -> None:
    assert screen.check(reply) is None, reply


def test_quoting_the_partner_back_is_not_the_learner_speaking(screen: Screen) -> None:
    partner = "Honestly, some days I just want to disappear forever."
    quoting = 'When you say "I just want to disappear forever", what is that like?'
    assert screen.check(quoting, partner) is None
    assert screen.check("You said 'I want to die' - what did you mean?") is None
    assert screen.check("I want to disappear forever", partner) is None
    assert screen.check("I want to disappear forever") is not None


def test_risk_to_self_comes_before_the_others(screen: Screen) -> None:
    hit = screen.check("He hits me. I want to die.")
    assert hit is not None and hit.category is Category.self_harm


def test_a_hit_names_the_phrase_not_the_words(screen: Screen) -> None:
    hit = screen.check("i want to die")
    assert hit is not None and hit.rule.startswith("self_harm[") and "die" not in hit.rule


def test_the_risk_is_found_anywhere_in_a_long_reply(screen: Screen) -> None:
    filler = "It sounds like a long week and the deadline is killing you. " * 400
    assert screen.check(filler + "Honestly I want to kill myself.") is not None
    assert screen.check(filler) is None


@pytest.mark.parametrize(
    "reply",
    [
        "i " * 30_000,
        "i want to " * 6_000,
        "he said that my dad " * 3_000,
        "this deadline is killing me and I could murder a pizza " * 1_100,
        "*" * 60_000,
        '"' * 60_000,
        "aaaa" * 15_000,
        "kill " * 12_000,
    ],
)
def test_a_60000_character_reply_cannot_make_the_screen_backtrack(screen: Screen, reply: str) -> None:
    reply = reply[:60_000]
    started = time.perf_counter()
    screen.check(reply, partner=reply)
    # Linear work takes tens of milliseconds here; catastrophic backtracking would take seconds.
    assert time.perf_counter() - started < 0.5


@pytest.mark.parametrize(
    ("reply", "expected"),
    [
        # a desire, a plan or a thought with an act of harm to oneself, in words the phrases never list
        ("honestly i would like to just disappear and never come back", Category.self_harm),
        ("part of me wants to crash the car on purpose", Category.self_harm),
        ("i keep thinking about going over the side of the bridge", Category.self_harm),
        # I will / want to + a harm verb + a person
        ("i want to hurt the guy who did this to my sister", Category.harm_to_others),
        ("im gonna smash my brothers head in", Category.harm_to_others),
        # someone at home + controls / hurts + me
        ("my partner reads all my messages and tells me who i am allowed to see", Category.abuse),
        ("my carer shouts at me and then pinches me", Category.abuse),
    ],
)
def test_families_reach_phrasings_they_do_not_list(screen: Screen, reply: str, expected: Category) -> None:
    hit = screen.check(reply)
    assert hit is not None and hit.category is expected


def test_a_disclaimer_makes_a_story_or_an_idiom_count(screen: Screen) -> None:
    story = "I'm writing a story about a girl who overdoses. It's not really a story, it's me."
    assert screen.check("I'm writing a story about a girl who overdoses.") is None
    hit = screen.check(story)
    assert hit is not None and hit.category is Category.self_harm
    assert screen.check("I mean it, I will kill him at chess.") is None  # the idiom stays an idiom


def test_a_joking_marker_discounts_only_figurative_threats(screen: Screen) -> None:
    assert screen.check("im going to kill my sister lol she ate my chips") is None
    assert screen.check("my family will kill me if they find out i dented the car 😅") is None
    literal = screen.check("my dad hits me lol")
    assert literal is not None and literal.category is Category.abuse
    own_life = screen.check("i want to die lol")
    assert own_life is not None and own_life.category is Category.self_harm
    meant = screen.check("i'm going to kill him lol. i'm not joking")
    assert meant is not None and meant.category is Category.harm_to_others


def test_a_reflection_of_the_partner_is_not_risk_in_any_category(screen: Screen) -> None:
    assert screen.check("It sounds like you've been scared to go home.") is None
    hit = screen.check("It sounds like you think I'm fine, but he hits me.")
    assert hit is not None and hit.category is Category.abuse


def test_weapon_emoji_read_as_words(screen: Screen) -> None:
    hit = screen.check("\U0001f52b\U0001f3eb monday")
    assert hit is not None and hit.category is Category.harm_to_others


@pytest.mark.parametrize(
    "reply",
    [
        "Are you thinking about suicide?",
        "I care about you, so I'm asking straight out. Have you had thoughts of ending your life?",
        "When you say you can't go on, do you mean you want to die?",
        "Is he hurting you? Are you scared to go home?",
    ],
)
def test_asking_the_partner_about_their_safety_is_not_the_learners_risk(screen: Screen, reply: str) -> None:
    assert screen.check(reply, "I don't see the point of any of it.") is None
    assert not any("suicide" in s or "die" in s for s in screen.own_words(reply))


@pytest.mark.parametrize(
    ("reply", "expected"),
    [
        ("Do you ever just want to die? Because I do, every single night.", Category.self_harm),
        ("Would you even notice if I killed myself?", Category.self_harm),
        ("Do you know how many pills it takes to not wake up?", Category.self_harm),
        ("Are you going to hit me again like you did last night?", Category.abuse),
    ],
)
def test_a_question_that_carries_the_learners_own_risk_still_pauses(
    screen: Screen, reply: str, expected: Category
) -> None:
    hit = screen.check(reply, "You seem far away tonight.")
    assert hit is not None and hit.category is expected
