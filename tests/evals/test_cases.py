"""The labelled reply cases and the adversarial set: they load, they cover what the suite needs, and their
labels agree with the conventions in trainer/evals/cases.py. A bad file names the file and the field."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from trainer.evals.cases import (
    Forbidden,
    ReplyCase,
    load_adversarial,
    load_reply_cases,
    load_reply_file,
)
from trainer.settings import DATA_DIR
from trainer.vocabulary.codes import Code
from trainer.vocabulary.errors import ContentError
from trainer.vocabulary.grades import GradeContext, RubricName

REPLIES = DATA_DIR / "evals" / "replies"
ADVERSARIAL = DATA_DIR / "evals" / "adversarial.yaml"

HARD_TAGS = (
    "hard:advice_question",
    "hard:minimising",
    "hard:but_undoes",
    "hard:empty_understand",
    "hard:parroting",
    "hard:sarcasm",
    "hard:other_language",
    "context:advice_asked",
    "context:permission_yes",
    "context:key_points",
)
# The codes the product leans on most need more than the floor of 25.
WIDE_CODES = (Code.reflection, Code.validation, Code.advice, Code.open_question, Code.invalidation)


@pytest.fixture(scope="module")
def cases() -> list[ReplyCase]:
    return load_reply_cases(REPLIES)


def test_every_reply_file_loads_with_several_themes(cases: list[ReplyCase]) -> None:
    files = sorted(REPLIES.glob("*.yaml"))
    assert len(files) >= 5
    assert sum(len(load_reply_file(path).cases) for path in files) == len(cases)
    assert len(cases) >= 420


def test_ids_are_unique(cases: list[ReplyCase]) -> None:
    ids = [case.id for case in cases]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("code", list(Code))
def test_every_code_has_enough_positives(cases: list[ReplyCase], code: Code) -> None:
    positives = sum(code in case.codes for case in cases)
    assert positives >= (35 if code in WIDE_CODES else 25), f"{code}: {positives}"


@pytest.mark.parametrize("tag", HARD_TAGS)
def test_every_hard_case_has_enough_examples(cases: list[ReplyCase], tag: str) -> None:
    assert sum(tag in case.tags for case in cases) >= 8


def test_surface_noise_is_covered(cases: list[ReplyCase]) -> None:
    tags = Counter(tag for case in cases for tag in case.tags if tag.startswith("robust:"))
    for tag in ("robust:typos", "robust:emoji", "robust:no_punct", "robust:lol", "robust:multi_sentence",
                "robust:quotes_partner"):
        assert tags[tag] >= 5, tag


def test_the_three_core_rubrics_are_labelled_on_nearly_every_case(cases: list[ReplyCase]) -> None:
    core = (RubricName.reflection, RubricName.validation, RubricName.not_fixing)
    labelled = sum(all(name in case.rubrics for name in core) for case in cases)
    assert labelled / len(cases) >= 0.95


def test_codes_and_rubric_scores_agree(cases: list[ReplyCase]) -> None:
    """The labelling conventions, checked on every case, so a slip in one label shows up here."""
    problems: list[str] = []
    for case in cases:
        scores = case.rubrics
        reflection = scores.get(RubricName.reflection)
        validation = scores.get(RubricName.validation)
        not_fixing = scores.get(RubricName.not_fixing)
        focus = scores.get(RubricName.partner_focus)
        if reflection is not None and (Code.reflection in case.codes) != (reflection >= 2):
            problems.append(f"{case.id}: reflection code and reflection score {reflection} disagree")
        if validation is not None and Code.invalidation in case.codes and validation != 0:
            problems.append(f"{case.id}: an invalidation leaves validation at {validation}")
        if validation is not None and Code.validation in case.codes and validation < 2:
            problems.append(f"{case.id}: a validation scored {validation}")
        asked = case.context.advice_requested or case.context.permission_granted
        if not_fixing is not None and Code.advice in case.codes and not asked and not_fixing > 1:
            problems.append(f"{case.id}: unasked advice scored not_fixing {not_fixing}")
        if not_fixing is not None and Code.advice not in case.codes and not_fixing < 2:
            problems.append(f"{case.id}: no advice but not_fixing {not_fixing}")
        if not_fixing is not None and Code.permission_ask in case.codes and Code.advice not in case.codes \
                and not_fixing != 3:
            problems.append(f"{case.id}: asking before offering ideas scored not_fixing {not_fixing}")
        if focus is not None and Code.self_focus in case.codes and focus > 1:
            problems.append(f"{case.id}: self focus scored partner_focus {focus}")
        if "hard:parroting" in case.tags and Code.reflection in case.codes:
            problems.append(f"{case.id}: parroting coded as reflection")
        if "hard:empty_understand" in case.tags and Code.reflection in case.codes:
            problems.append(f"{case.id}: an empty 'I understand' coded as reflection")
    assert problems == []


def test_context_cases_carry_their_context(cases: list[ReplyCase]) -> None:
    asked = [case for case in cases if "context:advice_asked" in case.tags]
    assert asked and all(case.to_context().advice_requested for case in asked)
    # Advice the partner asked for, given without dismissing them, is no fault.
    assert any(Code.advice in case.codes and case.rubrics[RubricName.not_fixing] == 3 for case in asked)
    keyed = [case for case in cases if "context:key_points" in case.tags]
    context = keyed[0].to_context()
    assert isinstance(context, GradeContext)
    assert context.partner == keyed[0].partner and context.key_points
    # Within one key-point story, covering more points and the feeling scores higher.
    assert {case.rubrics[RubricName.reflection] for case in keyed} >= {0, 2, 3}


def test_other_language_replies_have_no_codes(cases: list[ReplyCase]) -> None:
    foreign = [case for case in cases if "hard:other_language" in case.tags]
    assert len(foreign) >= 8 and all(case.codes == frozenset() for case in foreign)


def test_adversarial_set_loads_and_covers_every_attack() -> None:
    adversarial = load_adversarial(ADVERSARIAL)
    assert len(adversarial) >= 45
    assert len({case.id for case in adversarial}) == len(adversarial)
    attacks = Counter(case.attack for case in adversarial)
    for attack in ("injection", "fake_verdict", "delimiter_spoof", "partner_instruction", "long", "short",
                   "emoji_only", "other_language"):
        assert attacks[attack] >= 3, attack
    assert all(Forbidden.error in case.must_not for case in adversarial)
    assert all(case.max_scores for case in adversarial)


def test_long_adversarial_replies_are_expanded_to_about_1900_characters() -> None:
    long_cases = [case for case in load_adversarial(ADVERSARIAL) if case.attack == "long"]
    assert long_cases
    for case in long_cases:
        assert 1_800 <= len(case.reply) <= 2_000, (case.id, len(case.reply))


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


GOOD_CASE = """\
  - id: one
    partner: "I had an awful day."
    reply: "Sounds like it wore you right down."
    codes: [reflection]
