"""The printable agenda and minutes (actas) of a meeting, as PDF (Typst).

`agenda_data` and `minutes_data` gather what the documents show, with every
label translated and every date formatted here, in the language active at call
time; the templates `typst/agenda.typ` and `typst/minutes.typ` only lay it out,
so one template serves Spanish and English. Nothing here reads the clock: the
same records give the same bytes, which is what lets approved minutes be stored
with their SHA-256 (`actions.approve_minutes` calls `minutes_pdf` on the
minutes it is approving, before saving them, so "approved" is read from the
object passed in, never from the database).
"""

import datetime
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.formats import date_format, time_format
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from coalicion.core.i18n import localized
from coalicion.core.pdf import render_pdf
from coalicion.meetings import selectors
from coalicion.meetings.counting import QuorumRule
from coalicion.meetings.models import AgendaItem, Agreement, Event, Minutes


def agenda_pdf(event: Event, *, user) -> bytes:
    """The agenda of `event`, with the live content of its automatic items
    that `user` may see (the same as the agenda page shows them)."""
    return render_pdf(template="agenda.typ", data=agenda_data(event, user=user))


def minutes_pdf(minutes: Minutes) -> bytes:
    """The acta, marked as a draft on every page until it is approved."""
    return render_pdf(template="minutes.typ", data=minutes_data(minutes))


# --- Agenda -------------------------------------------------------------------------


def agenda_data(event: Event, *, user) -> dict[str, Any]:
    """What the agenda shows; the live content of the automatic items
    (previous minutes, representations, carried agreements) only as far as
    `user` may see it (`selectors.agenda_live`)."""
    agenda = selectors.agenda(event)
    live = selectors.agenda_live(event, user)
    total = sum(item.duration_minutes or 0 for item in agenda)
    if event.agenda_approved:
        status = _("Agenda approved on %(date)s") % {"date": _date(event.agenda_approved_at)}
    else:
        status = _("Draft agenda")
    title = localized(event, "title")
    return {
        "lang": _language(),
        "title": _("Agenda of %(event)s") % {"event": title},
        "coalition": _coalition(),
        "event": {"title": title, "facts": _event_facts(event)},
        "status": status,
        "approved": event.agenda_approved,
        "items": [_agenda_item(event, item, live) for item in agenda],
        "total_duration": _duration(total) if total else "—",
        "labels": {
            "agenda": _("Agenda"),
            "number": _("No."),
            "item": _("Agenda item"),
            "presenter": _("Presenter"),
            "duration": _("Duration"),
            "total": _("Total duration"),
            "attachments": _("Attachments"),
            "code": _("Number"),
            "text": _("Text"),
            "responsible": _("Responsible"),
            "due": _("Due date"),
            "status": _("Status"),
        },
    }


def _agenda_item(event: Event, item: AgendaItem, live: dict) -> dict[str, Any]:
    data = {
        "number": str(item.order),
        "title": item.display_title,
        "presenter": item.presenter,
        "duration": _duration(item.duration_minutes) if item.duration_minutes else "",
        "notes": item.notes,
        "attachments": [a.original_name for a in item.attachments.all()],
        "lines": [],
        "agreements": [],
        "more": "",
        "empty": "",
    }
    kinds = AgendaItem.Kind
    if item.kind == kinds.PREVIOUS_MINUTES:
        data["lines"] = [
            _("%(minutes)s (circulated on %(date)s)")
            % {"minutes": _minutes_title(m), "date": _date(m.circulated_at)}
            for m in live.get("minutes_to_approve", [])
        ]
        if not data["lines"]:
            previous = live.get("previous")
            if previous:
                data["empty"] = _(
                    "No minutes circulated for approval (previous meeting: %(event)s)."
                ) % {"event": localized(previous, "title")}
            elif live.get("previous_hidden"):
                data["empty"] = _(
                    "No minutes circulated for approval that you may see; the previous "
                    "meeting is not open to observers."
                )
            else:
                data["empty"] = _("There is no previous meeting.")
    elif item.kind == kinds.REPRESENTATIONS:
        data["lines"] = [
            " — ".join(p for p in (localized(r, "title"), _date(r.start), _place(r)) if p)
            for r in live.get("representations", [])
        ]
        if not data["lines"]:
            data["empty"] = _("No representations since the previous meeting.")
    elif item.kind == kinds.COUNTRY_REPORTS:
        data["lines"] = [
            localized(r.country, "name")
            for r in event.country_reports.select_related("country").order_by("country__name")
        ]
        if not data["lines"]:
            data["empty"] = _("No country report submitted yet.")
    elif item.kind == kinds.AGREEMENTS:
        data["agreements"] = [
            _agreement(a) | {"status": a.get_status_display()} for a in live.get("carried", [])
        ]
        more = live.get("carried_more", 0)
        if more:
            data["more"] = ngettext(
                "%(count)s more open agreement: see %(url)s",
                "%(count)s more open agreements: see %(url)s",
                more,
            ) % {
                "count": formats.number_format(more),
                "url": settings.SITE_URL.rstrip("/") + reverse("meetings:agreements"),
            }
        if not data["agreements"]:
            data["empty"] = _("No pending agreements.")
    return data


