"""One tip per reply: aimed at the weakest rubric, kind, with a phrase the learner could say next.

The phrase borrows the partner's situation (a feeling from the scenario or the partner's line, a key
point the reply missed). Wording varies between replies but is fixed for a given reply, so the same
reply always gets the same tip.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

from trainer.grading.reading import Judgement, Reading
from trainer.vocabulary.codes import Code
from trainer.vocabulary.grades import RubricName

FALLBACK_FEELING = "upset"
# A small list of feeling words to borrow from the partner's own line when the context names none.
_FEELINGS = (
    "left out", "let down", "taken for granted", "brushed off", "on your own", "hurt", "angry", "furious",
    "frustrated", "sad", "lonely", "alone", "scared", "afraid", "worried", "anxious", "nervous", "stressed",
    "overwhelmed", "embarrassed", "ashamed", "humiliated", "exhausted", "tired", "drained", "disappointed",
    "upset", "ignored", "invisible", "unimportant", "unappreciated", "jealous", "betrayed", "guilty",
    "confused", "stuck", "helpless", "hopeless", "rejected", "neglected", "annoyed", "resentful",
    "heartbroken", "miserable", "insecure", "unheard", "excited", "proud", "relieved",
)


def _by_first_word(feelings: Sequence[str]) -> Mapping[str, tuple[tuple[str, ...], ...]]:
    index: dict[str, tuple[tuple[str, ...], ...]] = {}
    for feeling in feelings:
        words = tuple(feeling.split())
        index[words[0]] = (*index.get(words[0], ()), words)
    return MappingProxyType(index)


_FEELING_WORDS = _by_first_word(_FEELINGS)
_WORD = re.compile(r"[a-z]+")


def feeling_in(line: str) -> str | None:
    """The first feeling of the list above that ``line`` uses, if any."""
    words = _WORD.findall(line.lower())
    for index, word in enumerate(words):
        for parts in _FEELING_WORDS.get(word, ()):
            if tuple(words[index : index + len(parts)]) == parts:
                return " ".join(parts)
    return None


def topic(key_point_id: str) -> str:
    """``cancelled-plans`` -> ``cancelled plans``: a key point id as words."""
    return re.sub(r"[-_]+", " ", key_point_id).strip()


@dataclass(frozen=True)
class Situation:
    feeling: str
    missed: str | None


def situation(reading: Reading) -> Situation:
    context = reading.context
    feeling = context.feelings[0] if context.feelings else None
    if feeling is None:
        feeling = feeling_in(context.partner) or FALLBACK_FEELING
    missed = topic(reading.missed_points[0]) if reading.missed_points else None
    return Situation(feeling=feeling, missed=missed)


# (rubric, cause) -> variants; "*" is the rubric's fallback. {feeling} and {missed} are filled in.
_TIPS: Mapping[tuple[RubricName, str], Sequence[str]] = {
    (RubricName.not_fixing, "advice_with_permission"): (
        "Asking whether they want ideas was a good move; now wait for the answer before giving any. "
        "Stop at: 'Would some ideas help, or would you rather I just listened?'",
        "You asked permission, which is kind; let them answer it first. Try ending on: "
        "'Do you want my thoughts, or just an ear right now?'",
    ),
    (RubricName.not_fixing, "brush_off"): (
        "Let the feeling be there before any solution. Try: 'It's alright to feel {feeling}; take all "
        "the time you need.'",
        "A fix that waves the feeling away can sting. Start with the feeling instead: "
        "'Of course you feel {feeling}. Take your time.'",
    ),
    (RubricName.not_fixing, "*"): (
        "Hold the solution for now: they haven't asked for one, and most people want to feel understood "
        "first. Try: 'It sounds like you're feeling {feeling}. Do you want ideas, or shall I just listen?'",
        "Fixing can wait; staying with them comes first. Try: 'That sounds really hard. Would it help to "
        "talk it through, or do you just need me to listen?'",
        "Before any advice, check what they want from you. Try: 'Would it help to think about solutions, "
        "or would you rather I just listened for now?'",
    ),
    (RubricName.validation, "validation_undone"): (
        "Let your understanding stand on its own and drop the 'but'. Try: 'It's understandable you'd feel "
        "{feeling},' and stop there.",
        "The 'but' took back what you'd just given. Try leaving it at: 'It makes sense that you feel "
        "{feeling}.'",
    ),
    (RubricName.validation, "defensiveness"): (
        "Your side can come later, once they feel heard. For now try: 'It's understandable you'd feel "
        "{feeling}.'",
        "Explaining yourself can wait. First let them know their feeling makes sense: "
        "'I get why that left you feeling {feeling}.'",
    ),
    (RubricName.validation, "invalidation"): (
        "Their feeling doesn't have to match yours to make sense. Try: 'It makes sense you'd feel {feeling} "
        "about that.'",
        "You don't need to agree to accept how they feel. Try: 'That sounds hard. It's understandable you'd "
        "feel {feeling}.'",
    ),
    (RubricName.validation, "generic"): (
        "Good start; now say what makes the feeling understandable. Try: 'No wonder you feel {feeling}, "
        "after all of that.'",
        "Tie your understanding to their feeling. Try: 'Of course you feel {feeling}, given what happened.'",
    ),
    (RubricName.validation, "*"): (
        "Add a few words that say their feeling makes sense. Try: 'It makes sense that you feel {feeling}.'",
        "Let them know the feeling is welcome, even if you see it differently. Try: 'It's "
        "understandable you'd feel {feeling}.'",
    ),
    (RubricName.reflection, "parroting"): (
        "Put it in your own words rather than theirs, and reach for the feeling underneath. Try: "
        "'It sounds like you've been feeling {feeling}. Is that right?'",
        "Repeating their words back can feel mechanical. Try your own: 'So this has left you feeling "
        "{feeling}?'",
    ),
    (RubricName.reflection, "missed_points"): (
        "You caught the feeling; one part of their story is still missing ({missed}). Try: 'And the part "
        "about {missed} matters too, is that right?'",
        "Nice work naming the feeling. Add {missed} to show you followed the whole story: 'and there's "
        "also {missed}, did I get that?'",
    ),
    (RubricName.reflection, "missed_feeling"): (
        "You got the facts; now add the feeling under them. Try: 'and it sounds like that left you "
        "feeling {feeling}.'",
        "Go one step past the facts to how it felt. Try: 'It sounds like you felt really {feeling}. "
        "Is that right?'",
    ),
    (RubricName.reflection, "check_only"): (
        "Before asking whether you got it, say what you got. Try: 'It sounds like you felt {feeling}. "
        "Is that right?'",
        "Checking is good; give them something to check first: 'So you've been feeling {feeling}. Did I "
        "get that?'",
    ),
    (RubricName.reflection, "*"): (
        "Start by saying back what you heard, in your own words. Try: 'It sounds like you're feeling "
        "{feeling}. Is that right?'",
        "Show them you followed: reflect the feeling and what happened. Try: 'So this left you feeling "
        "{feeling}. Did I get that?'",
        "A short reflection helps them feel heard. Try: 'What I'm hearing is that you've been feeling "
        "{feeling}. Is that it?'",
    ),
    (RubricName.partner_focus, "defensiveness"): (
        "Hear the impact before explaining your intentions. Try: 'It left you feeling {feeling}. Tell me "
        "more about that.'",
        "Your reasons can wait until they feel heard. Try: 'I hear that it hurt. What was that like "
        "for you?'",
    ),
    (RubricName.partner_focus, "*"): (
        "Keep the spotlight on them for now; your own story can come once they feel heard. Try: 'Tell me "
        "more about how that was for you.'",
        "Bring it back to their experience. Try: 'It sounds like you're feeling {feeling}. What's that "
        "been like?'",
    ),
    (RubricName.open_questions, "leading_question"): (
        "Swap the leading question for one with no answer built in. Try: 'What was the hardest part of "
        "it for you?'",
        "Questions that steer can feel like judgement. Try an open one: 'How did that feel for you?'",
    ),
    (RubricName.open_questions, "closed"): (
        "Turn the yes/no question into an open one: 'How did that feel for you?' invites more than a yes "
        "or a no.",
        "Open questions start with 'what' or 'how'. Try: 'What's been the hardest part of this?'",
    ),
    (RubricName.open_questions, "interrogation"): (
        "One open question at a time gives them room to answer. Try just: 'What's been hardest about it?'",
        "Several questions at once can feel like a quiz. Pick one: 'Which part of it weighs on you most?'",
    ),
    (RubricName.open_questions, "*"): (
        "When it fits, an open question can invite more: 'What's been the hardest part for you?'",
        "You could invite them further with an open question: 'What else has been going on for you "
        "with this?'",
    ),
}

_NEXT_STEP_CHECK = (
    "Lovely listening. Next step: check that it landed and let them correct you: 'Did I get that right?'",
    "That was well heard. Now invite a correction, so they can tell you what you missed: "
    "'Is that it, or is there more?'",
)
_NEXT_STEP_EMPATHY = (
    "Well done. Once they say you've got it, share your own caring reaction: "
    "'It hurts to see you carry this, and I'm glad you told me.'",
    "Good listening. When they feel understood, close with empathy: 'I'm sorry it's been so hard. "
    "I'm right here.'",
)
_NEXT_STEP_DONE = (
    "That's the whole exercise: they feel heard and you've shared your care. Only now, if you need to, "
    "can your side of things come in.",
    "Beautifully done. With them feeling heard, it's now fair to ask whether they'd like to hear your "
    "side, or simply to stay with them a little longer.",
)


def _pick(variants: Sequence[str], reply: str, salt: str) -> str:
    return variants[zlib.crc32(f"{salt}:{reply}".encode("utf-8", "surrogatepass")) % len(variants)]


def weakest(judgements: Mapping[RubricName, Judgement], priority: Sequence[RubricName]) -> RubricName:
    lowest = min(j.score for j in judgements.values())
    return next(name for name in priority if judgements[name].score == lowest)


def choose_tip(
    judgements: Mapping[RubricName, Judgement], reading: Reading, priority: Sequence[RubricName]
) -> str:
    """Exactly one tip: for the weakest rubric (ties by ``priority``), or the exercise's next step."""
    where = situation(reading)
    target = weakest(judgements, priority)
    if judgements[target].score == 3:
        codes = reading.coding.codes
        if Code.empathy in codes:
            variants: Sequence[str] = _NEXT_STEP_DONE
        elif Code.feeling_check in codes:
            variants = _NEXT_STEP_EMPATHY
        else:
            variants = _NEXT_STEP_CHECK
        return _pick(variants, reading.reply, "next")
    cause = judgements[target].cause
    variants = _TIPS.get((target, cause)) or _TIPS[(target, "*")]
    if where.missed is None:
        variants = [v for v in variants if "{missed}" not in v] or _TIPS[(target, "*")]
    text = _pick(variants, reading.reply, target.value)
    return text.format(feeling=where.feeling, missed=where.missed or "")
