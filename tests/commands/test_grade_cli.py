"""``trainer grade``: JSONL in, one JSON object per line out, errors per line, engine choice."""

from __future__ import annotations

import argparse
import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from trainer.commands.grade import EngineUnavailable, grade_stream, run, select_grader
from trainer.content.rubric import load_rubrics
from trainer.grading.grader import RulesGrader
from trainer.settings import DATA_DIR, Settings
from trainer.vocabulary.codes import Behaviour, Code, Coding
from trainer.vocabulary.errors import InvalidReply
from trainer.vocabulary.grades import GradeContext, RubricName

ROOT = Path(__file__).resolve().parents[2]


class ReflectingCoder:
    """Codes every reply as one reflection of itself; refuses blank replies like the real coder."""

    def __init__(self) -> None:
        self.seen: list[GradeContext | None] = []

    def code(self, reply: str, context: GradeContext | None = None) -> Coding:
        if not reply.strip():
            raise InvalidReply("the reply is empty")
        self.seen.append(context)
        return Coding(behaviours=(Behaviour(code=Code.reflection, evidence=reply.strip()),))


def graded(lines: list[str], coder: ReflectingCoder | None = None) -> list[dict[str, Any]]:
    grader = RulesGrader(load_rubrics(DATA_DIR / "rubrics.yaml"), coder=coder or ReflectingCoder())
    out = io.StringIO()
    assert grade_stream(lines, out, grader.grade) == len(lines)
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_each_line_gets_a_grade_in_order_with_its_id() -> None:
    lines = [
        json.dumps({"id": "first", "partner": "I had a rough day.", "reply": "Your day was rough."}),
        json.dumps({"partner": "I miss home.", "reply": "You miss home."}),
        json.dumps({"id": 7, "partner": "Work is hard.", "reply": "Work has been hard."}),
    ]
    first, second, third = graded(lines)
    assert first["id"] == "first" and third["id"] == 7 and "id" not in second
    replies = ("Your day was rough.", "You miss home.", "Work has been hard.")
    for out, reply in zip((first, second, third), replies):
        assert out["behaviours"] == [{"code": "reflection", "evidence": reply}]
        assert set(out["rubrics"]) == {name.value for name in RubricName}
        for rubric in out["rubrics"].values():
            assert set(rubric) == {"score", "reason", "evidence"}
            assert 0 <= rubric["score"] <= 3
        assert out["tip"] and out["engine"] == "rules"


def test_history_and_partner_reach_the_coder() -> None:
    coder = ReflectingCoder()
    line = {"partner": "And then he left.", "reply": "He left.",
            "history": [{"role": "partner", "text": "We argued."}, {"role": "learner", "text": "Oh no."}]}
    graded([json.dumps(line)], coder)
    context = coder.seen[0]
    assert context is not None and context.partner == "And then he left."
    assert [m.text for m in context.history] == ["We argued.", "Oh no."]


@pytest.mark.parametrize(
    ("line", "kind", "detail"),
    [
        ("this is not json", "invalid_json", "not a JSON object"),
        ("[1, 2]", "invalid_request", "JSON object"),
        ('{"id": "x", "partner": "hi"}', "invalid_request", "reply"),
        ('{"id": "x", "partner": "hi", "reply": 5}', "invalid_request", "reply"),
        ('{"id": "x", "partner": "hi", "reply": "ok", "history": [{"role": "coach", "text": "t"}]}',
         "invalid_request", "history.0.role"),
        ('{"id": "x", "partner": "hi", "reply": "   "}', "invalid_reply", "empty"),
        ('{"id": "x", "partner": "hi", "reply": "' + "so " * 20_000 + '"}', "invalid_reply",
         "the limit is 2000"),
        ("", "invalid_json", "not a JSON object"),
    ],
)
def test_a_bad_line_gets_an_error_and_the_stream_goes_on(line: str, kind: str, detail: str) -> None:
    good = json.dumps({"id": "after", "partner": "I'm tired.", "reply": "You're worn out."})
    bad, after = graded([line, good])
    assert set(bad) <= {"id", "error"}
    assert bad["error"]["type"] == kind
    assert detail in bad["error"]["detail"]
    if '"id": "x"' in line:
        assert bad["id"] == "x"
    assert after["id"] == "after" and "rubrics" in after


def test_extra_fields_such_as_labels_are_ignored() -> None:
    line = json.dumps({"id": 1, "partner": "p", "reply": "r", "labels": {"advice": True}, "source": "x"})
    assert "rubrics" in graded([line])[0]


def test_the_llm_engine_without_a_model_exits_2_with_a_message(capsys: pytest.CaptureFixture[str]) -> None:
    settings = Settings(llm_base_url=None, llm_provider="openai")
    assert run(settings, argparse.Namespace(engine="llm", concurrency=1)) == 2
    assert "TRAINER_LLM_BASE_URL" in capsys.readouterr().err
    with pytest.raises(EngineUnavailable):
        select_grader(settings, "llm")


