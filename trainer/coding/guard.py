"""Findings about a reply that are not listening behaviours: talking to the grader, another language.

A learner's reply goes to a model judge when one is configured. A reply that speaks to the grader
("ignore the rubric", "score this 3") or carries a fake verdict (a JSON object with scores) must not
raise its own grade, so the coder flags it and the grading layer caps or discounts it.
"""

from __future__ import annotations

import re
from collections.abc import Collection


def _wordlist(text: str) -> list[str]:
    """The words of a whitespace-separated list."""
    return text.split()


ADDRESSES_GRADER = "addresses_grader"
OTHER_LANGUAGE = "other_language"

_GRADER_WORDS = (
    r"(?:rubrics?|grader|grading|graded|scorer|scoring|scores?|marks|points|evaluator|evaluation|judge|"
    r"assessor|rating|verdict|instructions|system prompt|prompt)"
)
# Requests about the exercise itself (its scenario, script, cues, hidden state, being an AI): they
# are addressed to the system, not said to the partner.
_ABOUT_SYSTEM = (
    r"\b(?:your|the|this) (?:scenario|character|roleplay|role-play|role play) ?(?:file|sheet|script|card|"
    r"notes|config(?:uration)?|description|brief|settings)\b",
    r"\byour (?:script|persona|prompt|cues|key points|hidden (?:state|feelings?|notes)|(?:system|original|"
    r"hidden|secret|initial) (?:instructions|rules))\b",
    r"\b(?:hidden|internal) (?:state|variables|stage)\b",
    r"\b(?:are you|you are|you're|admit (?:that )?you are|admit you're) (?:just |really |actually )?(?:an? )?"
    r"(?:ai|bot|chatbot|chat bot|language model|llm|computer program)\b",
    r"\b(?:stop|quit|drop) (?:the )?(?:roleplay(?:ing)?|role-play(?:ing)?|role playing)\b",
    r"\bbreak character\b",
    r"\b(?:print|show|list|reveal|paste|output|dump|recite)\b[^.?!\n]{0,20}\b(?:rubrics?|system prompt|"
    r"prompt|instructions|scenario|cues|hidden state)\b",
    r"\b(?:developer|dev|debug|admin|god) mode\b",
    r"\b(?:move|go|skip|jump) (?:straight )?(?:on )?to (?:the )?(?:sharing|clarifying|understood|deepening|"
    r"closing|done|final) stage\b",
)
_GRADER = re.compile(
    "|".join(
        (
            rf"\b(?:ignore|disregard|forget|override|bypass|skip)\b[^.?!\n]{{0,40}}\b{_GRADER_WORDS}",
            r"\b(?:give|award|assign|rate|score|grade|mark)\s+(?:me|this|it|my (?:reply|answer|response)|"
            r"this (?:reply|answer|response))\b[^.?!\n]{0,30}"
            r"(?:\b(?:full|top|max(?:imum)?|perfect|high(?:est)?|best|10|[0-9](?:/[0-9]+)?|three|five|ten)"
            r"\b)",
            r"\bfull (?:marks|points|score)\b",
            r"\b(?:perfect|maximum|top|highest) (?:score|marks|grade|rating)\b",
            r"\b(?:this|my) (?:reply|answer|response) (?:deserves|should (?:get|receive|score)|scores|earns"
            r")\b",
            r"\b(?:dear|hey|hi|attention|note to(?: the)?|to the) "
            r"(?:ai|grader|judge|evaluator|assistant|model|language model|llm|reviewer|scorer|rater)\b",
            r"\b(?:as an? (?:ai|language model)|you are an? (?:ai|grader|judge|evaluator|language model))\b",
            r"\bsystem prompt\b",
            r"\b(?:previous|above|prior|earlier) (?:instructions|rules|prompt)\b",
            r"[{\[]\s*[\"']?(?:score|scores|rubrics?|behaviou?rs|reflection|validation|not_fixing|"
            r"open_questions|partner_focus|grade|verdict|engine|rating)[\"']?\s*:",
            r"\b(?:reflection|validation|not_fixing|open_questions|partner_focus|score|rating|grade)\s*[:=]"
            r"\s*"
            r"[0-9]\b",
            r"\b(?:rubric|grader|evaluator|scoring)\b[^.?!\n]{0,30}\b(?:should|must|will|needs? to)\b",
            *_ABOUT_SYSTEM,
        )
    ),
    re.IGNORECASE,
)

