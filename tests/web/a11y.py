"""Accessibility checks run in the page, in the spirit of axe's core rules (no download needed).

``problems(page)`` returns one sentence per violation found among the visible elements:
- the page has a language, a title and exactly one ``h1``; ids are unique;
- every form control has a label, every link and button a name, every ``role="img"`` and ``<svg>``
  picture an accessible name;
- text contrasts with its background by at least 4.5:1 (3:1 for large text: 24 px, or 18.66 px bold),
  the background being the first opaque one found up the tree (WCAG 2.1, 1.4.3).
"""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page

CHECKS = (Path(__file__).parent / "a11y.js").read_text(encoding="utf-8")


def problems(page: Page) -> list[str]:
    found: list[str] = page.evaluate(CHECKS)
    return found


def assert_accessible(page: Page) -> None:
    found = problems(page)
    assert found == [], "\n".join(found)
