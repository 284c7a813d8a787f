"""The browser side: the front door (``/``), the learner's practice page (``/practice``) and the
facilitator's board (``/workshop``), server-rendered HTML with a little plain JavaScript, static files under
``/web-static``. ``WEB_ROUTE_HANDLERS`` go on the app next to ``/v1``; ``web_security_headers`` is
its ``before_send`` hook.
"""

from __future__ import annotations

from typing import Any

from litestar.static_files import create_static_files_router

from trainer.web.front import front_door
from trainer.web.practice_page import PracticeApi, PracticePage
from trainer.web.render import STATIC_DIR, STATIC_PATH
from trainer.web.security import web_security_headers
from trainer.web.workshop_page import WorkshopApi, WorkshopPages

WEB_ROUTE_HANDLERS: list[Any] = [
    front_door,
    PracticePage,
    PracticeApi,
    WorkshopPages,
    WorkshopApi,
    create_static_files_router(path=STATIC_PATH, directories=[STATIC_DIR], include_in_schema=False),
]

__all__ = ["WEB_ROUTE_HANDLERS", "web_security_headers"]
