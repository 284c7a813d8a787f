"""``python -m trainer.evals.stamp``: fill in the request hashes of hand-written fixture answers.

Runs the replay engine over every suite; each answer whose ``request_hash`` is empty takes the hash
of the request it answered. A hash that is set is never changed: a prompt change still fails replay
until someone reviews the answer and clears its hash on purpose.
"""

from __future__ import annotations

import asyncio

from trainer.evals.eval_engines import EngineName
from trainer.evals.fixtures import fixture_path, load_fixture_file, save_fixture_file
from trainer.evals.runner import EVALS_DIR, SUITES, RunOptions, run
from trainer.settings import Settings

# Named fixture sets besides the recorded ones: (suite, set name).
VARIANTS: tuple[tuple[str, str], ...] = (("adversarial", "fooled"),)


def stamp(settings: Settings) -> int:
    for suite in SUITES:
        _stamp(settings, RunOptions(engine=EngineName.replay, stamp=True, suites=(suite,)), suite, "")
    for suite, variant in VARIANTS:
        options = RunOptions(engine=EngineName.replay, stamp=True, suites=(suite,), fixtures=variant)
        _stamp(settings, options, suite, variant)
    return 0


def _stamp(settings: Settings, options: RunOptions, suite: str, variant: str) -> None:
    result = asyncio.run(run(settings, options))
    hashes = {(e.key, e.role, e.order): e.request_hash for e in result.stamped}
    path = fixture_path(EVALS_DIR / "fixtures", suite, variant)
    data = load_fixture_file(path)
    changed = 0
    for call in data.calls:
        new = hashes.get((call.key, call.role, call.order))
        if new and not call.request_hash:
            call.request_hash = new
            changed += 1
    if changed:
        save_fixture_file(path, data)
    print(f"{path}: stamped {changed} answer(s)")


if __name__ == "__main__":
    raise SystemExit(stamp(Settings()))
