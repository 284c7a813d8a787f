"""The screen suite: the labelled set loads, and the figures are worked out per category and form."""

from __future__ import annotations

from pathlib import Path

import pytest

from trainer.evals.runner import EVALS_DIR
from trainer.evals.screen_suite import ScreenOutcome, load_screen_cases, run_screen_cases, screen_metrics
from trainer.safety.screen import default_screen
from trainer.vocabulary.errors import ContentError


def test_the_labelled_set_has_the_size_the_issue_asks_for() -> None:
    cases = load_screen_cases(EVALS_DIR / "screen")
    risky = [c for c in cases if c.category != "none"]
    assert len(cases) >= 300 and len(risky) >= 150 and len(cases) - len(risky) >= 150
    assert all(c.partner for c in cases if c.form.value == "quoted")


def test_recall_and_false_positives_per_category() -> None:
    outcomes = [
        ScreenOutcome(id="a", expected="self_harm", form="plain", predicted="self_harm"),
        ScreenOutcome(id="b", expected="self_harm", form="slang", predicted="none"),
        ScreenOutcome(id="c", expected="abuse", form="plain", predicted="harm_to_others"),
        ScreenOutcome(id="d", expected="none", form="idiom", predicted="harm_to_others"),
        ScreenOutcome(id="e", expected="none", form="idiom", predicted="none"),
        ScreenOutcome(id="f", expected="none", form="fiction", predicted="none"),
        ScreenOutcome(id="g", expected="none", form="fiction", predicted="none"),
    ]
    m = screen_metrics(outcomes)
    assert m["screen.self_harm.recall"] == 0.5
    assert m["screen.abuse.recall"] == 1.0 and m["screen.abuse.agreement"] == 0.0
    assert m["screen.harm_to_others.false_positive_rate"] == 0.25
    assert m["screen.false_positive_rate"] == 0.25
    assert m["screen.form.idiom.false_positive_rate"] == 0.5
    assert m["screen.form.slang.recall"] == 0.0
    assert m["screen.misses"] == 1 and m["screen.false_positives"] == 1
    assert not outcomes[1].passed and outcomes[2].passed


def test_the_suite_runs_the_screen_on_every_case() -> None:
    cases = load_screen_cases(EVALS_DIR / "screen")[:20]
    outcomes = run_screen_cases(default_screen(), cases)
    assert [o.id for o in outcomes] == [c.id for c in cases]
    assert all(o.rule is None for o in outcomes if o.predicted == "none")


def test_a_duplicate_id_names_the_file(tmp_path: Path) -> None:
    for name in ("a.yaml", "b.yaml"):
        (tmp_path / name).write_text(
            "cases:\n  - {id: x-1, reply: hi, category: none, form: plain}\n", encoding="utf-8"
        )
    with pytest.raises(ContentError, match="duplicate id 'x-1'"):
        load_screen_cases(tmp_path)


def test_held_out_figures_have_their_own_names() -> None:
    outcomes = [
        ScreenOutcome(id="a", form="plain", expected="self_harm", predicted="none"),
        ScreenOutcome(id="b", form="idiom", expected="none", predicted="none"),
    ]
    m = screen_metrics(outcomes, "screen.holdout")
    assert m["screen.holdout.recall"] == 0.0 and m["screen.holdout.false_positive_rate"] == 0.0
    assert m["screen.holdout.form.plain.recall"] == 0.0 and not any(k.startswith("screen.self") for k in m)


def test_the_held_out_set_loads_apart_from_the_tuning_set() -> None:
    held_out = load_screen_cases(EVALS_DIR / "screen-holdout")
    tuning = load_screen_cases(EVALS_DIR / "screen")
    assert len(held_out) >= 400
    assert not {c.reply for c in held_out} & {c.reply for c in tuning}
