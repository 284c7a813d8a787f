"""``trainer serve --print-address``: the address ``make run`` prints is the one the server uses."""

from __future__ import annotations

import pytest

from trainer.cli import main
from trainer.commands.serve import browse_address


@pytest.mark.parametrize(
    ("host", "port", "address"),
    [
        ("127.0.0.1", 8000, "http://127.0.0.1:8000"),
        ("0.0.0.0", 9000, "http://127.0.0.1:9000"),
        ("::", 8000, "http://127.0.0.1:8000"),
        ("::1", 8001, "http://[::1]:8001"),
        ("trainer.local", 80, "http://trainer.local:80"),
    ],
)
def test_the_address_to_open(host: str, port: int, address: str) -> None:
    assert browse_address(host, port) == address


def test_print_address_follows_the_environment_and_the_flags(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("TRAINER_HOST", "0.0.0.0")
    monkeypatch.setenv("TRAINER_PORT", "8123")
    assert main(["serve", "--print-address"]) == 0
    assert capsys.readouterr().out == "http://127.0.0.1:8123\n"
    assert main(["serve", "--port", "9001", "--host", "127.0.0.2", "--print-address"]) == 0
    assert capsys.readouterr().out == "http://127.0.0.2:9001\n"
