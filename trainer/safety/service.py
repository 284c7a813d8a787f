"""The safety screen as the turn pipeline uses it: a reply in, the ``screen`` object out (or None).

``Safety`` pairs the compiled screen with the deployment's resources. ``check`` runs before any
grading or model call; when it finds something, the caller pauses the role-play, grades nothing and
lets the partner say nothing, and shows the learner ``Help``: the category, a kind message and where
to find help (never an empty list). Nothing here logs the reply.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from trainer.safety.lexicon import Category
from trainer.safety.resources import Help, ResourceBook
from trainer.safety.screen import Screen, default_screen


@dataclass(frozen=True)
class Safety:
    screen: Screen
    resources: ResourceBook

    @classmethod
    def load(cls, resources_path: Path | None = None) -> Safety:
        """The packaged screen with this deployment's resources file (or the international default)."""
        return cls(default_screen(), ResourceBook.load(resources_path))

    def check(self, reply: str, partner: str | None = None, tenant: str | int | None = None) -> Help | None:
        """What the learner should see instead of a grade, or None when the reply is role-play."""
        hit = self.screen.check(reply, partner)
        if hit is None:
            return None
        return self.help_for(hit.category, tenant)

    def help_for(self, category: Category, tenant: str | int | None = None) -> Help:
        """What the learner sees for ``category`` (the tenant's resources, else the deployment's)."""
        return self.resources.help_for(category, tenant)
