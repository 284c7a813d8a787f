"""The ``trainer`` command line: serve | practice | grade | eval | scenarios | keys | db | llm.

Each command lives in ``trainer.commands.<name>`` with a ``run(settings, args) -> int``; this module
only parses arguments (the public contract) and dispatches, importing the command lazily so that
``trainer grade`` does not pay for the web framework's import.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from trainer import __version__


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="trainer", description="Practise listening to a partner.")
    parser.add_argument("--version", action="version", version=f"trainer {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    serve = commands.add_parser("serve", help="run the HTTP API")
    serve.add_argument("--host", default=None, help="default: TRAINER_HOST or 127.0.0.1")
    serve.add_argument("--port", type=int, default=None, help="default: TRAINER_PORT or 8000")
    serve.add_argument("--workers", type=int, default=1)
    serve.add_argument(
        "--print-address", action="store_true", help="print the address it would serve, and exit"
    )

    practice = commands.add_parser("practice", help="practise in the terminal (no key, no network)")
    practice.add_argument("scenario", nargs="?", help="scenario id; asks when omitted")
    practice.add_argument("--engine", choices=["rules", "llm"], default="rules")

    grade = commands.add_parser("grade", help="grade JSONL replies from stdin to stdout")
    grade.add_argument("--engine", choices=["rules", "llm"], default="rules")
    grade.add_argument("--concurrency", type=int, default=8, help="model calls in flight (llm engine)")

    evals = commands.add_parser("eval", help="run the offline eval suite")
    evals.add_argument("--engine", choices=["rules", "replay", "live"], default=None)
    evals.add_argument("--suite", action="append", default=None, help="run only this suite (repeatable)")
    evals.add_argument("--concurrency", type=int, default=8)
    evals.add_argument("--repeat", type=int, default=1)
    evals.add_argument("--record", action="store_true", help="record fixtures from a live model")
    evals.add_argument(
        "--fixtures", default="", help="replay a named fixture set (<suite>-NAME.yaml), e.g. fooled"
    )
    evals.add_argument("--report", default="reports", help="folder for the JSON and HTML reports")
    evals.add_argument("--thresholds", default=None, help="thresholds file (default evals/thresholds.yaml)")
    evals.add_argument("--compare", nargs=2, metavar=("A.json", "B.json"), default=None)

    scenarios = commands.add_parser("scenarios", help="list or validate scenario files")
    scenarios_sub = scenarios.add_subparsers(dest="action", required=True)
    scenarios_sub.add_parser("list")
    validate = scenarios_sub.add_parser("validate")
    validate.add_argument("paths", nargs="*", help="files to validate (default: the scenarios folder)")
    validate.add_argument(
        "--converse",
        action="store_true",
        help="also run whole conversations: hints must complete it, hostility must make the partner withdraw",
    )
    schema = scenarios_sub.add_parser("schema", help="write JSON Schemas for editors")
    schema.add_argument("--out", default=None, help="folder to write to (default: schemas/)")

    keys = commands.add_parser("keys", help="manage API keys")
    keys_sub = keys.add_subparsers(dest="action", required=True)
    create = keys_sub.add_parser("create")
    create.add_argument("--name", required=True)
    create.add_argument("--role", choices=["app", "facilitator", "admin"], default="app")
    create.add_argument("--tenant", default=None, help="tenant name (default: the key's name)")
    keys_sub.add_parser("list")
    revoke = keys_sub.add_parser("revoke")
    revoke.add_argument("prefix")

    db = commands.add_parser("db", help="database schema")
    db_sub = db.add_subparsers(dest="action", required=True)
    db_sub.add_parser("upgrade")
    db_sub.add_parser("current")

    llm = commands.add_parser("llm", help="the configured model provider")
    llm_sub = llm.add_subparsers(dest="action", required=True)
    llm_sub.add_parser("check", help="ask each configured model one small question; say what is wrong")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from trainer.settings import Settings

    settings = Settings()
    module = importlib.import_module(f"trainer.commands.{args.command}")
    try:
        code: int = module.run(settings, args)
    except KeyboardInterrupt:
        print(file=sys.stderr)
        return 130
    return code


if __name__ == "__main__":
    raise SystemExit(main())
