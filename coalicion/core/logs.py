"""Structured logs: one JSON object per line, each with the request id.

The request id is kept in a context variable for the duration of a request
(`RequestIdMiddleware`), so that every line written while serving it, the
per-request line and an error's traceback alike, carries it (ADR 0060).
Only named fields are written: never the request object, an address, an
e-mail or a query string.
"""

import contextvars
import datetime
import json
import logging

_request_id: contextvars.ContextVar[str] = contextvars.ContextVar(
    "coalicion_request_id", default=""
)

# Fields a log call may add through `extra=` and that the JSON line keeps.
EXTRA_FIELDS = ("user_id", "method", "path", "status", "duration_ms")


def current_request_id() -> str:
    return _request_id.get()


def enter_request(request_id: str) -> contextvars.Token:
    return _request_id.set(request_id)


def leave_request(token: contextvars.Token) -> None:
    _request_id.reset(token)


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every record (empty outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", ""):
            record.request_id = current_request_id() or "-"
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.datetime.fromtimestamp(record.created, tz=datetime.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "request_id": _request_id_of(record),
            "message": record.getMessage(),
        }
        for field in EXTRA_FIELDS:
            if hasattr(record, field):
                line[field] = getattr(record, field)
        if record.exc_info:
            line["traceback"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


def _request_id_of(record: logging.LogRecord) -> str | None:
    """The record's request id; null outside a request (a job, a command)."""
    request_id = getattr(record, "request_id", "") or current_request_id()
    return request_id if request_id and request_id != "-" else None
