import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coalicion.meetings.ics import (
    PRODID,
    CalendarEvent,
    build_calendar,
    escape_text,
    fold_line,
)

TEGUCIGALPA = ZoneInfo("America/Tegucigalpa")
NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
LONG_SPANISH = (
    "Reunión ordinaria del Pleno de la Coalición Regional: aprobación del acta anterior, "
    "informe actualizado de la realidad de cada país, señalización de acuerdos pendientes, "
    "¿quórum? ¡Sí! Año de la niñez migrante — «acción» y pingüinos, corazón, ñandú y café."
)


def make_event(**overrides: object) -> CalendarEvent:
    fields: dict = {
        "uid": "meeting-1@coalicion.invalid",
        "start": datetime(2026, 3, 10, 9, 0, tzinfo=TEGUCIGALPA),
        "end": datetime(2026, 3, 10, 13, 30, tzinfo=TEGUCIGALPA),
        "summary": "Reunión ordinaria del Pleno",
    }
    return CalendarEvent(**(fields | overrides))


def unfold(text: str) -> str:
    """RFC 5545 §3.1: a CRLF followed by one space or tab is removed."""
    return re.sub(r"\r\n[ \t]", "", text)


def unescape(value: str) -> str:
    return re.sub(r"\\(.)", lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


def content_lines(calendar: str) -> list[str]:
    assert calendar.endswith("\r\n")
    return unfold(calendar).split("\r\n")[:-1]


def property_value(calendar: str, name: str) -> str:
    values = [
        line.split(":", 1)[1] for line in content_lines(calendar) if re.match(rf"{name}[;:]", line)
    ]
    assert len(values) == 1, values
    return values[0]


def test_it_writes_a_calendar_with_one_event() -> None:
    calendar = build_calendar([make_event()], name="Coalición", now=NOW)

    assert content_lines(calendar) == [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Coalición Regional//Coalición//ES",
        "CALSCALE:GREGORIAN",
        "X-WR-CALNAME:Coalición",
        "BEGIN:VEVENT",
        "UID:meeting-1@coalicion.invalid",
        "DTSTAMP:20260301T120000Z",
        "DTSTART:20260310T150000Z",
        "DTEND:20260310T193000Z",
        "SUMMARY:Reunión ordinaria del Pleno",
        "STATUS:CONFIRMED",
        "SEQUENCE:0",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    assert PRODID == "-//Coalición Regional//Coalición//ES"


def test_every_line_ends_with_crlf() -> None:
    calendar = build_calendar(
        [make_event(description="una\ndos\r\ntres")], name="Coalición", now=NOW
    )

    assert "\n" not in calendar.replace("\r\n", "")
    assert "\r" not in calendar.replace("\r\n", "")
    assert calendar.endswith("END:VCALENDAR\r\n")


def test_times_in_tegucigalpa_are_written_in_utc() -> None:
    # Honduras is UTC-6 all year: 9:00 local is 15:00 UTC.
    event = make_event(
        start=datetime(2026, 7, 20, 9, 0, tzinfo=TEGUCIGALPA),
        end=datetime(2026, 7, 20, 23, 15, tzinfo=TEGUCIGALPA),
        last_modified=datetime(2026, 7, 1, 18, 5, 59, 999999, tzinfo=TEGUCIGALPA),
    )

    calendar = build_calendar([event], name="Coalición", now=NOW)

    assert property_value(calendar, "DTSTART") == "20260720T150000Z"
    assert property_value(calendar, "DTEND") == "20260721T051500Z"
    assert property_value(calendar, "LAST-MODIFIED") == "20260702T000559Z"


def test_long_spanish_text_is_folded_at_75_octets_and_unfolds_unchanged() -> None:
    event = make_event(description=LONG_SPANISH * 3, location="Tegucigalpa, Honduras")

    calendar = build_calendar([event], name="Coalición", now=NOW)

    physical = calendar.split("\r\n")[:-1]
    assert any(line.startswith(" ") for line in physical)
    assert all(len(line.encode("utf-8")) <= 75 for line in physical)
    # Each physical line is valid UTF-8 by itself: no character was split.
    for line in physical:
        line.encode("utf-8").decode("utf-8")
    assert unescape(property_value(calendar, "DESCRIPTION")) == LONG_SPANISH * 3


def test_folding_never_splits_a_multibyte_character() -> None:
    for prefix in ("", "a", "ab"):
        line = "DESCRIPTION:" + prefix + "ñ€😀" * 40
        folded = fold_line(line)
        pieces = folded.split("\r\n")
        assert all(len(piece.encode("utf-8")) <= 75 for piece in pieces)
        assert all(piece.startswith(" ") for piece in pieces[1:])
        assert unfold(folded) == line


def test_a_short_line_is_not_folded() -> None:
    line = "SUMMARY:" + "x" * 67
    assert len(line) == 75
    assert fold_line(line) == line
    assert fold_line(line + "x") == line + "\r\n x"


def test_text_values_are_escaped() -> None:
    event = make_event(
        summary="Acta; acuerdos, seguimiento",
        description="C:\\actas\\2026\nLínea dos; fin, sí",
        location="Sala 1, piso 2; edificio \\ norte",
    )

    calendar = build_calendar([event], name="Pleno, Presidencia; Secretaría", now=NOW)

    assert property_value(calendar, "SUMMARY") == "Acta\\; acuerdos\\, seguimiento"
    assert property_value(calendar, "DESCRIPTION") == (
        "C:\\\\actas\\\\2026\\nLínea dos\\; fin\\, sí"
    )
    assert property_value(calendar, "LOCATION") == "Sala 1\\, piso 2\\; edificio \\\\ norte"
    assert property_value(calendar, "X-WR-CALNAME") == "Pleno\\, Presidencia\\; Secretaría"


def test_escape_text_drops_control_characters_but_keeps_tabs() -> None:
    assert escape_text("a\x00b\x07c\td\x7f") == "ab" + "c\td"


def test_a_cancelled_event_with_a_higher_sequence() -> None:
    event = make_event(status="CANCELLED", sequence=2)

    calendar = build_calendar([event], name="Coalición", method="CANCEL", now=NOW)

    assert property_value(calendar, "METHOD") == "CANCEL"
    assert property_value(calendar, "STATUS") == "CANCELLED"
    assert property_value(calendar, "SEQUENCE") == "2"


def test_an_invitation_has_method_request_and_an_organizer() -> None:
    event = make_event(
        organizer_name='Secretaría "Técnica", Panamá',
        organizer_email="secretaria@coalicion.invalid",
        url="https://coalicion.invalid/es/meetings/1/",
    )

    calendar = build_calendar([event], name="Coalición", method="REQUEST", now=NOW)

    assert property_value(calendar, "METHOD") == "REQUEST"
    assert "ORGANIZER;CN=\"Secretaría 'Técnica', Panamá\":mailto:secretaria@coalicion.invalid" in (
        content_lines(calendar)
    )
    assert property_value(calendar, "URL") == "https://coalicion.invalid/es/meetings/1/"


def test_a_feed_has_method_publish_and_every_event() -> None:
    events = [make_event(uid=f"meeting-{n}@coalicion.invalid") for n in range(3)]

    calendar = build_calendar(events, name="Coalición", method="PUBLISH", now=NOW)

    assert property_value(calendar, "METHOD") == "PUBLISH"
    assert calendar.count("BEGIN:VEVENT\r\n") == 3
    assert calendar.count("END:VEVENT\r\n") == 3


def test_without_a_method_no_method_line_is_written() -> None:
    calendar = build_calendar([], name="Coalición", now=NOW)

    assert not any(line.startswith("METHOD") for line in content_lines(calendar))
    assert "BEGIN:VEVENT" not in calendar


def test_dtstamp_defaults_to_now() -> None:
    before = datetime.now(UTC).replace(microsecond=0)
    calendar = build_calendar([make_event()], name="Coalición")
    after = datetime.now(UTC)

    stamp = datetime.strptime(property_value(calendar, "DTSTAMP"), "%Y%m%dT%H%M%SZ")
    assert before <= stamp.replace(tzinfo=UTC) <= after


def test_an_event_that_ends_when_it_starts_has_no_dtend() -> None:
    start = datetime(2026, 3, 10, 9, 0, tzinfo=TEGUCIGALPA)

    calendar = build_calendar([make_event(start=start, end=start)], name="Coalición", now=NOW)

    assert "DTEND" not in calendar


@pytest.mark.parametrize(
    "overrides",
    [
        {"start": datetime(2026, 3, 10, 9, 0)},
        {"end": datetime(2026, 3, 10, 9, 0)},
        {"last_modified": datetime(2026, 3, 10, 9, 0)},
        {"end": datetime(2026, 3, 10, 8, 0, tzinfo=TEGUCIGALPA)},
        {"status": "DONE"},
        {"sequence": -1},
        {"uid": " "},
        {"url": "https://coalicion.invalid/\r\nX-EVIL:1"},
        {"organizer_email": "a@b.invalid\r\nATTENDEE:mailto:x@y.invalid"},
    ],
)
def test_a_malformed_event_is_refused(overrides: dict) -> None:
    with pytest.raises(ValueError):
        make_event(**overrides)


def test_an_unknown_method_is_refused() -> None:
    with pytest.raises(ValueError, match="method"):
        build_calendar([], name="Coalición", method="INVITE")


def test_user_text_cannot_inject_a_property() -> None:
    event = make_event(summary="Reunión\r\nEND:VEVENT\r\nBEGIN:VEVENT\nUID:evil")

    calendar = build_calendar([event], name="Coalición", now=NOW)

    assert content_lines(calendar).count("BEGIN:VEVENT") == 1
    assert not any(line.startswith("UID:evil") for line in content_lines(calendar))
    assert unescape(property_value(calendar, "SUMMARY")) == (
        "Reunión\nEND:VEVENT\nBEGIN:VEVENT\nUID:evil"
    )


@given(st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\r\n")))
def test_unfolding_a_folded_line_gives_it_back(line: str) -> None:
    folded = fold_line(line)

    assert unfold(folded) == line
    assert all(len(piece.encode("utf-8")) <= 75 for piece in folded.split("\r\n"))


@given(st.text())
def test_any_text_survives_escaping_and_folding(text: str) -> None:
    folded = fold_line("DESCRIPTION:" + escape_text(text))

    value = unfold(folded).split(":", 1)[1]

    # Line breaks of any kind become \n; other control characters are not allowed in TEXT.
    expected = text.replace("\r\n", "\n").replace("\r", "\n")
    assert unescape(value) == re.sub(r"[\x00-\x08\x0b-\x1f\x7f]", "", expected)


def test_the_icalendar_package_reads_it_back() -> None:
    icalendar = pytest.importorskip("icalendar")
    event = make_event(
        description=LONG_SPANISH,
        location="Tegucigalpa, Honduras",
        status="TENTATIVE",
        sequence=1,
        last_modified=NOW,
        organizer_name="Secretaría Técnica",
        organizer_email="secretaria@coalicion.invalid",
    )

    parsed = icalendar.Calendar.from_ical(build_calendar([event], name="Coalición", now=NOW))

    (vevent,) = parsed.walk("VEVENT")
    assert str(vevent["SUMMARY"]) == "Reunión ordinaria del Pleno"
    assert str(vevent["DESCRIPTION"]) == LONG_SPANISH
    assert str(vevent["LOCATION"]) == "Tegucigalpa, Honduras"
    assert vevent.decoded("DTSTART") == event.start
    assert vevent.decoded("DTEND") - vevent.decoded("DTSTART") == timedelta(hours=4, minutes=30)
    assert str(parsed["X-WR-CALNAME"]) == "Coalición"


def test_replacing_a_field_keeps_the_checks() -> None:
    with pytest.raises(ValueError):
        replace(make_event(), status="UNKNOWN")
