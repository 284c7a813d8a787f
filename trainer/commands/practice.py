"""``trainer practice [SCENARIO]``: practise listening in the terminal, offline.

Each reply is graded (a score per rubric and one tip), the partner answers, and a safety meter shows
how safe the partner feels. ``/hint`` suggests a reply, ``/retry`` takes the last reply back (the
partner exactly as before it) to try it again, also once the partner has left; ``/quit`` stops; the
session ends with a report, which counts every try.
Works in a pipe too: with stdin not a terminal there are no prompts and no colours, one
reply per line, and the end of input ends the session. Ctrl-C prints the report so far (exit 130).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Callable
from dataclasses import dataclass, field

from rich.console import Console
from rich.markup import escape

from trainer.content.library import ContentLibrary
from trainer.content.rubric import RubricSet
from trainer.content.scenario import Scenario
from trainer.engines import Engines
from trainer.partner.hints import hint
from trainer.partner.state import PartnerState, SessionStatus
from trainer.safety.resources import Help
from trainer.safety.service import Safety
from trainer.sessions.feedback import ending_line, feedback, view
from trainer.sessions.feedback import report_lines as report_text
from trainer.sessions.schemas import PULLED_BACK
from trainer.sessions.turn import TurnResult, open_session, take_turn
from trainer.settings import Settings
from trainer.vocabulary.errors import ContentError, InvalidReply, NotFound
from trainer.vocabulary.grades import RubricName
from trainer.vocabulary.messages import Message, Role

METER_WIDTH = 20
HELP = (
    "Type your reply and press Enter. /hint suggests a reply, /why shows the reason for each score of "
    "your last reply, /retry tries your last reply again, /quit (or /end) ends the session."
)
RETRY_TIP = "Try that reply again? Type /retry."
QUIT = frozenset({"/quit", "/end", "/exit"})
COMMANDS = QUIT | {"/hint", "/why", "/retry"}
PAUSED = "The role-play is paused. Type /resume to carry on when you are ready, or /quit to end it."


@dataclass
class Session:
    scenario: Scenario
    state: PartnerState
    history: list[Message]
    turns: list[TurnResult] = field(default_factory=list)
    replies: list[str] = field(default_factory=list)
    hints_asked: int = 0
    # Per live reply, the partner's state before it: /retry goes back to the last one.
    before: list[PartnerState] = field(default_factory=list)
    retried: int = 0


def report_lines(rubrics: RubricSet, session: Session) -> list[str]:
    """The end report: each rubric over the replies where the moment called for it, what went well,
    what hurt (with an example), repairs, and one thing to practise next."""
    name = session.scenario.partner.name
    if not session.turns:
        return [
            ending_line(name, session.state),
            "replies: 0",
            "Nothing yet: no replies were graded.",
            "Practise next: start with a reflection: say back what happened and how it felt, "
            "in your own words.",
        ]
    views = [view(reply, turn.grade) for reply, turn in zip(session.replies, session.turns, strict=True)]
    titles = {rubric.name: rubric.title for rubric in rubrics}
    summary = feedback(views, titles, rubrics.tip_priority)
    return report_text(summary, rubrics, ending_line(name, session.state), len(views), session.retried)


class Terminal:
    """Input and output: prompts and colours on a terminal, plain lines in a pipe."""

    def __init__(self, interactive: bool, read_line: Callable[[], str]) -> None:
        self.interactive = interactive
        self.console = Console(highlight=False, no_color=not interactive, force_terminal=interactive or None)
        self._read_line = read_line

    def show(self, text: str = "", style: str | None = None) -> None:
        self.console.print(text, style=style if self.interactive else None, soft_wrap=not self.interactive)

    def ask(self, prompt: str) -> str | None:
        """One line from the learner, stripped; ``None`` at the end of input."""
        if self.interactive:
            try:
                return self.console.input(f"[bold]{prompt}[/] ").strip()
            except EOFError:
                return None
        line = self._read_line()
        return None if line == "" else line.strip()


def _pick(terminal: Terminal, library: ContentLibrary, wanted: str | None) -> Scenario | None:
    if wanted is not None:
        return library.scenario(wanted)
    ordered = list(library.scenarios.values())
    terminal.show("Scenarios:", "bold")
    for number, scenario in enumerate(ordered, start=1):
        details = f"{scenario.id}, difficulty {scenario.difficulty}"
        terminal.show(f"  {number}. {escape(scenario.title)} ({details})")
    while True:
        answer = terminal.ask(f"Choose 1-{len(ordered)}:")
        if answer is None:
            return None
        if answer.isdigit() and 1 <= int(answer) <= len(ordered):
            return ordered[int(answer) - 1]
        if answer in library.scenarios:
            return library.scenarios[answer]
        if answer:
            terminal.show(f"No scenario {escape(answer)!r}; give a number from the list.", "yellow")


def _meter(state: PartnerState, change: int) -> str:
    filled = round(state.safety / 100 * METER_WIDTH)
    bar = "█" * filled + "░" * (METER_WIDTH - filled)
    delta = f" ({change:+d})" if change else ""
    return f"safety {bar} {state.safety}{delta} · stage {state.stage.value}"


def grade_line(rubrics: RubricSet, result: TurnResult) -> str:
    """The scores the moment called for; the others are named as not called for, without a number."""
    grade = result.grade
    if grade.notice is not None:
        return "grade: not graded (the reply could not be read)"
    called = [n for n in RubricName if grade.rubrics[n].applicable]
    rest = [rubrics.get(n).title.lower() for n in RubricName if not grade.rubrics[n].applicable]
    scores = " · ".join(f"{rubrics.get(n).title.lower()} {grade.rubrics[n].score}" for n in called)
    return f"grade: {scores}" + (f" (not called for here: {', '.join(rest)})" if rest else "")


def why_lines(rubrics: RubricSet, result: TurnResult) -> list[str]:
    """The reason for each score of a reply, with the words it rests on (``/why``)."""
    lines = []
    for name in RubricName:
        score = result.grade.rubrics[name]
        called = "" if score.applicable else " (not called for at this moment)"
        quoted = f' "{score.evidence}"' if score.evidence else ""
        lines.append(f"{rubrics.get(name).title} {score.score}{called}: {score.reason}{quoted}")
    return lines


def _show_turn(terminal: Terminal, rubrics: RubricSet, scenario: Scenario, result: TurnResult) -> None:
    terminal.show(f"{escape(scenario.partner.name)}: {escape(result.partner_text)}", "bold cyan")
    if result.grade.notice is not None:
        terminal.show(f"  notice: {escape(result.grade.notice)}", "yellow")
    terminal.show(f"  {escape(grade_line(rubrics, result))}", "dim")
    terminal.show(f"  tip: {escape(result.grade.tip)}", "dim")
    terminal.show(f"  {_meter(result.state, result.safety_change)}", "dim")
    if result.notice:
        terminal.show(f"  note: {escape(result.notice)}", "bold yellow")
    if result.state.last_reaction in PULLED_BACK:
        terminal.show(f"  {RETRY_TIP}", "green")


def _retry(terminal: Terminal, session: Session) -> bool:
    """Take the last live reply back: the partner's state exactly as it was before it. The turn
    stays in ``session.turns`` (the report counts every try). False when there is none."""
    if not session.before:
        return False
    session.state = session.before.pop()
    session.history = session.history[:-2]
    session.retried += 1
    session.hints_asked = 0
    scenario = session.scenario
    terminal.show("  Back to before your last reply. Try it again.", "green")
    terminal.show(f"{escape(scenario.partner.name)}: {escape(session.history[-1].text)}", "bold cyan")
    terminal.show(f"  {_meter(session.state, 0)}", "dim")
    return True


def _show_screen(terminal: Terminal, screen: Help) -> None:
    """The safety screen's message and where to find help, plainly and before anything else."""
    terminal.show()
    terminal.show(escape(screen.message), "bold")
    for resource in screen.resources:
        terminal.show(f"  - {escape(resource.name)}: {escape(resource.contact)}")
    terminal.show()
    terminal.show(PAUSED, "dim")