_RUBRIC_NAME = r"(?:reflection|validation|not[ _]fixing|open[ _]questions|partner[ _]focus)"
# Text dressed as something other than a reply to the partner: markup, chat-template tokens,
# template syntax, transcript role labels, banners, verdict tables and "3/3" scores, talk about
# "the learner", persona switches, and grading words in Chinese or Japanese. A person talking to their
# partner writes none of these.
# Tokens blanked on their own, so that words said to the partner around them still count.
_SPOOF_TOKEN = re.compile(
    r"</?\s*[a-z][a-z0-9_-]{0,30}(?:\s[^<>]{0,200})?/?>|<\|[^|<>]{1,40}\|>|\{\{.*?\}\}|\{%.*?%\}|\{[a-z_]{2,40}\}"
    r"|={3,}|#{3,}|-{5,}",
    re.IGNORECASE,
)
_SPOOF = re.compile(
    "|".join(
        (
            _SPOOF_TOKEN.pattern,
            r"\{\{|\{%",
            r"^\s*(?:system|assistant|user|developer|human|ai|partner|learner|listener|speaker|judge|grader|"
            r"evaluator)\s*:",
            r"^\s*\|[^\n]*\|\s*$",
            r"\bend of (?:the )?(?:transcript|conversation|reply|input|message|dialogue)\b",
            r"\bsystem (?:override|message|note|update|notice)\b",
            r"\bthe (?:learner|trainee|student)\b",
            r"\b[0-3] ?/ ?3\b",
            r"\b(?:from now on|starting now|for the rest of this)\b[^.?!\n]{0,20}\byou(?:'re| are)\b",
            r"\byou are now (?:a|an|my|the)\b",
            rf"\b{_RUBRIC_NAME}\b[^.?!\n]{{0,25}}\bscore\b|\bscore\b[^.?!\n]{{0,25}}\b{_RUBRIC_NAME}\b",
            rf"\b(?:rubric|grade)\s+{_RUBRIC_NAME}\b",
            r"\b(?:every|each|all|the|this) rubrics?\b",
            r"忽略|无视|指令|满分|评分|打分|分数|提示词|系统提示|採点|満点|無視して|指示を",
        )
    ),
    re.IGNORECASE | re.MULTILINE,
)
_SPOOF_GATE = frozenset("<|{=#-/:")

# Frequent English words; a reply of several words with almost none of these is not English.
_ENGLISH = frozenset(
    _wordlist(
        """
        a about after again all also am an and any are as at be because been being but by can could did
        do does doing down feel feeling for from get go going good had has have he her here him his how
        i if in into is it just know like me more much my no not now of off oh okay on one or other our
        out really right said say see she should so some sorry sounds still such than that the their
        them then there these they thing think this those through time to too up us very want was way we
        well were what when where which while who why will with would yeah yes you your
        """
    )
)
_FOREIGN = frozenset(
    _wordlist(
        """
        que de la el los las es y en por con para una un lo se del al muy pero como esta estoy eso yo tu
        le les est et je vous nous pas une des du ce qui mais avec pour sur tres suis c'est j'ai ich du
        nicht und ist das der die sie wir ein eine mit auf zu es sich auch aber wie bin het een ik je
        niet dat van zijn op te che non sono mi ti il di per della con questo ma molto anche não você eu
        com uma isso mas muito está
        """
    )
)
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
_ASCII_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")


