"""Server-rendered pages: Jinja templates (autoescaped) from ``trainer/web/templates``."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from litestar import MediaType, Response

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
STATIC_DIR = Path(__file__).resolve().parent / "static"
STATIC_PATH = "/web-static"


@cache
def environment() -> Environment:
    """Built once per process; it holds only compiled templates."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=select_autoescape(default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["static"] = lambda name: f"{STATIC_PATH}/{name}"
    return env


def page(template: str, status_code: int = 200, **context: Any) -> Response[str]:
    html = environment().get_template(template).render(**context)
    return Response(content=html, status_code=status_code, media_type=MediaType.HTML)
