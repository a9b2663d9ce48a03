"""iCalendar (RFC 5545) files for the calendar of events: feeds and e-mailed invitations.

Written by hand, without a dependency: the part of the format needed here is small. Content
lines end in CRLF and are folded at 75 octets without splitting a UTF-8 character; TEXT values
are escaped; times are written in UTC with a trailing ``Z``.

``method`` follows RFC 5546: ``PUBLISH`` for a feed, ``REQUEST`` for an invitation sent by
e-mail (which needs an organizer), ``CANCEL`` to withdraw one (with ``status="CANCELLED"`` and a
higher ``sequence``).
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings

from coalicion.core.i18n import localized

PRODID = "-//Coalición Regional//Coalición//ES"
STATUSES = frozenset({"TENTATIVE", "CONFIRMED", "CANCELLED"})
METHODS = frozenset(
    {"PUBLISH", "REQUEST", "REPLY", "ADD", "CANCEL", "REFRESH", "COUNTER", "DECLINECOUNTER"}
)
MAX_LINE_OCTETS = 75

# Control characters other than HTAB may not appear in a TEXT value (RFC 5545 §3.3.11).
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")
_UNSAFE_URI = re.compile(r"[\x00-\x20\x7f\"<>\\^`{|}]")


@dataclass(frozen=True)
class CalendarEvent:
    uid: str
    start: datetime
    end: datetime
    summary: str
    description: str = ""
    location: str = ""
    url: str = ""
    status: str = "CONFIRMED"  # or CANCELLED / TENTATIVE
    sequence: int = 0
    last_modified: datetime | None = None
    organizer_name: str = ""
    organizer_email: str = ""

    def __post_init__(self) -> None:
        for label, value in (
            ("start", self.start),
            ("end", self.end),
            ("last_modified", self.last_modified),
        ):
            if value is not None and value.utcoffset() is None:
                raise ValueError(f"CalendarEvent.{label} must be an aware datetime: {value!r}")
        if self.end < self.start:
            raise ValueError(f"CalendarEvent {self.uid!r} ends before it starts")
        if self.status not in STATUSES:
            raise ValueError(f"Unknown CalendarEvent status {self.status!r}")
        if self.sequence < 0:
            raise ValueError("CalendarEvent.sequence cannot be negative")
        if not self.uid.strip():
            raise ValueError("CalendarEvent.uid cannot be empty")
        for label, value in (("url", self.url), ("organizer_email", self.organizer_email)):
            if _UNSAFE_URI.search(value):
                raise ValueError(f"CalendarEvent.{label} contains characters not allowed")


def build_calendar(
    events: Iterable[CalendarEvent],
    *,
    name: str,
    method: str | None = None,
    now: datetime | None = None,
) -> str:
    """The VCALENDAR text for ``events``, CRLF line endings, folded, ready to serve or attach.

    ``now`` is the DTSTAMP of every event (when the file was made); the current time by
    default.
    """
    if method is not None and method not in METHODS:
        raise ValueError(f"Unknown iCalendar method {method!r}")
    stamp = now if now is not None else datetime.now(UTC)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:" + escape_text(PRODID),
        "CALSCALE:GREGORIAN",
    ]
    if method is not None:
        lines.append("METHOD:" + method)
    lines.append("X-WR-CALNAME:" + escape_text(name))
    for event in events:
        lines.extend(_event_lines(event, stamp))
    lines.append("END:VCALENDAR")
    return "".join(fold_line(line) + "\r\n" for line in lines)


def _event_lines(event: CalendarEvent, stamp: datetime) -> list[str]:
    lines = [
        "BEGIN:VEVENT",
        "UID:" + escape_text(event.uid),
        "DTSTAMP:" + format_utc(stamp),
        "DTSTART:" + format_utc(event.start),
    ]
    # Without DTEND an event with a start time ends when it starts (RFC 5545 §3.6.1);
    # DTEND equal to DTSTART is not allowed.
    if event.end > event.start:
        lines.append("DTEND:" + format_utc(event.end))
    lines.append("SUMMARY:" + escape_text(event.summary))
    if event.description:
        lines.append("DESCRIPTION:" + escape_text(event.description))
    if event.location:
        lines.append("LOCATION:" + escape_text(event.location))
    if event.url:
        lines.append("URL:" + event.url)
    lines.append("STATUS:" + event.status)
    lines.append(f"SEQUENCE:{event.sequence}")
    if event.last_modified is not None:
        lines.append("LAST-MODIFIED:" + format_utc(event.last_modified))
    if event.organizer_email:
        organizer = "ORGANIZER"
        if event.organizer_name:
            organizer += ";CN=" + _quote_param(event.organizer_name)
        lines.append(organizer + ":mailto:" + event.organizer_email)
    lines.append("END:VEVENT")
    return lines


def format_utc(moment: datetime) -> str:
    """An aware datetime as an RFC 5545 UTC DATE-TIME: ``20260310T150000Z``."""
    if moment.utcoffset() is None:
        raise ValueError(f"Not an aware datetime: {moment!r}")
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def escape_text(value: str) -> str:
    """A TEXT value escaped: backslash, semicolon, comma; any line break becomes ``\\n``."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    value = value.replace("\n", "\\n")
    return _CONTROL.sub("", value)


def _quote_param(value: str) -> str:
    # A quoted parameter value may hold anything but DQUOTE and control characters.
    return '"' + _CONTROL.sub("", value.replace("\t", " ")).replace('"', "'") + '"'


def fold_line(line: str) -> str:
    """``line`` folded: pieces of at most 75 octets (UTF-8) joined by CRLF and a space.

    A character is never split; continuation lines count their leading space.
    """
    pieces: list[str] = []
    current: list[str] = []
    size = 0
    limit = MAX_LINE_OCTETS
    for char in line:
        octets = len(char.encode("utf-8"))
        if size + octets > limit:
            pieces.append("".join(current))
            current, size = [], 0
            limit = MAX_LINE_OCTETS - 1
        current.append(char)
        size += octets
    pieces.append("".join(current))
    return "\r\n ".join(pieces)


def calendar_event(event) -> CalendarEvent:
    """A meeting as a calendar entry (the convocation's file, the feeds)."""
    base = settings.SITE_URL.rstrip("/")
    host = base.split("://", 1)[-1].split("/", 1)[0] or "coalicion"
    location = event.place
    if event.is_virtual:
        location = ", ".join(p for p in (location, event.virtual_url) if p)
    return CalendarEvent(
        uid=f"event-{event.pk}@{host}",
        start=event.start,
        end=event.end,
        summary=localized(event, "title"),
        description=event.description,
        location=location,
        url=base + event.get_absolute_url(),
        status="CANCELLED" if event.is_cancelled else "CONFIRMED",
        sequence=event.version,
        last_modified=None,
        organizer_name=event.organiser,
    )
