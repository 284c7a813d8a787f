"""The behaviours the rules coder has found in a reply so far: the first sentence that showed each
code, in the order the reply shows them, and the parts of a repair as they come."""

from __future__ import annotations

from trainer.coding.text import Normalised, Sentence
from trainer.vocabulary.codes import Behaviour, Code

_CODE_ORDER = {code: order for order, code in enumerate(Code)}
# Codes that do not engage with the partner's story: a reply with only these may be disengagement.
NOT_ENGAGING = frozenset({Code.open_question, Code.closed_question, Code.self_focus})


class Found:
    """The first sentence that showed each code, in the order the reply shows them."""

    def __init__(self, norm: Normalised) -> None:
        self._norm = norm
        self.first: dict[Code, tuple[int, str]] = {}
        self.admitted: Sentence | None = None
        self.retry: Sentence | None = None
        self.apology: Sentence | None = None
        self.read: set[int] = set()  # where the sentences that showed a code start

    def add(self, code: Code, sentence: Sentence | None) -> None:
        if sentence is not None:
            self.read.add(sentence.start)
        if code not in self.first:
            if sentence is None:  # a reply with no words (an emoji): the evidence is the whole reply
                self.first[code] = (0, self._norm.original)
                return
            evidence = self._norm.original_span(sentence.start, sentence.end)
            self.first[code] = (sentence.start, evidence)

    def settle_repair(self) -> None:
        """A repair may come in parts: owning the lapse, an apology, and asking to try again."""
        if Code.repair not in self.first:
            parts = [self.admitted, self.apology, self.retry]
            if sum(part is not None for part in parts) >= 2 and (self.admitted or self.retry):
                self.add(Code.repair, next(part for part in parts if part is not None))
        if Code.repair in self.first:
            # The admission is about the listener and its apology is part of the repair.
            self.drop(Code.self_focus)
            empathy = self.first.get(Code.empathy)
            if empathy is not None and "sorry" in empathy[1].lower():
                self.drop(Code.empathy)

    def drop(self, code: Code) -> None:
        self.first.pop(code, None)

    def keep_only(self, codes: frozenset[Code]) -> None:
        for code in [code for code in self.first if code not in codes]:
            self.drop(code)

    def engaged_with_nothing(self) -> bool:
        """Nothing in the reply listens, fixes, dismisses or defends (questions may be about anything)."""
        return all(code in NOT_ENGAGING for code in self.first)

    def codes(self) -> list[Code]:
        return list(self.first)

    def __contains__(self, code: Code) -> bool:
        return code in self.first

    def behaviours(self) -> tuple[Behaviour, ...]:
        ordered = sorted(self.first.items(), key=lambda item: (item[1][0], _CODE_ORDER[item[0]]))
        # pydantic-core validates these two plain fields faster than ``model_construct`` copies them.
        return tuple(Behaviour(code=code, evidence=evidence) for code, (_, evidence) in ordered)
