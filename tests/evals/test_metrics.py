import pytest

from trainer.evals.metrics import binary_scores, macro, ordinal_scores, spread


def test_binary_scores_count_and_derive() -> None:
    pairs = [(True, True)] * 8 + [(False, True)] * 2 + [(True, False)] * 4 + [(False, False)] * 86
    s = binary_scores(pairs)
    assert (s.tp, s.fp, s.fn, s.tn) == (8, 2, 4, 86)
    assert s.precision == pytest.approx(0.8)
    assert s.recall == pytest.approx(8 / 12)
    assert s.f1 == pytest.approx(2 * 0.8 * (8 / 12) / (0.8 + 8 / 12))
    # observed 0.94, expected (10*12 + 90*88) / 100^2 = 0.804
    assert s.kappa == pytest.approx((0.94 - 0.804) / (1 - 0.804))


def test_binary_scores_empty_and_degenerate() -> None:
    empty = binary_scores([])
    assert empty.f1 == 0.0 and empty.kappa == 0.0
    never_predicted = binary_scores([(True, False), (False, False)])
    assert never_predicted.precision == 0.0 and never_predicted.recall == 0.0


def test_ordinal_perfect_agreement() -> None:
    s = ordinal_scores([(0, 0), (1, 1), (2, 2), (3, 3)])
    assert s.exact == 1.0 and s.within_one == 1.0 and s.weighted_kappa == pytest.approx(1.0)


def test_ordinal_near_misses_cost_less_than_far_ones() -> None:
    truth = [0, 1, 2, 3] * 5
    near = ordinal_scores([(t, min(t + 1, 3)) for t in truth])
    far = ordinal_scores([(t, 3 - t) for t in truth])
    assert near.within_one == 1.0
    assert far.within_one < 1.0
    assert near.weighted_kappa > far.weighted_kappa
    assert far.weighted_kappa < 0  # systematically reversed is worse than chance
    assert near.confusion[0][1] == 5


def test_macro_and_spread() -> None:
    assert macro([0.5, 1.0]) == 0.75
    assert macro([]) == 0.0
    assert spread([2, 3, 1]) == 2
    assert spread([]) == 0.0