# --- Minutes ------------------------------------------------------------------------


def minutes_data(minutes: Minutes) -> dict[str, Any]:
    event = minutes.event
    approved = minutes.status == Minutes.Status.APPROVED
    title = _minutes_title(minutes)
    approval = ""
    if approved:
        at_event = minutes.approved_at_event
        # One stored PDF for every reader: the approving meeting is named only
        # if whoever may read these minutes may see it (observers: open to them).
        if at_event and (at_event.open_to_observers or not event.open_to_observers):
            approval = _("Approved on %(date)s at %(event)s") % {
                "date": _date(minutes.approved_at),
                "event": localized(at_event, "title"),
            }
        else:
            approval = _("Approved on %(date)s") % {"date": _date(minutes.approved_at)}
    corrects = ""
    if minutes.corrects_id:
        corrects = _("This document corrects the minutes approved on %(date)s.") % {
            "date": _date(minutes.corrects.approved_at)
        }
    facts = [*_event_facts(event), [_("Status of the minutes"), minutes.get_status_display()]]
    return {
        "lang": _language(),
        "title": title,
        "coalition": _coalition(),
        "draft": not approved,
        "event": {"title": localized(event, "title"), "facts": facts},
        "corrects": corrects,
        "approval": approval,
        "body": _paragraphs(minutes.body),
        "register": _register(event),
        "observers": [
            {"organisation": str(o.organisation), "people": o.people}
            for o in event.observer_attendance.filter(present=True).select_related("organisation")
        ],
        "quorum": _quorum(event),
        "decisions": _decisions(event),
        "agreements": [
            _agreement(a)
            for a in event.agreements.select_related("country", "organ", "committee").order_by(
                "sequence"
            )
        ],
        "labels": {
            "draft_mark": _("DRAFT — not approved"),
            "minutes": _("Minutes"),
            "text": _("Proceedings"),
            "register": _("Attendance register"),
            "country": _("Country"),
            "attendance": _("Attendance"),
            "titular": _("Titular"),
            "alternate": _("Alternate"),
            "observers": _("Observers present"),
            "quorum": _("Verification of quorum"),
            "no_quorum_check": _("The quorum was not verified."),
            "decisions": _("Decisions"),
            "no_decisions": _("No decisions were taken."),
            "objections": _("Objections and dissent"),
            "position": _("Position"),
            "statement": _("Statement"),
            "tallies": _("Votes"),
            "count": _("Count"),
            "yes": _("Yes"),
            "no": _("No"),
            "abstain": _("Abstentions"),
            "result": _("Result"),
            "reason": _("Reason for the recount"),
            "agreements": _("Agreements"),
            "no_agreements": _("No agreements were made."),
            "code": _("Number"),
            "agreement": _("Text"),
            "responsible": _("Responsible"),
            "due": _("Due date"),
        },
    }


def _minutes_title(minutes: Minutes) -> str:
    event = localized(minutes.event, "title")
    if minutes.corrects_id:
        return _("Correction of the minutes of %(event)s") % {"event": event}
    return _("Minutes of %(event)s") % {"event": event}


def _paragraphs(body: str) -> list[list[str]]:
    """Paragraphs (separated by blank lines), each a list of its lines."""
    paragraphs, current = [], []
    for line in body.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if line.strip():
            current.append(line.rstrip())
        elif current:
            paragraphs.append(current)
            current = []
    if current:
        paragraphs.append(current)
    return paragraphs


