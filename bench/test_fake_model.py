"""The fake model answers what the trainer's clients accept (run: .venv/bin/pytest bench/test_fake_model.py).

Pure functions only: no server is started and nothing reaches the network.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from fake_model import PARTNER_LINES, is_judge, judge_answer, reply_of
from report import Figure

from trainer.content.rubric import load_rubrics
from trainer.grading.grader import RulesGrader
from trainer.grading.judge import JudgeAnswer, ModelJudge
from trainer.settings import DATA_DIR
from trainer.vocabulary.grades import GradeContext

ROOT = Path(__file__).resolve().parent.parent
REPLY = "So you felt  invisible after all that work. What was the hardest part?"


@pytest.fixture(scope="module")
def judge() -> ModelJudge:
    class Unused:
        name = "fake"

    return ModelJudge.load(Unused(), load_rubrics(DATA_DIR / "rubrics.yaml"), DATA_DIR / "prompts")  # type: ignore[arg-type]


def test_the_fake_finds_the_reply_in_the_real_judge_prompt(judge: ModelJudge) -> None:
    context = GradeContext(partner="Nobody noticed the report I wrote.")
    messages = [{"role": m.role, "content": m.content} for m in judge.messages(REPLY, context)]

    assert reply_of(messages) == REPLY
    assert is_judge({"messages": messages, "response_format": {"json_schema": {"name": "JudgeAnswer"}}})
    assert not is_judge({"messages": [{"role": "system", "content": "You are Sam."}]})


def test_the_judge_answer_validates_and_its_evidence_survives_the_judge(judge: ModelJudge) -> None:
    answer = JudgeAnswer.model_validate_json(judge_answer(REPLY))
    rubrics = load_rubrics(DATA_DIR / "rubrics.yaml")
    rules = RulesGrader(rubrics).grade(REPLY, GradeContext(partner="It hurt."))

    grade = judge.grade(answer, REPLY, rules)

    codes = {b.code.value: b.evidence for b in grade.behaviours}
    assert codes == {
        "reflection": "So you felt  invisible after all",
        "open_question": "What was the hardest part?",
    }
    assert grade.rubrics["open_questions"].score == 2  # type: ignore[index]


def test_a_reply_without_a_question_gets_no_open_question() -> None:
    answer = JudgeAnswer.model_validate_json(judge_answer("That sounds exhausting."))

    assert [b.code.value for b in answer.behaviours] == ["reflection"]
    assert answer.rubrics.open_questions.score == 1


def test_partner_lines_are_short_enough_to_stream_within_the_model_latency() -> None:
    # bench/run.py streams 200 words/s after a 50 ms first token and compares turns with L = 200 ms.
    assert max(len(line.split()) for line in PARTNER_LINES) * 5 + 50 < 200


def test_figures_judge_against_their_target() -> None:
    assert Figure("p50", "ms", 4.0, "<=", 5.0).verdict == "met"
    assert Figure("p50", "ms", 6.0, "<=", 5.0).verdict == "MISSED"
    assert Figure("p50", "ms", float("nan"), "<=", 5.0).verdict == "NO DATA"
    assert Figure("ratio", "x", 0.3).verdict == "info"


def test_the_fake_tells_the_safety_check_from_the_judge_and_answers_it_validly() -> None:
    from fake_model import SAFETY_ANSWER, is_safety_check

    from trainer.llm.structured import schema_name, with_json_instructions
    from trainer.llm.types import system, user
    from trainer.safety.model_check import RiskAnswer

    named = {"messages": [], "response_format": {"json_schema": {"name": schema_name(RiskAnswer)}}}
    assert is_safety_check(named) and not is_judge(named)
    prompted = with_json_instructions([system("Check the reply."), user("<reply>hi</reply>")], RiskAnswer)
    body = {"messages": [{"role": m.role, "content": m.content} for m in prompted]}
    assert is_safety_check(body) and not is_judge(body)
    assert RiskAnswer.model_validate_json(SAFETY_ANSWER).risk == "none"
