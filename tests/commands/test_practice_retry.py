"""``/retry`` in ``trainer practice``: the last reply is taken back with the partner's state exactly
as it was before it, also once the partner has left; through a pipe as well."""

from __future__ import annotations

from collections.abc import Iterator

from tests.sessions.test_turn import _hinted_replies, _practice
from trainer.commands.practice import Session, Terminal, _converse
from trainer.content.loader import load_scenario_file
from trainer.content.rubric import load_rubrics
from trainer.engines import Engines
from trainer.partner.state import SessionStatus
from trainer.sessions.turn import open_session
from trainer.settings import DATA_DIR
from trainer.vocabulary.messages import Message, Role

HOSTILE = "Honestly you are overreacting, just get over it."
SCENARIO = "never-a-priority"


def _lines(*lines: str) -> Iterator[str]:
    yield from (f"{line}\n" for line in lines)
    while True:
        yield ""  # the end of input


def _session() -> Session:
    scenario = load_scenario_file(DATA_DIR / "scenarios" / f"{SCENARIO}.yaml")
    opening = open_session(scenario)
    return Session(scenario, opening.state, [Message(role=Role.partner, text=opening.text)])


def _run(session: Session, *lines: str) -> None:
    rubrics = load_rubrics(DATA_DIR / "rubrics.yaml")
    feed = _lines(*lines)
    _converse(Terminal(False, lambda: next(feed)), Engines.offline(rubrics), rubrics, session)


def test_retry_restores_the_state_before_the_last_reply_exactly() -> None:
    session = _session()
    start, history = session.state.model_copy(deep=True), list(session.history)
    _run(session, "So it hurt that you were not asked?", HOSTILE, "/retry")
    assert len(session.turns) == 2 and session.retried == 1  # both tries count
    assert len(session.history) == 3 and HOSTILE not in [m.text for m in session.history]
    after_first = session.state
    assert after_first != start and after_first.turns == 1
    _run(session, "/retry", "/retry")  # back to the opening; then there is nothing left to take back
    assert session.state == start and session.history == history and session.retried == 2


def test_retry_after_the_partner_withdrew_brings_the_partner_back() -> None:
    session = _session()
    for _ in range(10):
        before = session.state.model_copy(deep=True)
        _run(session, HOSTILE)
        if session.state.status is not SessionStatus.active:
            break
    assert session.state.status is not SessionStatus.active
    _run(session, "/retry")
    restored = session.state
    assert restored == before and restored.status is SessionStatus.active


def test_retry_through_a_pipe() -> None:
    scenario = load_scenario_file(DATA_DIR / "scenarios" / f"{SCENARIO}.yaml")
    stdin = "\n".join(["/retry", HOSTILE, "/retry", *_hinted_replies(scenario)]) + "\n"
    done = _practice(stdin, SCENARIO)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "Nothing to try again yet" in out
    assert "Try that reply again? Type /retry." in out
    assert "Back to before your last reply" in out
    assert "Completed" in out and "(1 tried again)" in out


def test_a_mistyped_command_is_not_graded_and_end_ends() -> None:
    # Seen in hand practice: "/end" was sent to the partner as a reply and graded.
    session = _session()
    _run(session, "/ned", "/end", "This line comes after the end and is never read.")
    assert session.turns == []
    assert session.replies == []
