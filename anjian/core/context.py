"""Who is acting, from where, in which request: read by the audit log.

A ContextVar rather than a thread-local so that the same code is correct under
ASGI, in Celery tasks and in management commands (where it stays empty).
"""

from __future__ import annotations

import uuid
from contextvars import ContextVar
from dataclasses import dataclass, field


@dataclass
class RequestContext:
    request_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    ip: str | None = None
    user: object | None = None


_current: ContextVar[RequestContext | None] = ContextVar("anjian_request_context", default=None)


def current() -> RequestContext | None:
    return _current.get()


def activate(ctx: RequestContext):
    return _current.set(ctx)


def deactivate(token) -> None:
    _current.reset(token)