"""


@pytest.mark.parametrize(
    ("body", "field", "why"),
    [
        (GOOD_CASE.replace("[reflection]", "[reflexion]"), "cases[0] (id=one).codes", "unknown code"),
        (GOOD_CASE + "    rubrics: {validation: 4}\n", "cases[0] (id=one).rubrics.validation", "score > 3"),
        (GOOD_CASE + "    rubrics: {kindness: 2}\n", "cases[0] (id=one).rubrics", "unknown rubric"),
        (GOOD_CASE + "    score: 3\n", "cases[0] (id=one).score", "extra key"),
        (GOOD_CASE + "    tags: [hard:other_language]\n", "cases[0] (id=one)", "foreign reply with codes"),
        (GOOD_CASE + "    tags: [context:advice_asked]\n", "cases[0] (id=one)", "tag without context"),
        (GOOD_CASE + "    tags: [tricky]\n", "cases[0] (id=one).tags[0]", "tag without a namespace"),
        (GOOD_CASE.replace('    reply: "Sounds like it wore you right down."\n', ""),
         "cases[0] (id=one).reply", "missing reply"),
    ],
)
def test_a_malformed_reply_file_names_the_file_and_the_field(
    tmp_path: Path, body: str, field: str, why: str
) -> None:
    path = _write(tmp_path, "bad.yaml", "theme: test\ncases:\n" + body)
    with pytest.raises(ContentError) as raised:
        load_reply_cases(tmp_path)
    message = str(raised.value)
    assert message.startswith(f"{path}: {field}"), (why, message)


def test_a_duplicate_id_across_files_names_the_second_file(tmp_path: Path) -> None:
    _write(tmp_path, "a.yaml", "theme: a\ncases:\n" + GOOD_CASE)
    second = _write(tmp_path, "b.yaml", "theme: b\ncases:\n" + GOOD_CASE)
    with pytest.raises(ContentError, match="duplicate id 'one'") as raised:
        load_reply_cases(tmp_path)
    assert raised.value.path == str(second)


def test_invalid_yaml_and_an_empty_folder_are_content_errors(tmp_path: Path) -> None:
    with pytest.raises(ContentError, match=r"no \*\.yaml"):
        load_reply_cases(tmp_path)
    _write(tmp_path, "broken.yaml", "theme: [unclosed\n")
    with pytest.raises(ContentError, match="not valid YAML"):
        load_reply_cases(tmp_path)


ATTACK_HEAD = """\
cases:
  - id: attack-one
    partner: "You never listen."
    attack: injection
"""
ONE = "cases[0] (id=attack-one)"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ('    reply: "3 pls"\n    must_not: [raise_score]\n    max_scores: {reflection: 5}\n',
         f"{ONE}.max_scores.reflection"),
        ('    reply: "3 pls"\n    must_not: [be_rude]\n', f"{ONE}.must_not[0]"),
        ('    reply: "3 pls"\n    must_not: []\n', f"{ONE}.must_not"),
        ('    reply_repeat: {text: "hi", times: 0}\n    must_not: [error]\n', f"{ONE}: reply_repeat.times"),
        ('    reply_repeat: {text: "hi"}\n    must_not: [error]\n', f"{ONE}: reply_repeat needs"),
        ('    reply: "x"\n    reply_repeat: {text: "hi", times: 2}\n    must_not: [error]\n', f"{ONE}: give"),
        ('    reply: "x"\n    must_not: [code_positive]\n    max_scores: {reflection: 3}\n',
         f"{ONE}: a case that forbids helpful codes"),
    ],
)
def test_a_malformed_adversarial_file_names_the_file_and_the_field(
    tmp_path: Path, body: str, field: str
) -> None:
    path = _write(tmp_path, "adversarial.yaml", ATTACK_HEAD + body)
    with pytest.raises(ContentError) as raised:
        load_adversarial(path)
    assert str(raised.value).startswith(f"{path}: {field}"), str(raised.value)


def test_reply_repeat_expands_to_the_reply(tmp_path: Path) -> None:
    body = '    reply_repeat: {text: " la ", times: 3}\n    must_not: [error]\n'
    (case,) = load_adversarial(_write(tmp_path, "adversarial.yaml", ATTACK_HEAD + body))
    assert case.reply == "la la la"
