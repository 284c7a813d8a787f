"""The partner never says the same line twice in a session."""

from __future__ import annotations

from trainer.content.loader import load_scenario_file
from trainer.content.scenario import Reaction
from trainer.partner.lines import choose_line, line_key
from trainer.settings import DATA_DIR

SCENARIOS = DATA_DIR / "scenarios"


def test_lines_rotate_and_skip_the_ones_said() -> None:
    scenario = load_scenario_file(SCENARIOS / "never-a-priority.yaml")
    count = len(scenario.lines[Reaction.nudge])
    used: list[str] = []
    for turn in range(count):
        chosen = choose_line(scenario, Reaction.nudge, turn * 2, used)
        assert chosen.key not in used
        used.append(chosen.key)
    assert sorted(used) == sorted(line_key(Reaction.nudge, i) for i in range(count))


def test_a_line_with_another_fact_is_another_line() -> None:
    scenario = load_scenario_file(SCENARIOS / "never-a-priority.yaml")
    count = len(scenario.lines[Reaction.partial])
    used = [line_key(Reaction.partial, i, "cancelled-trip") for i in range(count)]
    chosen = choose_line(scenario, Reaction.partial, 0, used, "phone-at-dinner")
    assert chosen.key.endswith(":phone-at-dinner") and chosen.key not in used
    assert line_key(Reaction.confirm, 1, "x") == "confirm:1"  # a line without a fact ignores it