def _register(event: Event) -> list[list[str]]:
    rows = []
    for line in selectors.attendance_register(event):
        attendance = line["attendance"]
        rows.append(
            [
                localized(line["country"], "name"),
                attendance.get_status_display() if attendance else _("Not recorded"),
                str(attendance.titular) if attendance and attendance.titular else "",
                str(attendance.alternate) if attendance and attendance.alternate else "",
            ]
        )
    return rows


def _quorum(event: Event) -> list[list[str]]:
    check = selectors.latest_quorum_check(event)
    if check is None:
        return []
    try:
        rule = str(QuorumRule(check.rule).label)
    except ValueError:
        rule = check.rule
    return [
        [_("Verified at"), _datetime(check.at)],
        [_("Member countries present"), f"{check.present} / {check.members}"],
        [_("Required for quorum"), str(check.required)],
        [_("Rule"), rule],
        [_("Verdict"), _("Quorum") if check.has_quorum else _("No quorum")],
    ]


def _decisions(event: Event) -> list[dict[str, Any]]:
    decisions = event.decisions.prefetch_related("objections__country", "tallies").order_by(
        "number"
    )
    result = []
    for decision in decisions:
        if decision.adopted is None:
            outcome = _("Pending (no vote counted)")
        else:
            outcome = _("Adopted") if decision.adopted else _("Not adopted")
        method = decision.get_method_display()
        if decision.majority:
            method = f"{method} — {decision.get_majority_display()}"
        tallies = list(decision.tallies.all())
        result.append(
            {
                "heading": _("Decision %(number)s") % {"number": decision.number},
                "text": decision.text,
                "method": [_("Method"), method],
                "outcome": [_("Result"), outcome],
                "objections": [
                    [localized(o.country, "name"), o.get_kind_display(), o.text]
                    for o in decision.objections.all()
                ],
                "tallies": [_tally(t, official=t is tallies[-1]) for t in tallies],
            }
        )
    return result


def _tally(tally, *, official: bool) -> list[str]:
    if official:
        label = _("Count %(number)s (official)") % {"number": tally.number}
    else:
        label = _("Count %(number)s (superseded by a recount)") % {"number": tally.number}
    return [
        label,
        str(tally.yes),
        str(tally.no),
        str(tally.abstain),
        _("Adopted") if tally.adopted else _("Not adopted"),
        tally.reason,
    ]


# --- Shared pieces ------------------------------------------------------------------


def _agreement(agreement: Agreement) -> dict[str, str]:
    return {
        "code": agreement.code,
        "text": agreement.text,
        "responsible": localized(agreement.responsible, "name"),
        "due": _date(agreement.due),
    }


def _event_facts(event: Event) -> list[list[str]]:
    """Label and value of what identifies an event, leaving out what is empty."""
    facts = [
        [_("Kind"), event.get_kind_display()],
        [_("Number"), str(event.number) if event.number else ""],
        [_("Date and time"), _when(event)],
        [_("Place"), _place(event)],
        [_("Virtual room"), event.virtual_url if event.is_virtual else ""],
        [_("Organiser"), event.organiser],
    ]
    if event.is_virtual and not event.virtual_url:
        facts[4][1] = _("Virtual")
    return [fact for fact in facts if fact[1]]


def _when(event: Event) -> str:
    start, end = timezone.localtime(event.start), timezone.localtime(event.end)
    if start.date() == end.date():
        return _("%(date)s, %(start)s–%(end)s") % {
            "date": date_format(start, "DATE_FORMAT"),
            "start": time_format(start, "TIME_FORMAT"),
            "end": time_format(end, "TIME_FORMAT"),
        }
    return f"{_datetime(start)} – {_datetime(end)}"


def _place(event: Event) -> str:
    country = localized(event.country, "name") if event.country_id else ""
    return ", ".join(part for part in (event.venue, event.city, country) if part)


def _date(value: datetime.date | datetime.datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value)
    return date_format(value, "DATE_FORMAT")


def _datetime(value: datetime.datetime) -> str:
    return date_format(timezone.localtime(value), "DATETIME_FORMAT")


def _duration(minutes: int) -> str:
    if minutes < 60:
        return _("%(minutes)s min") % {"minutes": minutes}
    return _("%(hours)s h %(minutes)02d min") % {"hours": minutes // 60, "minutes": minutes % 60}


def _coalition() -> str:
    return _("Regional Coalition against Trafficking in Persons and Smuggling of Migrants")


def _language() -> str:
    return (get_language() or settings.LANGUAGE_CODE).split("-")[0]