def _paused(terminal: Terminal, session: Session) -> bool:
    """Wait while the role-play is paused: True once the learner resumes, False when they end."""
    while True:
        answer = terminal.ask("Paused:")
        if answer is None or answer == "/quit":
            return False
        if answer == "/resume":
            session.state = session.state.model_copy(update={"status": SessionStatus.active})
            terminal.show("Carrying on with the role-play.", "dim")
            return True
        terminal.show(PAUSED, "dim")


def _show_report(terminal: Terminal, rubrics: RubricSet, session: Session) -> None:
    terminal.show()
    terminal.show("Session report", "bold")
    for line in report_lines(rubrics, session):
        terminal.show(f"  {escape(line)}")


def _converse(terminal: Terminal, engines: Engines, rubrics: RubricSet, session: Session) -> None:
    scenario = session.scenario
    while True:
        if session.state.status is not SessionStatus.active:
            # The partner left or the talk closed: one more chance to take the last reply back.
            again = "/retry to try your last reply again, Enter to finish:"
            if not session.before or terminal.ask(again) != "/retry":
                return
            _retry(terminal, session)
            continue
        reply = terminal.ask("You:")
        if reply is None:
            return
        if not reply:
            if terminal.interactive:
                terminal.show(HELP, "dim")
            continue
        if reply in QUIT:
            return
        if reply.startswith("/") and reply.split()[0] not in COMMANDS:
            # A mistyped command is not a reply to the partner: it is never graded or answered.
            terminal.show(f"No command {escape(reply.split()[0])}. {HELP}", "yellow")
            continue
        if reply == "/why":
            if not session.turns:
                terminal.show("  No reply graded yet.", "dim")
            for line in why_lines(rubrics, session.turns[-1]) if session.turns else []:
                terminal.show(f"  why: {escape(line)}", "dim")
            continue
        if reply == "/retry":
            if not _retry(terminal, session):
                terminal.show("Nothing to try again yet: send a reply first.", "yellow")
            continue
        if reply == "/hint":
            suggestion = hint(scenario, session.state, session.history, attempt=session.hints_asked)
            session.hints_asked += 1
            terminal.show(f"  hint: {escape(suggestion)}", "green")
            continue
        if not terminal.interactive:
            terminal.show(f"You: {escape(reply)}")
        try:
            result = asyncio.run(take_turn(engines, scenario, session.state, session.history, reply))
        except InvalidReply as error:
            terminal.show(escape(error.detail), "yellow")
            continue
        if result.screen is not None:  # not graded, not answered, not part of the conversation
            _show_screen(terminal, result.screen)
            if not _paused(terminal, session):
                return
            continue
        session.history += [
            Message(role=Role.learner, text=reply), Message(role=Role.partner, text=result.partner_text)
        ]
        session.before.append(session.state.model_copy(deep=True))
        session.state = result.state
        session.turns.append(result)
        session.replies.append(reply)
        session.hints_asked = 0
        _show_turn(terminal, rubrics, scenario, result)


