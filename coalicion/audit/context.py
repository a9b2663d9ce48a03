"""Where the current request came from, for the audit log.

Actions never see a request (STYLE rule 12): what the audit log wants to
know of it (address, browser, path) is kept here for the duration of the
request by `coalicion.audit.middleware.RequestContextMiddleware`, and read
by `coalicion.audit.actions.record_event`. Outside a request (commands, jobs)
there is no context and those fields stay empty.
"""

import contextvars
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestContext:
    ip_address: str | None
    user_agent: str
    path: str


_current: contextvars.ContextVar[RequestContext | None] = contextvars.ContextVar(
    "coalicion_request_context", default=None
)


def current() -> RequestContext | None:
    return _current.get()


def enter(context: RequestContext) -> contextvars.Token:
    return _current.set(context)


def leave(token: contextvars.Token) -> None:
    _current.reset(token)
