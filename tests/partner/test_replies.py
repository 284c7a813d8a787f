"""What a reply asks of the partner: a clarification, a plan, a yes/no about the story."""

from __future__ import annotations

import pytest

from trainer.content.loader import load_scenario_file
from trainer.content.scenario import Scenario
from trainer.partner.replies import asked_about, asks_to_clarify, offers_plan, point_in
from trainer.settings import DATA_DIR

SCENARIOS = DATA_DIR / "scenarios"


@pytest.fixture(scope="module")
def amara() -> Scenario:
    return load_scenario_file(SCENARIOS / "never-mind-repair.yaml")


@pytest.mark.parametrize(
    "reply",
    [
        "What do you mean?",
        "Sorry, I don't quite follow.",
        "Can you say that again?",
        "I'm a bit lost, sorry.",
    ],
)
def test_a_request_to_clarify_is_recognised(reply: str) -> None:
    assert asks_to_clarify(reply)


@pytest.mark.parametrize("reply", ["What worries you most about it?", "You must be so scared.", "I lost it."])
def test_other_replies_are_no_request_to_clarify(reply: str) -> None:
    assert not asks_to_clarify(reply)


def test_a_plan_is_recognised() -> None:
    assert offers_plan("I'll drive us up on Saturday and we can see her together.")
    assert offers_plan("How about we ring your sister tonight?")
    assert not offers_plan("You felt so alone with it.")


def test_a_closed_question_is_read_as_the_restatement_it_checks(amara: Scenario) -> None:
    assert [p.id for p in asked_about(amara, "Did it feel like I ignored you?")] == ["brushed-off"]
    assert [p.id for p in asked_about(amara, "Are you worried about her?")] == ["shaken"]
    assert asked_about(amara, "Are you angry with your sister?") == []


def test_the_point_a_partner_line_speaks_about(amara: Scenario) -> None:
    share = amara.key_points[1].share
    assert point_in(amara, f"*sighs* Fine. {share}") is amara.key_points[1]
    assert point_in(amara, "Mm.") is None
