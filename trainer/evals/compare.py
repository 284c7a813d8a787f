"""What changed between two runs: metric deltas and the cases that flipped."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from trainer.evals.results import EvalReport
from trainer.vocabulary.errors import ContentError

NOISE = 1e-4


class Delta(BaseModel):
    model_config = ConfigDict(extra="forbid")

    metric: str
    before: float | None
    after: float | None

    @property
    def change(self) -> float:
        return (self.after or 0.0) - (self.before or 0.0)


class Flip(BaseModel):
    model_config = ConfigDict(extra="forbid")

    suite: str
    case: str
    before: str
    after: str


class Comparison(BaseModel):
    model_config = ConfigDict(extra="forbid")

    deltas: list[Delta] = Field(default_factory=list)
    flips: list[Flip] = Field(default_factory=list)


def load_report(path: Path) -> EvalReport:
    try:
        return EvalReport.model_validate_json(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ContentError(str(path), f"cannot read the report: {error.strerror}") from error
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "(file)"
        raise ContentError(str(path), f"{where}: {first['msg']}") from error


def _reply_state(codes: list[str], scores: dict[str, int], scored: bool) -> str:
    if not scored:
        return "unscored"
    return (
        "codes " + ",".join(codes or ["-"]) + " | " + " ".join(f"{k}={v}" for k, v in sorted(scores.items()))
    )


def compare(before: EvalReport, after: EvalReport) -> Comparison:
    result = Comparison()
    for name in sorted(set(before.metrics) | set(after.metrics)):
        delta = Delta(metric=name, before=before.metrics.get(name), after=after.metrics.get(name))
        if delta.before is None or delta.after is None or abs(delta.change) > NOISE:
            result.deltas.append(delta)
    old_replies = {o.id: o for o in before.replies}
    for new in after.replies:
        old = old_replies.get(new.id)
        if old is None:
            continue
        was = _reply_state(old.predicted_codes, old.predicted_scores, old.scored)
        now = _reply_state(new.predicted_codes, new.predicted_scores, new.scored)
        if was != now:
            result.flips.append(Flip(suite="replies", case=new.id, before=was, after=now))
    old_adversarial = {o.id: o for o in before.adversarial}
    for new_case in after.adversarial:
        old_case = old_adversarial.get(new_case.id)
        if old_case is not None and old_case.passed != new_case.passed:
            result.flips.append(
                Flip(
                    suite="adversarial",
                    case=new_case.id,
                    before="held" if old_case.passed else "; ".join(old_case.violations),
                    after="held" if new_case.passed else "; ".join(new_case.violations),
                )
            )
    old_talks = {o.id: o for o in before.conversations}
    for new_talk in after.conversations:
        old_talk = old_talks.get(new_talk.id)
        if old_talk is not None and old_talk.passed != new_talk.passed:
            result.flips.append(
                Flip(
                    suite="conversations",
                    case=new_talk.id,
                    before="passed" if old_talk.passed else old_talk.why,
                    after="passed" if new_talk.passed else new_talk.why,
                )
            )
    return result
