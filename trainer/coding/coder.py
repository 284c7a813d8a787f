"""The offline rules coder: which listening behaviours a reply shows, instantly and explainably.

The reply is normalised (``trainer.coding.text``), split into sentences, and every sentence is
matched against the cue lists of ``trainer.coding.lexicon``. The partner's line, when given, lets
the coder tell a reflection (the partner's content in the listener's own framing) from parroting
(the partner's words copied back). Evidence is always the original sentence that showed the code.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from trainer.coding import lexicon
from trainer.coding.cues import compiled_cues
from trainer.coding.disengagement import disengagement
from trainer.coding.empty_words import emptiness
from trainer.coding.found import Found
from trainer.coding.gibberish import GIBBERISH, gibberish, known_words
from trainer.coding.guard import (
    ADDRESSES_GRADER,
    OTHER_LANGUAGE,
    addresses_grader,
    mask_grader_text,
    other_language,
)
from trainer.coding.learned import CoderModel, load_model, not_to_add, second_look
from trainer.coding.partner_line import NO_PARTNER, PartnerLine, heard_words, story_of
from trainer.coding.text import Normalised, Sentence, normalise, stem, words
from trainer.vocabulary.codes import HARMFUL, Code, Coding
from trainer.vocabulary.errors import InvalidReply
from trainer.vocabulary.grades import GradeContext

SARCASM_FLAG = "sarcasm"
SPIN_FLAG = "spin"
WORDS_ONLY = "words_only"
CHANGED_SUBJECT = "changed_subject"
_CLAUSE = re.compile(r"[,;:\u2014\u2013]|--+|\s-\s")
_SCALE = re.compile(r"\bscale (?:of|from)\b|\bfrom (?:one|zero|0|1) to (?:ten|10)\b")
_MORE = re.compile(r"\b(?:anything|something|anyone|anybody) else\b|\bany other\b|\banything more\b")
_SECOND_PERSON = frozenset({"you", "your", "yourself", "yours"})
_ABOUT_PARTNER = _SECOND_PERSON | {"sounds", "sound", "seems", "seem", "must"}
_PLAIN = re.compile(r"[a-z]+(?: [a-z]+)*")
_KNOWN_WORD = re.compile(r"[a-z]{2,}")
_RELATING = re.compile(lexicon.CUES["relating"][0])
_CARING_SELF = re.compile(lexicon.CUES["caring_self"][0])
# After a "but" that takes an acknowledgement back: the partner's own part held against them ("that
# sounds awful, but you did miss the deadline twice").
_BLAME = re.compile(
    r"\W*(?:(?:to be fair|honestly|i mean|let us be honest|in fairness|then again)\W+)*"
    r"you (?:did|do|were the one|are the one|had|also|kind of|sort of|literally|yourself|brought|started|"
    r"chose|could have|should have)\b"
)
# Words a clause about the listener's own life carries ("it helped me", "failed mine").
_DISCLOSING_WORDS = frozenset({"i", "we", "me", "my", "mine"})
_STANCE = re.compile(lexicon.joined(lexicon.CUES["listener_stance"]))
_HELPED_ME = re.compile(r"\b(?:helped|helps|has helped|worked for|works for|does it for|happened to) me\b")
# A clause of a reflection that tells the listener's part of the partner's story ("when I was on my
# phone at dinner", "while I was talking to my colleagues").
_MY_PART = re.compile(r"(?:(?!\bi\b)[^,;])*?\b(?:when|while|whenever|because|after|every time) i\b")
_BARE_START = re.compile(r"(?:failed|lost|had|did|went|been|got|quit|tried|took) ")
_ANYONE = frozenset({"anyone", "anybody", "everyone", "everybody"})  # "anyone would feel hurt" names it
_PARTNER_CACHE = 256
_APOLOGY = frozenset({"sorry", "apologise", "apologize", "apologies"})
_BARE_ANSWER_LIMIT = 8
_TAGS = frozenset({"okay", "yeah", "right", "really", "huh", "hmm", "no", "yes", "sorry", "so", "and", "or"})


class RulesCoder:
    """Codes a reply into behaviours (docs/design.md) by cue phrases; deterministic and reusable."""

    def __init__(self, model: CoderModel | None = None, *, learned: bool = True) -> None:
        """``model`` is the learned part (the shipped one when None and ``learned``)."""
        self.model = model if model is not None or not learned else load_model()
        self._cues, self._scanner = compiled_cues()
        self._partner = lru_cache(maxsize=_PARTNER_CACHE)(PartnerLine)
        self._known = known_words(lexicon)

    def code(self, reply: str, context: GradeContext | None = None) -> Coding:
        if not reply or not reply.strip():
            raise InvalidReply("the reply is empty")
        flags: list[str] = []
        if addresses_grader(reply):
            flags.append(ADDRESSES_GRADER)
        if other_language(reply, lexicon.FEELINGS):
            return Coding(flags=(*flags, OTHER_LANGUAGE))
        if gibberish(reply, self._known):
            return Coding(flags=(*flags, GIBBERISH))
        if flags:
            # Words addressed to a grader are not said to the partner: they earn no codes.
            masked = mask_grader_text(reply)
            if not masked.strip():
                return Coding(flags=tuple(flags))
            masked_norm = normalise(masked)
            norm = Normalised(reply, masked_norm.text, masked_norm.edits)
        else:
            norm = normalise(reply)
        sentences = norm.sentences()
        partner = self._partner(context.partner, context.feelings) if context is not None else NO_PARTNER
        # A reflection may say back anything of the story, not only the partner's last line.
        story = self._partner(story_of(context), context.feelings) if context is not None else NO_PARTNER
        found = Found(norm)
        self_sentences = 0
        spun = False
        sentence_words = [words(sentence.text) for sentence in sentences]
        vocabularies = [frozenset(found_words) for found_words in sentence_words]
        # Sentences cover every word of the reply (what lies between them has no letters).
        reply_words = [word for found_words in sentence_words for word in found_words]
        hits = self._scanner.scan(
            norm.text, frozenset().union(*vocabularies), [sentence.start for sentence in sentences]
        )
        for index, sentence in enumerate(sentences):
            following = sentences[index + 1] if index + 1 < len(sentences) else None
            cued = hits[index]
            outcome = self._sentence(sentence, vocabularies[index], cued, following, story, found, flags)
            spun = spun or outcome.spun
            self_sentences += outcome.about_self
        if sentences:
            self._answer_doubt(sentences[0], sentence_words[0], partner, found)
        found.settle_repair()
        parroting = partner.parroted_by(reply_words)
        if SARCASM_FLAG in flags:
            # A mocking tone undoes understanding words: "poor you, must be so hard" validates nothing.
            for code in (Code.reflection, Code.validation, Code.empathy):
                found.drop(code)
        if parroting or spun:
            found.drop(Code.reflection)
        if parroting:
            # The partner's own words said back carry no stance of the listener's.
            found.drop(Code.defensiveness)
            found.drop(Code.invalidation)
        if spun:
            flags.append(SPIN_FLAG)
        texts = [sentence.text for sentence in sentences]
        line = context.partner if context is not None else ""
        empty = emptiness(texts, reply_words, lexicon.STOPWORDS, lexicon.FEELINGS) is not None
        idle = not empty and found.engaged_with_nothing()
        away = disengagement(norm.text, texts, line, heard_words(context)) if idle else None
        # A reply that speaks to a grader gets no second look: nothing in it may raise a grade; nor does
        # one that turns away ("that second half was unbelievable", of the match, validates nothing).
        changed_subject = away is not None and away.changed_subject
        if self.model is not None and sentences and ADDRESSES_GRADER not in flags and not changed_subject:
            blocked = not_to_add(found, sarcasm=SARCASM_FLAG in flags, echoed=parroting or spun)
            second_look(self.model, found, sentences, story, blocked)
        if empty:
            # Technique words, frames said over and over, or a list of feelings carry nothing of the
            # partner's experience: nothing in them is listening.
            found.keep_only(HARMFUL)
            flags.append(WORDS_ONLY)
        elif away is not None and found.engaged_with_nothing():
            # Still a question, but the grader does not count it as one that opens a door (CHANGED_SUBJECT).
            found.add(Code.disengagement, sentences[away.sentence_index] if sentences else None)
            if changed_subject:
                flags.append(CHANGED_SUBJECT)
        return Coding(
            behaviours=found.behaviours(),
            feeling_named=self._feeling_named(sentences, vocabularies, partner),
            parroting=parroting,
            key_points=self._key_points(reply_words, context),
            self_share=round(self_sentences / len(sentences), 3) if sentences else 0.0,
            flags=tuple(dict.fromkeys(flags)),
        )

    def _sentence(
        self,
        sentence: Sentence,
        vocab: frozenset[str],
        cued: dict[str, int],
        following: Sentence | None,
        partner: PartnerLine,
        found: Found,
        flags: list[str],
    ) -> _Outcome:
        text = sentence.text

        dismissive = False
        defensive = "defensiveness" in cued
        if "sarcasm" in cued:
            # Sarcasm about the listener's own image ("oh sure, because I'm sooo cruel") defends the
            # listener; it mocks no feeling of the partner's.
            if not defensive:
                found.add(Code.invalidation, sentence)
            flags.append(SARCASM_FLAG)
            dismissive = True
        if "invalidation" in cued:
            found.add(Code.invalidation, sentence)
            dismissive = True
        if defensive:
            found.add(Code.defensiveness, sentence)
        repaired = "repair" in cued
        cared = False
        if repaired:
            found.add(Code.repair, sentence)
        elif "empathy" in cued and not (dismissive or defensive):
            found.add(Code.empathy, sentence)
            cared = True
        if "repair_admit" in cued:
            found.admitted = found.admitted or sentence
        if "repair_ask" in cued:
            found.retry = found.retry or sentence
        if not vocab.isdisjoint(_APOLOGY):
            found.apology = found.apology or sentence
        checked = "feeling_check" in cued
        if checked:
            found.add(Code.feeling_check, sentence)
        permission = "permission_ask" in cued
        if permission:
            found.add(Code.permission_ask, sentence)

        # A dismissal dominates: "look on the bright side" is not a suggestion to weigh; a fix in a
        # clause of its own still counts ("it wasn't that bad, but you should prep more").
        advised = not permission and ("advice" in cued or "advice_question" in cued)
        if advised and dismissive:
            advised = self._advises_apart(text)
        if advised:
            found.add(Code.advice, sentence)
        # A permission ask, a defence put as a question ("what was I supposed to do?") and a request
        # to try again are what they are, not questions to code by their form; nor is a defence
        # typed without its question mark ("how is that my fault").
        rhetorical = permission or defensive or repaired or "repair_ask" in cued
        if rhetorical and (sentence.is_question or defensive):
            asked = None
        else:
            asked = self._question(sentence, found, dismissive=dismissive)
        if not sentence.is_question and "open_invitation" in cued:
            found.add(Code.open_question, sentence)

        validation = self._cues.validation.first(text) if "validation" in cued else None
        if validation is not None and not dismissive and not (checked and sentence.is_question):
            after_cue = text[validation.end() :]
            undone = self._undone(after_cue, following)
            if undone is Code.invalidation:
                found.add(Code.invalidation, sentence)
                dismissive = True
            elif undone is Code.defensiveness:
                found.add(Code.defensiveness, sentence)
                defensive = True
            elif not defensive:
                # "That's not fair" said of the partner's own complaint about the listener is a defence.
                found.add(Code.validation, sentence)

        spun = "spin" in cued
        # The listener's caring reaction ("it hurts me that you sat there alone") is about the partner,
        # but it is not offered as a restatement to check.
        blocked = (
            spun or dismissive or defensive or permission or advised or asked in ("open", "closed")
            or (cared and _CARING_SELF.search(text) is not None)
        )
        reflected = not blocked and self._reflects(
            text,
            vocab,
            partner,
            cued="reflection" in cued,
            framed="reflection_frame" in cued,
            weak=("reflection_weak" in cued or "reflection_so" in cued) and "affirmation" not in cued,
            told="reflection_so" in cued and not sentence.is_question,
            statement_question=asked == "statement",
        )
        if reflected:
            found.add(Code.reflection, sentence)

        stance = "listener_stance" in cued or "reflection_frame" in cued  # "I take it he...": not about me
        about_self = "self_subject" in cued and not stance
        own_life = "my_life" in cued and vocab.isdisjoint(_SECOND_PERSON)
        if not (repaired or checked or defensive) and (
            ("self_focus" in cued and (not cared or _RELATING.search(text) is not None))
            or ("self_past" in cued and not reflected)
            or own_life or "as_myself" in cued
            or (not cared and self._discloses(text, vocab, reflected=reflected))
        ):
            found.add(Code.self_focus, sentence)
            about_self = True
        return _Outcome(spun=spun, about_self=about_self)

    @staticmethod
    def _answer_doubt(sentence: Sentence, said: list[str], partner: PartnerLine, found: Found) -> None:
        """A bare answer to the partner's doubt about themselves: "yeah, a bit" agrees with it
        (invalidation); "no, you weren't" to "was I overreacting?" says the feeling fits (validation)."""
        if not said or len(said) > _BARE_ANSWER_LIMIT or not lexicon.BARE_ANSWER_WORDS.issuperset(said):
            return
        agree = not lexicon.AGREE_WORDS.isdisjoint(said)
        if agree == (not lexicon.DENY_WORDS.isdisjoint(said)):
            return
        self_doubt, feeling_doubt = partner.doubts
        if agree and self_doubt:
            found.add(Code.invalidation, sentence)
            found.drop(Code.validation)
        elif not agree and feeling_doubt and Code.invalidation not in found:
            found.add(Code.validation, sentence)

    def _advises_apart(self, text: str) -> bool:
        """A clause of a dismissive sentence that suggests a fix and dismisses nothing itself."""
        cues = self._cues
        for clause in _CLAUSE.split(text):
            clause = clause.strip()
            if (
                clause.count(" ") >= 1
                and cues.advice.search(clause)
                and not cues.invalidation.search(clause)
                and not cues.sarcasm.search(clause)
            ):
                return True
        return False

    def _discloses(self, text: str, vocab: frozenset[str], *, reflected: bool = False) -> bool:
        """A clause that tells the listener's own story and says nothing about the partner.

        A clause that opens with the listener's stance ("I hear you", "I'm sorry") is about the
        partner; another clause of the same sentence may still tell the listener's story ("I hear
        you, I have felt that isolated too"). In a sentence that says the partner's story back, a
        "when I was late" clause is the listener's part of that story, not their own."""
        if vocab.isdisjoint(_DISCLOSING_WORDS):
            return False
        for clause in _CLAUSE.split(text):
            clause = clause.strip()
            said = frozenset(words(clause))
            # The cheap set tests first: most clauses say "you" or nothing of the listener.
            if not _SECOND_PERSON.isdisjoint(said) or (
                _DISCLOSING_WORDS.isdisjoint(said) and not _BARE_START.match(clause)
            ):
                continue
            if reflected and _MY_PART.match(clause):
                continue
            if _STANCE.match(clause):
                # "I know talking about it helps me": a stance, then the listener's own experience.
                if _HELPED_ME.search(clause):
                    return True
            elif self._cues.self_disclosure.search(clause, said):
                return True
        return False

    def _question(self, sentence: Sentence, found: Found, *, dismissive: bool = False) -> str | None:
        """Codes a question by its kind.

        Returns "open", "closed", "advice", "check", "statement" (a statement said as a question,
        such as "so you felt alone?") or None when the sentence asks nothing. A dismissal put as an
        open question ("why are you so upset?", "what is there to get?") invites nothing: it is not
        coded as an open question.
        """
        cues = self._cues
        if not sentence.is_question and (
            sentence.text[-1:] == "!" or not cues.unpunctuated_question.search(sentence.text)
        ):
            return None
        for clause in _CLAUSE.split(sentence.text):
            kind = self._question_kind(clause.strip())
            if kind is None:
                continue
            if kind == "open":
                if dismissive:
                    return None
                found.add(Code.open_question, sentence)
            elif kind == "closed":
                found.add(Code.closed_question, sentence)
            return kind
        asked = words(sentence.text)
        if len(asked) <= 1 and (not asked or asked[0] in _TAGS):
            return None
        if sentence.is_question and not _SECOND_PERSON.isdisjoint(asked):
            # A reflection said as a question ("so you felt left out?") checks the understanding.
            found.add(Code.feeling_check, sentence)
        # Still a yes/no question by its form, which is how people label it.
        found.add(Code.closed_question, sentence)
        return "statement"

    def _question_kind(self, clause: str) -> str | None:
        cues = self._cues
        if not clause:
            return None
        vocabulary = frozenset(words(clause))
        if cues.advice_question.search(clause, vocabulary):
            return "closed" if cues.closed_opener.search(clause, vocabulary) else "advice"
        if cues.permission_ask.search(clause, vocabulary) or cues.feeling_check.search(clause, vocabulary):
            return "check"
        if cues.leading.search(clause, vocabulary) or _SCALE.search(clause):
            return "closed"
        if cues.open_question.search(clause, vocabulary) or _MORE.search(clause):
            # "Anything else on your mind?" asks yes or no in form but invites whatever comes next.
            return "open"
        if cues.closed_opener.search(clause, vocabulary):
            return "closed"
        return None

    def _undone(self, after_cue: str, following: Sentence | None) -> Code | None:
        """A validation followed by "but" and a dismissal, a fix or a judgement is taken back
        (invalidation); followed by "but" and a defence, it is a defence. None when it stands."""
        cues = self._cues
        contrast = cues.contrast.first(after_cue)
        rest = after_cue[contrast.end() :] if contrast else ""
        if not contrast and following is not None and cues.contrast.search(following.text[:12]):
            rest = following.text
        if not rest:
            return None
        if (
            cues.invalidation.search(rest)
            or cues.sarcasm.search(rest)
            or cues.advice.search(rest)
            or cues.spin.search(rest)
            or re.search(r"\byou (?:are|were) (?:just |being |too |so )", rest)
            or _BLAME.match(rest)
        ):
            return Code.invalidation
        if cues.defensiveness.search(rest) or cues.but_defence.search(rest.lstrip(" ,")):
            return Code.defensiveness
        return None

    def _reflects(
        self,
        text: str,
        vocab: frozenset[str],
        partner: PartnerLine,
        *,
        cued: bool,
        weak: bool,
        framed: bool = False,
        statement_question: bool,
        told: bool = False,
    ) -> bool:
        # "So he has pulled away since the wedding": the partner's story told back in the third person.
        about_partner = told or not vocab.isdisjoint(_ABOUT_PARTNER)
        if statement_question:
            said = [stem(w) for w in vocab if w not in lexicon.STOPWORDS]
            if not vocab.isdisjoint(_SECOND_PERSON) or (
                said and len(said) <= 4 and set(said) <= partner.content
            ):
                return True
        if framed:
            return True  # "I take it he...": the frame says a restatement follows, in any person
        if cued:
            return about_partner
        if not about_partner:
            return False
        if weak and not vocab.isdisjoint(lexicon.FEELINGS):
            return True
        if not partner.content:
            return False
        shared = {stem(w) for w in vocab if w not in lexicon.STOPWORDS} & partner.content
        return len(shared) >= (1 if weak else 2)

    @staticmethod
    def _feeling_named(
        sentences: list[Sentence], vocabularies: list[frozenset[str]], partner: PartnerLine
    ) -> bool:
        for sentence, vocabulary in zip(sentences, vocabularies, strict=True):
            if _ABOUT_PARTNER.isdisjoint(vocabulary) and _ANYONE.isdisjoint(vocabulary):
                continue
            if not vocabulary.isdisjoint(lexicon.FEELINGS):
                return True
            if partner.phrases and any(phrase in sentence.text for phrase in partner.phrases):
                return True
            if partner.feelings and any(stem(word) in partner.feelings for word in vocabulary):
                return True
        return False

    @staticmethod
    def _key_points(reply_words: list[str], context: GradeContext | None) -> tuple[str, ...]:
        if context is None or not context.key_points:
            return ()
        joined = f" {' '.join(reply_words)} "
        stems: set[str] | None = None
        covered: list[str] = []
        for point in context.key_points:
            for cue in point.cues:
                cue_words = _cue_words(cue)
                if not cue_words:
                    continue
                if f" {' '.join(cue_words)} " in joined:
                    covered.append(point.id)
                    break
                if len(cue_words) == 1:
                    stems = stems if stems is not None else {stem(w) for w in reply_words}
                    if stem(cue_words[0]) in stems:
                        covered.append(point.id)
                        break
        return tuple(covered)


@lru_cache(maxsize=1024)
def _cue_words(cue: str) -> tuple[str, ...]:
    return tuple(cue.split() if _PLAIN.fullmatch(cue) else words(normalise(cue).text))


class _Outcome(NamedTuple):
    """What one sentence tells the whole reply (a tuple: built once per sentence, cheaply)."""

    spun: bool
    about_self: bool
