"""An honest account of one session's replies: the figures of each rubric over the turns where the
moment called for it, what went well (only what the learner did), what hurt (named, with one quoted
example), the repairs, and one thing to practise next.

Pure functions over ``TurnView`` (a reply, its behaviours and its scores), so the terminal's report
and the API's report say the same things about the same turns.

- A rubric's mean, first, last and scores count only its applicable turns; turns stored before
  ``applicable`` existed count as applicable.
- A trend needs at least ``TREND_MIN_TURNS`` applicable turns; scores that jump up and down by two
  points or more are ``uneven``, never ``steady``; otherwise the later half is compared with the
  earlier half.
- "Practise next" is what hurt most, if anything did; otherwise the weakest rubric still to learn
  (mean below 3, and it did not end on a 3 or its mean is below 2), so a session that got there in
  the end is not sent back to the skill it just showed.
- "Went well" lists a rubric only when its mean is at least 2 and some reply earned a 2 or 3 by
  something it did (a score with evidence), never a default score such as not fixing 3 for a reply
  that offered nothing at all.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from statistics import fmean
from typing import Any

from trainer.content.rubric import RubricSet
from trainer.partner.state import PartnerState, SessionStatus
from trainer.vocabulary.codes import Code
from trainer.vocabulary.grades import Grade, RubricName

TREND_MIN_TURNS = 3
TURN_TREND_MARGIN = 0.5
TURN_SWING = 2.0
WENT_WELL_MEAN = 2.0
EARNED_SCORE = 2
QUOTE_LIMIT = 140

# What hurt, worst first: the label a report uses, and the rubric that practises its opposite.
HURTS: tuple[tuple[Code, str, RubricName], ...] = (
    (Code.invalidation, "Dismissing or judging the feeling", RubricName.validation),
    (Code.defensiveness, "Defending or explaining yourself", RubricName.partner_focus),
    (Code.advice, "Fixing before being asked", RubricName.not_fixing),
    (Code.self_focus, "Turning the talk to yourself", RubricName.partner_focus),
    (Code.disengagement, "Changing the subject or answering with a word", RubricName.partner_focus),
)


class Trend(StrEnum):
    improving = "improving"
    steady = "steady"
    declining = "declining"
    uneven = "uneven"
    not_enough_data = "not_enough_data"


@dataclass(frozen=True)
class ScoreView:
    score: int
    applicable: bool
    evidence: str


@dataclass(frozen=True)
class TurnView:
    """One graded reply, as a report sees it."""

    reply: str
    behaviours: tuple[tuple[Code, str], ...]
    rubrics: Mapping[RubricName, ScoreView]

    def shows(self, code: Code) -> str | None:
        """The evidence of ``code`` in this reply, if it shows it."""
        return next((evidence for found, evidence in self.behaviours if found is code), None)


@dataclass(frozen=True)
class RubricFigures:
    mean: float | None
    count: int
    first: int | None
    last: int | None
    trend: Trend
    scores: tuple[int, ...]


@dataclass(frozen=True)
class Named:
    """Something the learner did, with how often and one quoted example."""

    code: Code
    label: str
    count: int
    example: str


def quote(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= QUOTE_LIMIT else text[: QUOTE_LIMIT - 1].rstrip() + "…"


def trend_of(
    values: Sequence[float], margin: float, swing: float, min_points: int = TREND_MIN_TURNS
) -> tuple[Trend, float | None, float | None]:
    """The trend of ``values`` in order, with the earlier and later halves' means."""
    if len(values) < min_points:
        return Trend.not_enough_data, None, None
    split = len(values) - max(1, len(values) // 2)
    earlier, recent = fmean(values[:split]), fmean(values[split:])
    steps = [after - before for before, after in itertools.pairwise(values)]
    for one, two in itertools.pairwise(steps):
        if one * two < 0 and abs(one) >= swing and abs(two) >= swing:
            return Trend.uneven, round(earlier, 2), round(recent, 2)
    change = recent - earlier
    trend = Trend.improving if change >= margin else Trend.declining if change <= -margin else Trend.steady
    return trend, round(earlier, 2), round(recent, 2)


def figures(turns: Sequence[TurnView], name: RubricName) -> RubricFigures:
    scores = tuple(t.rubrics[name].score for t in turns if name in t.rubrics and t.rubrics[name].applicable)
    return RubricFigures(
        mean=round(fmean(scores), 2) if scores else None,
        count=len(scores),
        first=scores[0] if scores else None,
        last=scores[-1] if scores else None,
        trend=trend_of(scores, TURN_TREND_MARGIN, TURN_SWING)[0],
        scores=scores,
    )


def _fix_unasked(turn: TurnView) -> bool:
    score = turn.rubrics.get(RubricName.not_fixing)
    return score is not None and score.score < 3


def hurts(turns: Sequence[TurnView]) -> list[Named]:
    """Each kind of hurtful reply in the session, worst first, with a count and the first example."""
    named: list[Named] = []
    for code, label, _ in HURTS:
        found = [
            turn
            for turn in turns
            if turn.shows(code) is not None and (code is not Code.advice or _fix_unasked(turn))
        ]
        if found:
            named.append(Named(code, label, len(found), quote(found[0].reply)))
    return named


def repairs(turns: Sequence[TurnView]) -> list[str]:
    """The replies that repaired a miss, quoted."""
    return [quote(turn.reply) for turn in turns if turn.shows(Code.repair) is not None]


def earned(turns: Sequence[TurnView], name: RubricName) -> str | None:
    """The best reply that earned a 2 or 3 on ``name`` by something it did (its score quotes evidence)."""
    best: tuple[int, str] | None = None
    for turn in turns:
        score = turn.rubrics.get(name)
        if score is None or not score.applicable or score.score < EARNED_SCORE or not score.evidence.strip():
            continue
        if best is None or score.score > best[0]:
            best = (score.score, quote(score.evidence))
    return best[1] if best is not None else None


def went_well(
    turns: Sequence[TurnView],
    all_figures: Mapping[RubricName, RubricFigures],
    titles: Mapping[RubricName, str],
) -> list[str]:
    """Rubrics done well, strongest first, each with the words that earned it."""
    lines: list[tuple[float, str]] = []
    for name, fig in all_figures.items():
        if fig.mean is None or fig.mean < WENT_WELL_MEAN:
            continue
        example = earned(turns, name)
        if example is None:
            continue
        replies = "1 reply" if fig.count == 1 else f"{fig.count} replies"
        lines.append((fig.mean, f'{titles[name]}: {fig.mean:.1f} of 3 over {replies}, e.g. "{example}"'))
    return [line for _, line in sorted(lines, key=lambda item: -item[0])]


def practise_next(
    all_figures: Mapping[RubricName, RubricFigures], named: Sequence[Named], priority: Sequence[RubricName]
) -> RubricName | None:
    """What hurt most decides; otherwise the weakest rubric still to learn (its mean below 3, and it
    did not end on a 3 or its mean is below 2); None when there is none."""
    if named:
        return next(rubric for code, _, rubric in HURTS if code is named[0].code)
    below = [
        (fig.mean, n)
        for n in priority
        if (fig := all_figures[n]).mean is not None
        and fig.mean < 3
        and (fig.last != 3 or fig.mean < WENT_WELL_MEAN)
    ]
    if not below:
        return None
    lowest = min(mean for mean, _ in below)
    return next(n for mean, n in below if mean == lowest)


@dataclass(frozen=True)
class Feedback:
    """Everything a session's report says, before it is worded for a screen or an API."""

    figures: Mapping[RubricName, RubricFigures]
    went_well: tuple[str, ...]
    hurts: tuple[Named, ...]
    repairs: tuple[str, ...]
    practise_next: RubricName | None


def feedback(
    turns: Sequence[TurnView], titles: Mapping[RubricName, str], priority: Sequence[RubricName]
) -> Feedback:
    all_figures = {name: figures(turns, name) for name in RubricName}
    named = hurts(turns)
    return Feedback(
        figures=all_figures,
        went_well=tuple(went_well(turns, all_figures, titles)),
        hurts=tuple(named),
        repairs=tuple(repairs(turns)),
        practise_next=practise_next(all_figures, named, priority),
    )


def view(reply: str, grade: Grade) -> TurnView:
    """A graded reply as a report sees it."""
    return TurnView(
        reply=reply,
        behaviours=tuple((b.code, b.evidence) for b in grade.behaviours),
        rubrics={
            name: ScoreView(score.score, score.applicable, score.evidence)
            for name, score in grade.rubrics.items()
        },
    )


def stored_view(reply: str, behaviours: Sequence[Mapping[str, Any]], rubrics: Mapping[str, Any]) -> TurnView:
    """A stored turn (JSON columns) as a report sees it; a score stored without ``applicable`` applied."""
    codes = {code.value: code for code in Code}
    return TurnView(
        reply=reply,
        behaviours=tuple(
            (codes[str(b["code"])], str(b.get("evidence", "")))
            for b in behaviours
            if str(b.get("code")) in codes
        ),
        rubrics={
            RubricName(name): ScoreView(
                int(score["score"]), bool(score.get("applicable", True)), str(score.get("evidence", ""))
            )
            for name, score in rubrics.items()
            if name in RubricName.__members__
        },
    )


def ending_line(name: str, state: PartnerState) -> str:
    """How the session stands, in one sentence."""
    if state.status is SessionStatus.completed and not state.turns_ran_out:
        return f"Completed: {name} felt understood, said the deeper feeling, and heard your caring reaction."
    if state.turns_ran_out:
        return f"Out of replies after {state.turns}: {name} was at the {state.stage.value} stage."
    if state.status is SessionStatus.withdrawn:
        return f"{name} withdrew and the session ended. A repair, earlier, can bring a partner back."
    replies = "1 reply" if state.turns == 1 else f"{state.turns} replies"
    return f"Stopped at the {state.stage.value} stage after {replies}."


def report_lines(
    fb: Feedback, rubrics: RubricSet, ending: str, replies: int, retried: int = 0
) -> list[str]:
    """The report as plain lines (the terminal prints these, and the eval suite reads them)."""
    tried_again = f" ({retried} tried again)" if retried else ""
    lines = [ending, f"replies: {replies}{tried_again}"]
    for name, fig in fb.figures.items():
        title = rubrics.get(name).title
        if fig.mean is None:
            lines.append(f"{title}: not called for in this session")
            continue
        trend = "" if fig.trend is Trend.not_enough_data else f", {fig.trend.value}"
        lines.append(
            f"{title}: {fig.mean:.1f} / 3 over the {fig.count} of {replies} replies where it applied{trend}"
        )
    if fb.went_well:
        lines.extend(f"What went well: {line}" for line in fb.went_well)
    else:
        lines.append("What went well: no skill has reached an average of 2 by what you did yet.")
    for hurt in fb.hurts:
        times = "1 reply" if hurt.count == 1 else f"{hurt.count} replies"
        lines.append(f'What hurt: {hurt.label} ({times}), e.g. "{hurt.example}"')
    lines.extend(f'Repaired: you owned a miss and asked to try again: "{line}"' for line in fb.repairs)
    if fb.practise_next is None:
        lines.append(
            "Practise next: keep doing what worked; every skill the moments called for ended on a 3."
        )
    else:
        rubric = rubrics.get(fb.practise_next)
        mean = fb.figures[fb.practise_next].mean
        score = "" if mean is None else f" ({mean:.1f} of 3)"
        lines.append(f"Practise next: {rubric.title}{score}. A 3 looks like this: {rubric.anchor(3)}")
    return lines
