"""The kinds of e-mail the apps send, each registered once by the app that
owns it, in a module named `notices.py` (found by `discover`):

    # coalicion/meetings/notices.py
    from coalicion.notifications.kinds import Kind, register

    register(Kind(
        name="meetings.agenda_approved",
        label=_("Agenda approved"),
        optional=True,
        build=lambda notification: Message(subject=..., body=..., attachments=[...]),
    ))

`build` runs when the e-mail is sent, in the recipient's language (the
sender has activated it), from the notification's `params`; it returns None
when what the e-mail was about no longer exists (nothing is sent). A kind
whose text cannot be built again (a one-time link) is queued with its text
(`actions.notify(..., content=...)`) and has no `build`.

Daily producers (`register_daily`) queue what depends on the date
(reminders); `manage.py send_notifications` runs them, then sends.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from coalicion.core.discovery import app_modules


@dataclass(frozen=True)
class Message:
    subject: str
    body: str
    # (file name, content, content type)
    attachments: list[tuple[str, str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class Kind:
    name: str
    label: object  # a lazy translation, for the person's preferences
    optional: bool = False  # may the person switch it off
    build: Callable | None = None


_KINDS: dict[str, Kind] = {}
_DAILY: dict[str, Callable[[datetime.date], int]] = {}


def register(kind: Kind) -> Kind:
    if kind.name in _KINDS and _KINDS[kind.name] != kind:
        raise ValueError(f"The notification kind {kind.name!r} is registered twice.")
    _KINDS[kind.name] = kind
    return kind


def get(name: str) -> Kind:
    try:
        return _KINDS[name]
    except KeyError:
        raise LookupError(f"No notification kind {name!r} is registered.") from None


def optional_kinds() -> list[Kind]:
    return [kind for kind in _KINDS.values() if kind.optional]


def register_daily(name: str, producer: Callable[[datetime.date], int]) -> None:
    """`producer(today)` queues what is due that day and returns how many."""
    _DAILY[name] = producer


def daily_producers() -> dict[str, Callable[[datetime.date], int]]:
    return dict(_DAILY)


def discover() -> None:
    app_modules("notices")
