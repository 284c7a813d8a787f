"""Loading scenario files: every error names the file and the field, and cross-field checks hold."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.content.conftest import Doc, WriteScenario
from trainer.content.loader import collect_scenarios, load_scenario_file, load_scenarios
from trainer.vocabulary.errors import ContentError


def load_error(path: Path) -> str:
    with pytest.raises(ContentError) as caught:
        load_scenario_file(path)
    assert caught.value.path.endswith(path.name)
    return str(caught.value)


def test_a_valid_file_loads(write_scenario: WriteScenario, document: Doc) -> None:
    scenario = load_scenario_file(write_scenario(document))
    assert scenario.id == "sample"
    assert [point.id for point in scenario.key_points] == ["long-week", "tired"]


def test_malformed_yaml_names_the_file_and_the_line(write_scenario: WriteScenario) -> None:
    path = write_scenario("id: sample\ntitle: [unclosed\nsummary: x\n")
    message = load_error(path)
    assert message.startswith(str(path))
    assert "invalid YAML" in message
    assert "line 3" in message


def test_a_key_given_twice_is_an_error_not_silently_replaced(write_scenario: WriteScenario) -> None:
    path = write_scenario("id: sample\ntitle: One\ntitle: Two\n")
    message = load_error(path)
    assert "duplicate key 'title'" in message
    assert "line 3" in message


def test_an_empty_file_asks_for_a_mapping(write_scenario: WriteScenario) -> None:
    message = load_error(write_scenario(""))
    assert "expected a mapping of fields at the top level, found an empty file" in message


def test_an_unknown_field_is_reported_by_name(write_scenario: WriteScenario, document: Doc) -> None:
    document["partner"]["mood"] = "grumpy"
    document["colour"] = "blue"
    message = load_error(write_scenario(document))
    assert "partner.mood: unknown field 'mood'" in message
    assert "colour: unknown field 'colour'" in message


def test_a_missing_field_is_reported_with_its_path(write_scenario: WriteScenario, document: Doc) -> None:
    del document["partner"]["voice"]
    assert "sample.yaml: partner.voice: missing required field" in load_error(write_scenario(document))


def test_a_wrong_type_carries_the_pydantic_message(write_scenario: WriteScenario, document: Doc) -> None:
    document["difficulty"] = "hard"
    document["key_points"][1]["cues"] = "tired"
    message = load_error(write_scenario(document))
    assert "difficulty: Input should be a valid integer" in message
    assert "key_points[1].cues: Input should be a valid list" in message


def test_every_error_line_names_the_file(write_scenario: WriteScenario, document: Doc) -> None:
    document["difficulty"] = 9
    document["title"] = "x"
    path = write_scenario(document)
    lines = load_error(path).splitlines()
    assert len(lines) == 2
    assert all(line.startswith(f"{path}: ") for line in lines)
    assert any(line.startswith(f"{path}: difficulty: ") for line in lines)
    assert any(line.startswith(f"{path}: title: ") for line in lines)


def test_a_missing_reaction_is_named(write_scenario: WriteScenario, document: Doc) -> None:
    del document["lines"]["hurt_leading"]
    assert "sample.yaml: lines: missing reactions hurt_leading" in load_error(write_scenario(document))


def test_an_unknown_reaction_is_named(write_scenario: WriteScenario, document: Doc) -> None:
    document["lines"]["greeting"] = ["Hello."]
    assert "lines.greeting: unknown key 'greeting'" in load_error(write_scenario(document))


def test_a_missing_exemplar_stage_is_named(write_scenario: WriteScenario, document: Doc) -> None:
    del document["exemplars"]["deepening"]
    assert "exemplars: missing stages deepening" in load_error(write_scenario(document))


def test_a_partial_line_without_its_placeholder_is_pointed_at(
    write_scenario: WriteScenario, document: Doc
) -> None:
    document["lines"]["partial"][2] = "Yes, but you missed something."
    message = load_error(write_scenario(document))
    assert "lines.partial[2]: every line needs the {missed} placeholder" in message
    assert "lines.partial[0]" not in message


def test_an_empty_cue_list_names_the_key_point(write_scenario: WriteScenario, document: Doc) -> None:
    document["key_points"][1]["cues"] = []
    assert "key_points[1].cues: List should have at least 1 item" in load_error(write_scenario(document))


def test_the_id_must_match_the_file_name(write_scenario: WriteScenario, document: Doc) -> None:
    path = write_scenario(document, name="another-name")
    assert "id: 'sample' does not match the file name (expected 'another-name')" in load_error(path)


def test_an_unknown_placeholder_is_an_error(write_scenario: WriteScenario, document: Doc) -> None:
    document["lines"]["confirm"][1] = "Yes, {point} exactly."
    assert "lines.confirm[1]: unknown placeholder {point}" in load_error(write_scenario(document))


def test_the_partner_never_repeats_a_line(write_scenario: WriteScenario, document: Doc) -> None:
    document["lines"]["nudge"][1] = document["lines"]["confirm"][0].upper()
    assert "lines.nudge[1]: the same line as lines.confirm[0]" in load_error(write_scenario(document))


def test_the_deeper_share_is_not_a_repeated_line(write_scenario: WriteScenario, document: Doc) -> None:
    document["deeper"]["share"] = document["lines"]["reveal"][1]
    assert "deeper.share: the same line as lines.reveal[1]" in load_error(write_scenario(document))


def test_the_deeper_feeling_may_not_leak_before_the_reveal(
    write_scenario: WriteScenario, document: Doc
) -> None:
    document["lines"]["opening"] = ["I feel so invisible lately."]
    document["key_points"][0]["share"] = "Nobody sees me, I'm unseen all week."
    document["lines"]["reveal"][0] = "I feel invisible to you."
    message = load_error(write_scenario(document))
    assert "lines.opening[0]: gives away the deeper feeling before the reveal (invisible)" in message
    assert "key_points[0].share: gives away the deeper feeling before the reveal (unseen)" in message
    assert "lines.reveal" not in message


def test_a_cue_belongs_to_one_key_point(write_scenario: WriteScenario, document: Doc) -> None:
    document["key_points"][1]["cues"] = ["tired", "week"]
    document["deeper"]["cues"] = ["unseen", "long"]
    message = load_error(write_scenario(document))
    assert "key_points[1].cues[1]: 'week' is also a cue of key point 'long-week'" in message
    assert "deeper.cues[1]: 'long' is also a cue of key point 'long-week'" in message


@pytest.mark.parametrize(
    ("advice", "expected"),
    [
        ({"asks_at": "withdrawn", "accepts_permission_from": "sharing"}, "advice.asks_at: 'withdrawn'"),
        ({"accepts_permission_from": "done"}, "advice.accepts_permission_from: 'done' is not"),
        ({"asks_at": "understood"}, "advice.accepts_permission_from: a partner who asks for ideas"),
        ({"asks_at": "understood", "accepts_permission_from": "closing"}, "from that stage or earlier"),
    ],
)
def test_the_advice_plan_must_make_sense(
    write_scenario: WriteScenario, document: Doc, advice: dict[str, str], expected: str
) -> None:
    document["advice"] = advice
    assert expected in load_error(write_scenario(document))


def test_a_sensible_advice_plan_loads(write_scenario: WriteScenario, document: Doc) -> None:
    document["advice"] = {"asks_at": "deepening", "accepts_permission_from": "understood"}
    assert load_scenario_file(write_scenario(document)).advice.asks_at == "deepening"


def test_tuning_thresholds_must_fit_together(write_scenario: WriteScenario, document: Doc) -> None:
    document["tuning"] = {"start_safety": 30, "withdraw_at": 40, "reveal_min_safety": 35}
    message = load_error(write_scenario(document))
    assert "tuning.withdraw_at: must be below tuning.start_safety" in message
    assert "tuning.reveal_min_safety: must be above tuning.withdraw_at" in message


def test_a_folder_loads_sorted_by_id(write_scenario: WriteScenario, document: Doc) -> None:
    for name in ("zeta", "alpha", "mid"):
        write_scenario({**document, "id": name}, name=name)
    folder = write_scenario(document).parent
    assert list(load_scenarios(folder)) == ["alpha", "mid", "sample", "zeta"]


def test_duplicate_ids_across_files_are_an_error(write_scenario: WriteScenario, document: Doc) -> None:
    first = write_scenario(document)
    second = write_scenario(document, suffix=".yml")
    scenarios, errors = collect_scenarios([first, second])
    assert list(scenarios) == ["sample"]
    assert [error.path for error in errors] == [str(second)]
    assert f"id: 'sample' is already used by {first}" in str(errors[0])
    with pytest.raises(ContentError, match="already used by"):
        load_scenarios(first.parent)


def test_collecting_keeps_going_past_a_bad_file(write_scenario: WriteScenario, document: Doc) -> None:
    bad = write_scenario("id: [", name="bad")
    good = write_scenario(document)
    scenarios, errors = collect_scenarios([bad, good])
    assert list(scenarios) == ["sample"]
    assert len(errors) == 1
    assert errors[0].path == str(bad)


def test_a_missing_folder_or_file_is_a_content_error(tmp_path: Path) -> None:
    with pytest.raises(ContentError, match="no such folder"):
        load_scenarios(tmp_path / "nowhere")
    with pytest.raises(ContentError, match="no such file"):
        load_scenario_file(tmp_path / "nowhere.yaml")
