"""A cohort's progress as CSV, for a facilitator's spreadsheet: one row per learner and skill.

The rows carry what the board shows (the learner's name as shown, their state, conversations,
replies, and each skill's recent average beside the room's), never the text of a reply or of a
partner line: a transcript stays on the board, and only for learners who shared it.

Names are typed by learners, so every text cell is made safe for spreadsheets: a cell that starts
with ``=``, ``+``, ``-``, ``@`` (or a tab or carriage return) is read by Excel, LibreOffice and
Sheets as a formula, so it gets a leading apostrophe and is shown as the text it is.
"""

from __future__ import annotations

import csv
import io

from trainer.cohorts.service import CohortProgress
from trainer.vocabulary.grades import RubricName

MEDIA_TYPE = "text/csv; charset=utf-8"
COLUMNS = (
    "cohort",
    "learner",
    "learner_id",
    "state",
    "conversations_started",
    "conversations_completed",
    "latest_scenario",
    "replies_in_latest",
    "skill",
    "recent_average",
    "room_average",
    "shares_transcript",
    "last_active",
)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    """The cell's text, with an apostrophe in front when a spreadsheet would run it as a formula."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}"


def progress_rows(progress: CohortProgress) -> list[list[str]]:
    """The header, then a row per learner and skill (skills in the rubrics' order)."""
    room = {skill.rubric: skill.mean for skill in progress.room}
    rows = [list(COLUMNS)]
    for learner in progress.learners:
        for skill in RubricName:
            cells: list[object] = [
                progress.name,
                learner.shown_as,
                learner.learner_id,
                learner.state.value,
                learner.sessions_started,
                learner.sessions_completed,
                learner.scenario_id,
                learner.turns,
                skill.value,
                _number(learner.averages.get(skill)),
                _number(room.get(skill)),
                "yes" if learner.shares_transcript else "no",
                learner.last_active.isoformat() if learner.last_active else None,
            ]
            rows.append([safe_cell(cell) for cell in cells])
    return rows


def progress_csv(progress: CohortProgress) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(progress_rows(progress))
    return out.getvalue()


def csv_filename(progress: CohortProgress) -> str:
    return f"cohort-{progress.cohort_id}-progress.csv"

