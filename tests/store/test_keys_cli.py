"""``trainer keys`` and ``trainer db``, driven through the real command line."""

from __future__ import annotations

from pathlib import Path

import pytest

from trainer.cli import main
from trainer.store.migrate import head_revision


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "var" / "cli.db"
    monkeypatch.setenv("TRAINER_DATABASE_URL", f"sqlite:///{path}")
    return path


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, list[str], str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out.strip().splitlines(), captured.err


def test_db_upgrade_then_current_reports_head(database: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "db", "current")
    assert code == 1 and "not migrated" in out[-1]

    code, out, _ = _run(capsys, "db", "upgrade")
    assert code == 0 and database.exists()
    code, out, _ = _run(capsys, "db", "current")
    assert code == 0 and out[-1] == f"{head_revision()} (head)"


def test_keys_create_list_revoke(database: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _run(capsys, "db", "upgrade")

    code, out, _ = _run(
        capsys, "keys", "create", "--name", "coach", "--role", "facilitator", "--tenant", "ws"
    )
    assert code == 0
    token = out[-1]
    scheme, prefix, secret = token.split("_", 2)
    assert scheme == "trn" and len(prefix) == 8 and secret
    assert all(token not in line for line in out[:-1])

    code, out, _ = _run(capsys, "keys", "list")
    row = next(line for line in out if line.startswith(prefix))
    assert row.split()[1:4] == ["coach", "facilitator", "ws"] and row.endswith(" -")
    assert all(secret not in line for line in out)

    code, out, _ = _run(capsys, "keys", "revoke", prefix)
    assert code == 0 and prefix in out[0]
    assert "within 10 s" in out[-1]  # running servers trust a checked key for a while
    code, out, _ = _run(capsys, "keys", "list")
    row = next(line for line in out if line.startswith(prefix))
    assert not row.endswith(" -")


def test_revoking_an_unknown_key_fails_with_a_message(
    database: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _run(capsys, "db", "upgrade")
    code, _, err = _run(capsys, "keys", "revoke", "deadbeef")
    assert code == 1 and "no key with prefix 'deadbeef'" in err


def test_each_created_key_is_new(database: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _run(capsys, "db", "upgrade")
    tokens = {_run(capsys, "keys", "create", "--name", "app")[1][-1] for _ in range(3)}
    assert len(tokens) == 3
