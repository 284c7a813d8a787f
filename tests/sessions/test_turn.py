"""One turn end to end (trainer.sessions.turn) and ``trainer practice`` driven through a pipe."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from collections.abc import AsyncIterator, Sequence
from pathlib import Path

import pytest

from trainer.content.loader import load_scenario_file
from trainer.content.rubric import load_rubrics
from trainer.content.scenario import Reaction, Scenario, Stage
from trainer.engines import Engines
from trainer.partner.answers import DEEPER_POINT_ID
from trainer.partner.hints import hint
from trainer.partner.state import PartnerState, SessionStatus
from trainer.partner.voice import PartnerCue
from trainer.sessions.turn import TurnResult, context_for, open_session, stream_turn, take_turn
from trainer.settings import DATA_DIR
from trainer.vocabulary.errors import InvalidReply, SessionNotActive
from trainer.vocabulary.grades import Grade, GradeContext
from trainer.vocabulary.messages import Message, Role
from trainer.vocabulary.seams import Judged, Usage

from .playing import answered

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = DATA_DIR / "scenarios" / "never-a-priority.yaml"


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    return load_scenario_file(REFERENCE)


@pytest.fixture(scope="module")
def engines() -> Engines:
    return Engines.offline(load_rubrics(DATA_DIR / "rubrics.yaml"))


def _start(scenario: Scenario) -> tuple[PartnerState, list[Message]]:
    opening = open_session(scenario)
    return opening.state, [Message(role=Role.partner, text=opening.text)]


def test_open_session_starts_sharing_with_the_opening_line(scenario: Scenario) -> None:
    opening = open_session(scenario)
    assert opening.state.stage is Stage.sharing
    assert opening.state.status is SessionStatus.active
    assert opening.text == " ".join(scenario.lines[Reaction.opening][0].split())
    assert open_session(scenario, variant=1).text != opening.text


def test_context_holds_the_missing_points_and_the_deeper_feeling_once_revealed(scenario: Scenario) -> None:
    state, history = _start(scenario)
    context = context_for(scenario, state, history)
    assert context.partner == history[0].text
    assert [p.id for p in context.key_points] == [kp.id for kp in scenario.key_points]
    assert context.feelings == tuple(scenario.feelings)
    later = state.model_copy(
        update={"reflected": ["cancelled-trip"], "revealed": True, "advice_requested": True}
    )
    context = context_for(scenario, later, history)
    ids = [p.id for p in context.key_points]
    assert "cancelled-trip" not in ids
    assert ids[-1] == DEEPER_POINT_ID
    assert context.advice_requested
    assert context.deeper_feeling == "afraid"  # never-a-priority's deeper summary: "Maya is afraid..."
    assert context_for(scenario, state, history).deeper_feeling is None
    # A feeling underneath heard as it was said leaves step 6: the moment graded is the close.
    heard = later.model_copy(update={"stage": Stage.deepening, "deeper_heard": True})
    assert context_for(scenario, heard, history).stage is Stage.closing
    unheard = heard.model_copy(update={"deeper_heard": False})
    assert context_for(scenario, unheard, history).stage is Stage.deepening


async def test_a_turn_grades_moves_the_partner_and_answers(scenario: Scenario, engines: Engines) -> None:
    state, history = _start(scenario)
    reply = hint(scenario, state, history)
    result = await take_turn(engines, scenario, state, history, "  " + reply + "\n")
    assert result.state.stage is Stage.clarifying
    assert result.state.turns == 1
    assert result.status is SessionStatus.active
    assert result.grade.rubrics and result.grade.tip
    assert result.partner_text
    assert result.partner_text in {
        " ".join(line.replace("{missed}", kp.missed).split())
        for line in scenario.lines[Reaction.partial] for kp in scenario.key_points
    }
    assert result.explanation
    assert result.voice_usage.engine == "scripted"
    assert result.judge_usage.engine == "rules"


@pytest.mark.parametrize("reply", ["", "   \n ", "x" * 2001])
async def test_an_empty_or_too_long_reply_is_refused(
    scenario: Scenario, engines: Engines, reply: str
) -> None:
    state, history = _start(scenario)
    with pytest.raises(InvalidReply):
        await take_turn(engines, scenario, state, history, reply)


async def test_a_reply_of_exactly_the_limit_is_taken(scenario: Scenario, engines: Engines) -> None:
    state, history = _start(scenario)
    result = await take_turn(engines, scenario, state, history, ("I hear you. " * 200)[:2000])
    assert result.state.turns == 1


@pytest.mark.parametrize("status", [SessionStatus.completed, SessionStatus.withdrawn])
async def test_a_finished_session_takes_no_reply(
    scenario: Scenario, engines: Engines, status: SessionStatus
) -> None:
    state, history = _start(scenario)
    with pytest.raises(SessionNotActive):
        finished = state.model_copy(update={"status": status})
        await take_turn(engines, scenario, finished, history, "I hear you.")


async def test_stream_turn_yields_words_then_the_same_result_as_take_turn(
    scenario: Scenario, engines: Engines
) -> None:
    state, history = _start(scenario)
    reply = hint(scenario, state, history)
    items = [item async for item in stream_turn(engines, scenario, state, history, reply)]
    *pieces, final = items
    assert isinstance(final, TurnResult)
    assert len(pieces) > 3 and all(isinstance(p, str) for p in pieces)
    assert "".join(str(p) for p in pieces) == final.partner_text
    whole = await take_turn(engines, scenario, state, history, reply)
    assert whole.model_dump() == final.model_dump()


class _Rendezvous:
    """A judge and a voice that each wait for the other to start: only concurrency gets through."""

    def __init__(self) -> None:
        self.judge_started = asyncio.Event()
        self.voice_started = asyncio.Event()

    async def judge(self, reply: str, context: GradeContext, rules_grade: Grade) -> Judged:
        self.judge_started.set()
        await self.voice_started.wait()
        return Judged(grade=rules_grade, usage=Usage(engine="fake-judge"))

    async def speak(
        self, scenario: Scenario, cue: PartnerCue, history: Sequence[Message], usage: Usage
    ) -> AsyncIterator[str]:
        self.voice_started.set()
        await self.judge_started.wait()
        usage.engine = "fake-voice"
        yield cue.reaction.value

    async def say(self, scenario: Scenario, cue: PartnerCue, history: Sequence[Message], usage: Usage) -> str:
        return "".join([piece async for piece in self.speak(scenario, cue, history, usage)])


@pytest.mark.parametrize("streaming", [False, True])
async def test_the_judge_and_the_voice_run_concurrently(
    scenario: Scenario, engines: Engines, streaming: bool
) -> None:
    both = _Rendezvous()
    concurrent = Engines(grader=engines.grader, judge=both, voice=both)
    state, history = _start(scenario)
    async with asyncio.timeout(10):  # a deadlock guard, not a speed check
        if streaming:
            items = [i async for i in stream_turn(concurrent, scenario, state, history, "That makes sense.")]
            result = items[-1]
            assert isinstance(result, TurnResult)
        else:
            result = await take_turn(concurrent, scenario, state, history, "That makes sense.")
    assert result.partner_text == "validated"
    assert (result.judge_usage.engine, result.voice_usage.engine) == ("fake-judge", "fake-voice")


# -- trainer practice through a pipe ---------------------------------------------------------------


def _hinted_replies(scenario: Scenario) -> list[str]:
    """The replies a learner following every hint would type, worked out through the real engines."""
    engines = Engines.offline(load_rubrics(DATA_DIR / "rubrics.yaml"))
    state, history = _start(scenario)
    replies: list[str] = []
    while state.status is SessionStatus.active:
        reply = hint(scenario, state, history)
        result = answered(engines, scenario, state, history, reply)
        replies.append(reply)
        state = result.state
    return replies


def _practice(stdin: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TRAINER_SCENARIOS_DIR": str(DATA_DIR / "scenarios"),
           "TRAINER_RUBRICS_PATH": str(DATA_DIR / "rubrics.yaml"), "TERM": "xterm-256color"}
    return subprocess.run(
        [sys.executable, "-m", "trainer", "practice", *args],
        input=stdin, capture_output=True, text=True, env=env, cwd=ROOT, timeout=120,
    )


def test_a_whole_session_through_a_pipe(scenario: Scenario) -> None:
    replies = _hinted_replies(scenario)
    # A blank line and a hint request on the way must not count as replies.
    stdin = "\n".join(["", "/hint", *replies]) + "\n"
    done = _practice(stdin, "never-a-priority")
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "\x1b[" not in out  # no colour codes in a pipe
    assert "You:" in out and "Choose" not in out
    assert out.count("You: ") == len(replies)
    assert "hint: " in out
    assert "grade: reflection" in out and "safety " in out
    assert "Session report" in out and "Completed" in out
    assert "What went well:" in out and "Practise next:" in out


def test_choosing_a_scenario_by_number_and_ending_at_eof() -> None:
    listing = _practice("")
    assert listing.returncode == 1
    lines = [line.strip() for line in listing.stdout.splitlines()]
    number = next(line.split(".")[0] for line in lines if "(never-a-priority," in line)
    done = _practice(f"{number}\nThat makes sense.\n")
    assert done.returncode == 0, done.stderr
    assert "Never a priority" in done.stdout
    assert "Stopped at the clarifying stage after 1 reply." in done.stdout


def test_quit_and_an_unknown_scenario() -> None:
    quit_early = _practice("/quit\nThat makes sense.\n", "never-a-priority")
    assert quit_early.returncode == 0
    assert "replies: 0" in quit_early.stdout
    unknown = _practice("", "no-such-scenario")
    assert unknown.returncode == 2
    assert "never-a-priority" in unknown.stderr


def test_ctrl_c_prints_the_report_so_far_and_exits_130() -> None:
    env = {**os.environ, "TRAINER_SCENARIOS_DIR": str(DATA_DIR / "scenarios"),
           "TRAINER_RUBRICS_PATH": str(DATA_DIR / "rubrics.yaml")}
    process = subprocess.Popen(
        [sys.executable, "-m", "trainer", "practice", "never-a-priority"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT,
    )
    assert process.stdin is not None and process.stdout is not None
    process.stdin.write("That makes sense.\n")
    process.stdin.flush()
    seen = ""
    while "safety " not in seen:  # the first turn has been answered; now it waits for the next line
        line = process.stdout.readline()
        assert line, process.stderr.read() if process.stderr else ""
        seen += line
    process.send_signal(signal.SIGINT)
    rest, _ = process.communicate(timeout=60)
    assert process.returncode == 130
    assert "Session report" in rest
    assert "replies: 1" in rest


def test_why_shows_the_reason_for_each_score_and_the_grade_shows_only_what_the_moment_called_for() -> None:
    done = _practice(
        "What was the hardest part of it for you?\n/why\nTe sientes sola porque cancelaste el sábado.\n",
        "never-a-priority",
    )
    assert done.returncode == 0
    out = done.stdout
    called = "grade: not fixing 3 · open questions 3 · partner focus 3"
    assert f"{called} (not called for here: reflection, validation)" in out
    assert "why: Open questions 3: Asks an open question that invites the partner to say more." in out
    assert "why: Reflection 0 (not called for at this moment):" in out
    assert "notice: Replies are read in English" in out and "grade: not graded" in out