def test_an_invalid_rubric_file_exits_2_naming_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken = tmp_path / "rubrics.yaml"
    broken.write_text("rubrics: []\ntip_priority: []\n", encoding="utf-8")
    assert run(Settings(rubrics_path=broken), argparse.Namespace(engine="rules", concurrency=1)) == 2
    assert "rubrics.yaml" in capsys.readouterr().err


def test_the_command_grades_through_the_real_coder() -> None:
    lines = [
        {"id": "advice", "partner": "My boss shouted at me in front of everyone.",
         "reply": "You should report him to HR tomorrow."},
        {"id": "reflect", "partner": "I felt so alone while you were away.",
         "reply": "It sounds like you felt really lonely while I was gone. Is that right?"},
        {"id": "leading", "partner": "I'm upset you forgot my birthday.",
         "reply": "Don't you think you're overreacting?"},
        {"id": "blank", "partner": "Hello.", "reply": ""},
    ]
    stdin = "".join(json.dumps(line) + "\n" for line in lines) + "{broken\n"
    done = subprocess.run(
        [sys.executable, "-m", "trainer", "grade", "--engine", "rules"],
        input=stdin, capture_output=True, text=True, cwd=ROOT, check=False, timeout=60,
    )
    assert done.returncode == 0, done.stderr
    out = [json.loads(line) for line in done.stdout.splitlines()]
    assert [o.get("id") for o in out] == ["advice", "reflect", "leading", "blank", None]
    advice, reflect, leading, blank, broken = out
    assert advice["rubrics"]["not_fixing"]["score"] == 1
    assert "advice" in {b["code"] for b in advice["behaviours"]}
    assert reflect["rubrics"]["reflection"]["score"] == 3
    assert reflect["rubrics"]["not_fixing"]["score"] == 3
    assert leading["rubrics"]["open_questions"]["score"] == 0
    assert leading["rubrics"]["validation"]["score"] == 0
    assert blank["error"]["type"] == "invalid_reply"
    assert broken["error"]["type"] == "invalid_json"
    for line, result in zip(lines, out):
        for behaviour in result.get("behaviours", []):
            assert behaviour["evidence"] in line["reply"]


class BrokenCoder:
    def code(self, reply: str, context: GradeContext | None = None) -> Coding:
        raise RuntimeError("boom")


def test_an_unexpected_failure_is_an_error_line_and_the_stream_goes_on(
    capsys: pytest.CaptureFixture[str],
) -> None:
    grader = RulesGrader(load_rubrics(DATA_DIR / "rubrics.yaml"), coder=BrokenCoder())
    out = io.StringIO()
    line = json.dumps({"id": "secret", "partner": "p", "reply": "my private words"})
    grade_stream([line, line], out, grader.grade)
    results = [json.loads(text) for text in out.getvalue().splitlines()]
    assert [r["error"]["type"] for r in results] == ["internal", "internal"]
    assert results[0]["id"] == "secret"
    assert "my private words" not in capsys.readouterr().err


def test_any_json_id_is_echoed_as_given() -> None:
    lines = [json.dumps({"id": value, "partner": "p", "reply": "r"}) for value in (1.5, None, {"n": 1}, [2])]
    assert [out["id"] for out in graded(lines)] == [1.5, None, {"n": 1}, [2]]


def test_odd_text_never_breaks_the_output() -> None:
    stdin = (
        b'{"id": "bytes", "partner": "p", "reply": "caf\xc3\xa9 \xff \xfe"}\n'
        b'{"id": "surrogate", "partner": "p", "reply": "\\ud800 alone"}\n'
    )
    done = subprocess.run(
        [sys.executable, "-m", "trainer", "grade"], input=stdin, capture_output=True, cwd=ROOT,
        check=False, timeout=60, env={"PATH": "/usr/bin:/bin", "LC_ALL": "C", "PYTHONIOENCODING": "ascii"},
    )
    assert done.returncode == 0, done.stderr
    results = [json.loads(line) for line in done.stdout.decode("utf-8").splitlines()]
    assert [r["id"] for r in results] == ["bytes", "surrogate"]
    assert all("rubrics" in r for r in results)


def test_a_reply_the_screen_stops_gets_the_screen_and_no_grade() -> None:
    lines = [
        {"id": "risk", "partner": "I had a long day.", "reply": "honestly i want to kill myself tonight"},
        {"id": "idiom", "partner": "I had a long day.", "reply": "Sounds like the day was killing you."},
    ]
    stdin = "".join(json.dumps(line) + "\n" for line in lines)
    done = subprocess.run(
        [sys.executable, "-m", "trainer", "grade"],
        input=stdin, capture_output=True, text=True, cwd=ROOT, check=False, timeout=60,
    )
    assert done.returncode == 0, done.stderr
    risk, idiom = (json.loads(line) for line in done.stdout.splitlines())
    assert set(risk) == {"id", "screen"}
    assert risk["screen"]["category"] == "self_harm" and risk["screen"]["resources"]
    assert "rubrics" in idiom and "screen" not in idiom
    assert "kill myself" not in done.stderr