def run(settings: Settings, args: argparse.Namespace) -> int:
    interactive = sys.stdin.isatty() and sys.stdout.isatty()
    terminal = Terminal(interactive, sys.stdin.readline)
    if getattr(args, "engine", "rules") != "rules":
        print("trainer practice runs offline; using the rules engine.", file=sys.stderr)
    try:
        library = ContentLibrary.load(settings)
    except ContentError as error:
        print(f"error: {error.detail}", file=sys.stderr)
        return 2
    try:
        scenario = _pick(terminal, library, args.scenario)
    except NotFound as error:
        print(f"error: {error.detail}; the scenarios are: {', '.join(library.scenarios)}", file=sys.stderr)
        return 2
    if scenario is None:
        print("No scenario chosen.", file=sys.stderr)
        return 1
    safety = Safety.load(settings.safety_resources_path, settings.screen_reader)
    engines = Engines.offline(library.rubrics, safety)
    return practise(terminal, engines, library.rubrics, scenario)


def practise(terminal: Terminal, engines: Engines, rubrics: RubricSet, scenario: Scenario) -> int:
    opening = open_session(scenario)
    session = Session(scenario, opening.state, [Message(role=Role.partner, text=opening.text)])
    terminal.show(escape(scenario.title), "bold")
    terminal.show(escape(scenario.learner_role), "italic")
    if terminal.interactive:
        terminal.show(HELP, "dim")
    terminal.show()
    terminal.show(f"{escape(scenario.partner.name)}: {escape(opening.text)}", "bold cyan")
    try:
        _converse(terminal, engines, rubrics, session)
    except KeyboardInterrupt:
        _show_report(terminal, rubrics, session)
        return 130
    _show_report(terminal, rubrics, session)
    return 0
