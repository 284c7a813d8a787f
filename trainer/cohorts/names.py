"""Names that tell a room's learners apart: two learners who both join as "Noor" show as "Noor"
and "Noor (2)".

The first to join keeps the name as typed; each later learner with the same name (compared without
case and extra spaces) gets the next free number in brackets. The learner sees the same name on
their own page, so when the facilitator says "Noor (2)" both know who is meant. Numbers follow the
order of joining (member ids), so a name never changes while the people in the room stay the same.
"""

from __future__ import annotations

from collections.abc import Iterable


def name_key(name: str) -> str:
    """What makes two display names the same name: case and spacing do not count."""
    return " ".join(name.split()).casefold()


def shown_names(members: Iterable[tuple[int, str]]) -> dict[int, str]:
    """``(member_id, display_name)`` pairs -> the name to show for each member id."""
    ordered = sorted(members)
    taken = {name_key(name) for _, name in ordered}
    seen: set[str] = set()
    shown: dict[int, str] = {}
    for member_id, name in ordered:
        key = name_key(name)
        if key not in seen:
            seen.add(key)
            shown[member_id] = name
            continue
        number = 2
        while name_key(f"{name} ({number})") in taken:
            number += 1
        label = f"{name} ({number})"
        taken.add(name_key(label))
        shown[member_id] = label
    return shown