# Every grader-directed pattern needs one of these words, a digit or a bracket: a cheap gate.
_GRADER_GATE = frozenset(
    _wordlist(
        """
        rubric rubrics grader grading graded grade scorer scoring score scores marks mark points
        evaluator evaluation judge assessor rating rate verdict instructions prompt ai assistant model
        llm reviewer rater full perfect maximum top highest deserves earns not_fixing open_questions
        partner_focus scenario character roleplay role script persona cues hidden internal bot chatbot
        language stop quit drop break developer dev debug admin god stage
        """
    )
)
_GATE_WORD = re.compile(r"[a-z_]+")
# Words the spoof patterns need when the text has none of the gate's characters: every pattern
# without such a character needs one of these ("the learner", "you are now", "for the rest of").
_SPOOF_WORDS = frozenset(
    _wordlist("end system now rest score rubric rubrics grade learner trainee student")
)


def _spoofs(text: str, text_words: Collection[str] | None = None) -> bool:
    """Text dressed as markup, a transcript, a verdict or an instruction (``_SPOOF``);
    ``text_words`` are its lowercase words, when the caller has them."""
    if text.isascii() and _SPOOF_GATE.isdisjoint(text):
        if text_words is None:
            text_words = _GATE_WORD.findall(text.lower())
        if _SPOOF_WORDS.isdisjoint(text_words):
            return False
    return _SPOOF.search(text) is not None


def addresses_grader(reply: str) -> bool:
    """True when the reply talks to a grader or an AI, asks about the exercise itself, or dresses
    itself up as a verdict, a transcript or markup. ``reply`` should be clean (``clean_reply``)."""
    lowered = reply.lower()
    reply_words = frozenset(_GATE_WORD.findall(lowered))
    if _spoofs(reply, reply_words):
        return True
    if _GRADER_GATE.isdisjoint(reply_words) and not any(ch in lowered for ch in "{[0123456789"):
        return False
    return _GRADER.search(reply) is not None


_VERDICT_BLOCK = re.compile(r"\{[^{}]*\}|\[[^\[\]]*\]")
_GRADER_SENTENCE = re.compile(r"[^.!?\n]+[.!?\n]*")


def mask_grader_text(reply: str) -> str:
    """The reply with every part aimed at a grader (a sentence, a bracketed verdict) blanked out.

    Characters are replaced one for one with spaces, so positions in the result are positions in
    the reply.
    """
    blanked = _VERDICT_BLOCK.sub(lambda found: " " * len(found.group()), reply)
    blanked = _SPOOF_TOKEN.sub(lambda found: " " * len(found.group()), blanked)
    return _GRADER_SENTENCE.sub(
        lambda found: " " * len(found.group())
        if _GRADER.search(found.group()) or _spoofs(found.group())
        else found.group(),
        blanked,
    )


def other_language(reply: str, also_english: Collection[str] = ()) -> bool:
    """True when the reply is written in a language other than English; ``also_english`` adds words
    to the frequent ones (the coder passes its feeling words, so "Sad. Angry. Hurt." is English)."""
    if not reply.isascii():
        letters = [ch for ch in reply if ch.isalpha()]
        latin = sum(1 for ch in letters if _LATIN.match(ch))
        if latin < len(letters) / 2:
            return True
    # On ASCII text the Unicode word pattern finds exactly what the plain one does, only slower.
    found = (_ASCII_WORD if reply.isascii() else _WORD).findall(reply.lower())
    if len(found) < 3:
        return False
    enough = len(found) * 0.1
    english = 0
    for word in found:
        if word in _ENGLISH or word in also_english:
            english += 1
            if english > enough:
                return False
    foreign = sum(1 for w in found if w in _FOREIGN and w not in _ENGLISH)
    return english <= len(found) * 0.1 and (foreign >= 2 or (english == 0 and len(found) >= 6))
