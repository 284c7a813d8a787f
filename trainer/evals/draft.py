"""``python -m trainer.evals.draft SUITE [CONVERSATION_ID ...]``: draft replay answers for scripted
conversations from the offline engines, for a person to review, then ``python -m trainer.evals.stamp``.

For every turn of the named conversations (all of the suite's, when none is named) it writes the
judge's answer as the rules grade would give it and the partner's answer as the scripted partner's
line, each with an empty ``request_hash`` and the note ``drafted from the offline engines``. Answers
already in the fixture file for those turns are replaced; other answers are left alone. Nothing here
reaches the network: it is how the moment suite's replay fixtures were first written (issue 14).
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Sequence

from trainer.content.loader import load_scenarios
from trainer.content.rubric import load_rubrics
from trainer.content.scenario import Scenario
from trainer.engines import Engines
from trainer.evals.conversations import load_conversations
from trainer.evals.fixtures import Exchange, Role, fixture_path, load_fixture_file, save_fixture_file
from trainer.evals.moments import load_moments
from trainer.evals.runner import EVALS_DIR
from trainer.grading.judge import BehaviourFinding, JudgeAnswer, RubricFinding, RubricFindings
from trainer.sessions.turn import open_session, take_turn
from trainer.settings import Settings
from trainer.vocabulary.grades import Grade, RubricName
from trainer.vocabulary.messages import Message
from trainer.vocabulary.messages import Role as Speaker

NOTE = "drafted from the offline engines (the rules grade, the scripted line); reviewed by hand"


def judge_answer(grade: Grade) -> str:
    """The judge's JSON answer that says what ``grade`` says."""
    findings = {
        name.value: RubricFinding(
            evidence=grade.rubrics[name].evidence,
            reason=grade.rubrics[name].reason,
            score=grade.rubrics[name].score,
        )
        for name in RubricName
    }
    answer = JudgeAnswer(
        behaviours=[BehaviourFinding(code=b.code, evidence=b.evidence) for b in grade.behaviours],
        rubrics=RubricFindings(**findings),
        tip=grade.tip,
    )
    return answer.model_dump_json()


async def _draft(engines: Engines, key: str, scenario: Scenario, replies: Sequence[str]) -> list[Exchange]:
    opening = open_session(scenario)
    state, history = opening.state, [Message(role=Speaker.partner, text=opening.text)]
    drafted: list[Exchange] = []
    for index, reply in enumerate(replies):
        result = await take_turn(engines, scenario, state, history, reply)
        turn_key = f"{key}#{index}"
        drafted.append(Exchange(key=turn_key, role=Role.judge, answer=judge_answer(result.grade), note=NOTE))
        drafted.append(Exchange(key=turn_key, role=Role.partner, answer=result.partner_text, note=NOTE))
        state = result.state
        history += [
            Message(role=Speaker.learner, text=reply),
            Message(role=Speaker.partner, text=result.partner_text),
        ]
    return drafted


def draft(settings: Settings, suite: str, wanted: Sequence[str]) -> int:
    scenarios = load_scenarios(settings.scenarios_dir)
    engines = Engines.offline(load_rubrics(settings.rubrics_path))
    if suite == "moments":
        talks = [
            (t.id, t.scenario, [turn.reply for turn in t.conversation.turns])
            for t in load_moments(EVALS_DIR / "moments", scenarios)
        ]
    elif suite == "conversations":
        talks = [
            (t.id, t.scenario, [turn.reply for turn in t.conversation.turns])
            for t in load_conversations(EVALS_DIR / "conversations", scenarios)
        ]
    else:
        print(f"draft: only conversation suites (moments, conversations), not {suite!r}", file=sys.stderr)
        return 2
    chosen = [talk for talk in talks if not wanted or talk[0] in wanted]
    path = fixture_path(EVALS_DIR / "fixtures", suite)
    data = load_fixture_file(path)
    prefixes = tuple(f"{talk_id}#" for talk_id, _, _ in chosen)
    kept = [call for call in data.calls if not call.key.startswith(prefixes)]
    drafted: list[Exchange] = []
    for talk_id, scenario_id, replies in chosen:
        drafted += asyncio.run(_draft(engines, talk_id, scenarios[scenario_id], replies))
    data.calls = kept + drafted
    save_fixture_file(path, data)
    print(f"{path}: drafted {len(drafted)} answer(s) for {len(chosen)} conversation(s)")
    return 0


if __name__ == "__main__":
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        raise SystemExit(2)
    raise SystemExit(draft(Settings(), sys.argv[1], sys.argv[2:]))
