"""The coder's learned second look: it loads, retraining gives the shipped weights, it adds what the
rules miss only with evidence from the reply, never undoes the rules, respects the rules' guards, and
stays fast.

The replies below were written for this file from the definitions in docs/design.md, not taken from
the training set (trainer/data/coder-training/) or the eval replies.
"""

from __future__ import annotations

import hashlib
from array import array
from pathlib import Path

import pytest

from trainer.coding.coder import RulesCoder
from trainer.coding.learned import MODEL_FILE, CoderModel, Reading, load_model
from trainer.evals.train_coder_model import (
    CODES,
    RULES_ONLY,
    TrainingFile,
    build,
    chosen_threshold,
    load_training,
)
from trainer.learning.features import MAX_MODEL_CHARS
from trainer.vocabulary.codes import Code
from trainer.vocabulary.errors import ContentError
from trainer.vocabulary.grades import GradeContext


@pytest.fixture(scope="module")
def model() -> CoderModel:
    loaded = load_model()
    assert loaded is not None
    return loaded


def test_the_shipped_model_loads(model: CoderModel) -> None:
    assert MODEL_FILE.is_file()
    assert model.codes == CODES
    assert len(model.weights) == model.buckets * len(model.codes)
    assert all(t >= 0.5 for t in model.thresholds)
    assert RulesCoder().model is not None
    assert RulesCoder(learned=False).model is None


def test_training_again_gives_the_shipped_weights(model: CoderModel) -> None:
    retrained, provenance = build(cv=False)
    assert retrained.weights == model.weights
    assert retrained.bias == model.bias
    assert provenance["weights_sha256"] == hashlib.sha256(model.weights.tobytes()).hexdigest()


def test_a_threshold_within_noise_of_the_best_is_chosen_high() -> None:
    # A flat top: the highest threshold within the tolerance wins, not the argmax.
    assert chosen_threshold([(0.5, 0.70), (0.7, 0.752), (0.8, 0.750), (0.9, 0.70)], rules_f=0.6) == 0.8
    # A clear best stands.
    assert chosen_threshold([(0.5, 0.70), (0.7, 0.76), (0.8, 0.75), (0.9, 0.70)], rules_f=0.6) == 0.7
    # A threshold must beat the rules alone by the margin, or the code is left to the rules.
    assert chosen_threshold([(0.5, 0.603), (0.9, 0.604)], rules_f=0.6) == RULES_ONLY


def test_a_model_round_trips_through_its_file(model: CoderModel) -> None:
    again = CoderModel.from_json(model.to_json({"data": "test"}))
    assert again.weights == model.weights and again.thresholds == model.thresholds
    assert again.codes == model.codes and again.bias == model.bias


def _coded(coder: RulesCoder, partner: str, reply: str) -> dict[Code, str]:
    coding = coder.code(reply, GradeContext(partner=partner))
    return {b.code: b.evidence for b in coding.behaviours}


def test_what_the_model_adds_is_quoted_from_the_reply(model: CoderModel) -> None:
    with_model, rules = RulesCoder(model), RulesCoder(learned=False)
    partner = "I had to redo the whole budget twice because finance kept changing the numbers."
    replies = [
        "Twice. After all that work. Ugh.",
        "honestly that is so frustrating",
        "what a slog, and none of it was your doing",
        "Ok so first thing, get them to sign off on the numbers before you start next time.",
        "I spent my whole first year at the firm redoing spreadsheets like that.",
    ]
    added = 0
    for reply in replies:
        before = _coded(rules, partner, reply)
        after = _coded(with_model, partner, reply)
        assert before.keys() <= after.keys(), "the second look never removes a code the rules found"
        for code, evidence in after.items():
            assert evidence in reply
            if code not in before:
                added += 1
                assert code in model.codes
    assert added >= 1


def test_a_sure_model_adds_with_the_best_sentence_as_evidence() -> None:
    sure = _model_that_always_says(Code.advice, buckets=1 << 4)
    coder = RulesCoder(sure)
    coded = _coded(coder, "Work is awful lately.", "Hmm. Yeah.")
    assert coded[Code.advice] in "Hmm. Yeah."


def test_guards_hold_against_a_sure_model() -> None:
    coder = RulesCoder(_model_that_always_says(Code.reflection, buckets=1 << 4))
    partner = "You never listen to me when I talk about my day."
    # Parroting the partner's words is not a reflection, however sure the model is.
    assert Code.reflection not in _coded(coder, partner, "You never listen to me when I talk about my day.")
    # Sarcasm undoes understanding words.
    assert Code.reflection not in _coded(coder, partner, "Oh poor you, must be sooo hard.")
    # Another language and gibberish get no codes at all.
    assert _coded(coder, partner, "Lo siento mucho, no te escuché bien.") == {}
    assert _coded(coder, partner, "asdkjh qwpoeiru zmxncb") == {}


def test_a_sure_model_adds_nothing_to_a_change_of_subject() -> None:
    coder = RulesCoder(_model_that_always_says(Code.validation, buckets=1 << 4))
    partner = "My sister hasn't spoken to me since the wedding and I have no idea what I did."
    coded = _coded(coder, partner, "Did you see the match last night? That second half was unbelievable.")
    # Praise of the match validates nothing of the partner's: the reply turned away.
    assert Code.disengagement in coded
    assert Code.validation not in coded


def test_a_sure_model_adds_no_validation_to_owning_a_lapse() -> None:
    coder = RulesCoder(_model_that_always_says(Code.validation, buckets=1 << 4))
    partner = "My sister hasn't spoken to me since the wedding and you changed the subject."
    reply = "I owe you an apology, I skated right past that. Can we go back to your sister?"
    coded = _coded(coder, partner, reply)
    # Owning not listening says nothing of whether the partner's feeling makes sense.
    assert Code.repair in coded
    assert Code.validation not in coded


def _model_that_always_says(code: Code, buckets: int) -> CoderModel:
    weights = array("b", bytes(buckets * len(CODES)))
    bias = [10.0 if c is code else -10.0 for c in CODES]
    thresholds = [0.5] * len(CODES)
    return CoderModel(CODES, weights, 1.0, bias, thresholds, buckets)


def test_the_reading_carries_the_rules_findings() -> None:
    reading = Reading.of(
        ["so you are tired"], [Code.reflection], shared_content=2, names_feeling=True, words=4
    )
    assert "r:reflection" in reading.facts and "feeling" in reading.facts and "o:2" in reading.facts
    assert "r:none" in Reading.of(["hi"], [], shared_content=0, names_feeling=False, words=1).facts


def test_training_files_are_validated(tmp_path: Path) -> None:
    (tmp_path / "one.yaml").write_text(
        "cases:\n  - {id: a-1, partner: 'hi', reply: 'hello', codes: [reflection], extra: 1}\n"
    )
    with pytest.raises(ContentError, match="extra"):
        load_training(tmp_path)


def test_every_training_reply_is_labelled_with_known_codes() -> None:
    cases = load_training()
    assert len(cases) >= 3000
    assert TrainingFile.model_config.get("extra") == "forbid"
    for code in CODES:
        assert sum(code in case.codes for case in cases) >= 100, code


def test_the_model_reads_a_bounded_prefix_of_a_long_reply(model: CoderModel) -> None:
    # Cost stays linear in the reply: features stop after MAX_MODEL_CHARS characters.
    sentence = "so you feel left out " * 400
    assert len(sentence) > 2 * MAX_MODEL_CHARS
    assert model.slots(Reading((sentence,), ())) == model.slots(Reading((sentence[:MAX_MODEL_CHARS],), ()))
