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
from trainer.safety.model_check import ModelRiskCheck, RiskChecked
from trainer.safety.resources import Help, ResourceBook
from trainer.safety.screen import Screen, load_screen

# The model's safety check (``trainer.safety.model_check``) is asked only when the offline model gives
# risk at least this probability. Measured on 2026-12-04 with the model of 2026-12-03 on the sets
# written after it (so none of them trained it): it asks about 16.5% of the 1,668 ordinary eval
# replies and 91% of the 258 risk replies that screen let through.
ASK_MODEL_FROM = 0.01


@dataclass(frozen=True)
class Safety:
    screen: Screen
    resources: ResourceBook

    @classmethod
    def load(cls, resources_path: Path | None = None, read: bool = True) -> Safety:
        """The packaged screen (with its reader when ``read``) with this deployment's resources file (or
        the international default)."""
        return cls(load_screen(read=read), ResourceBook.load(resources_path))

    def check(self, reply: str, partner: str | None = None, tenant: str | int | None = None) -> Help | None:
        """What the learner should see instead of a grade, or None when the reply is role-play."""
        hit = self.screen.check(reply, partner)
        if hit is None:
            return None
        return self.help_for(hit.category, tenant)

    def unsure(self, reply: str, partner: str | None = None) -> bool:
        """Whether a reply the screen let through is worth the model's check: its learned part sees
        some risk in the learner's own words (``ASK_MODEL_FROM``), or the screen has no such part."""
        return self.screen.risk_probability(reply, partner) >= ASK_MODEL_FROM

    async def ask(self, check: ModelRiskCheck | None, reply: str, partner: str) -> RiskChecked | None:
        """The model's check of a reply this screen let through, when there is a model and the screen
        is unsure of the reply; None otherwise."""
        if check is None or not self.unsure(reply, partner):
            return None
        return await check.check(reply, partner)

    def help_for(self, category: Category, tenant: str | int | None = None) -> Help:
        """What the learner sees for ``category`` (the tenant's resources, else the deployment's)."""
        return self.resources.help_for(category, tenant)
