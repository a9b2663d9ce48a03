"""The end-of-term report of the Presidency or the Technical Secretariat
(*informe al término del período sobre las acciones realizadas*, SPEC §4):
the events held in its term, the representations of the Coalition, the
agreements it was responsible for and the POA activities it answered for,
as known on a date. Same sources as the accountability report
(`monitoring.rollup`, `meetings.selectors`), same formatting helpers
(`document`), its own template `typst/reports/term.typ`."""

import datetime

from django.utils.translation import gettext as _

from coalicion.core.i18n import localized
from coalicion.core.pdf import render_pdf
from coalicion.meetings import selectors as meeting_selectors
from coalicion.meetings.models import Agreement, Event
from coalicion.membership.models import Country, OrganTerm
from coalicion.monitoring import rollup
from coalicion.monitoring.matrix import ACTIVITY_STATUS_LABELS
from coalicion.monitoring.selectors import operating_plans
from coalicion.plans.models import Plan
from coalicion.plans.parties import PartyKind
from coalicion.reports import document
from coalicion.reports.assembly import rate

TEMPLATE = "reports/term.typ"


def _last_day(term: OrganTerm, as_of: datetime.date) -> datetime.date:
    return min(term.end, as_of) if term.end else as_of


def _events(term: OrganTerm, as_of: datetime.date) -> list[dict]:
    """The events of the term up to the data date, not cancelled."""
    last = _last_day(term, as_of)
    kinds = dict(Event.Kind.choices)
    statuses = dict(Event.Status.choices)
    return [
        {
            "title": localized(event, "title"),
            "date": event.local_date,
            "kind": event.kind,
            "kind_label": str(kinds[event.kind]),
            "status_label": str(statuses[event.status]),
            "place": ", ".join(
                p for p in (event.city, event.country and localized(event.country, "name")) if p
            ),
        }
        for event in Event.objects.exclude(status=Event.Status.CANCELLED)
        .select_related("country")
        .order_by("start", "pk")
        if term.start <= event.local_date <= last
    ]


def _agreements(term: OrganTerm, as_of: datetime.date) -> list[dict]:
    """Agreements adopted in the term whose responsible party is the organ."""
    last = _last_day(term, as_of)
    labels = dict(Agreement.Status.choices)
    rows = []
    for agreement in meeting_selectors.agreements_with_history(
        Agreement.objects.filter(kind=PartyKind.ORGAN, organ_id=term.organ_id)
    ).order_by("event__start", "sequence"):
        day = agreement.event.local_date
        if not term.start <= day <= last:
            continue
        status, _since = meeting_selectors.status_from(
            meeting_selectors.status_changes(agreement), meeting_day=day, day=as_of
        )
        rows.append(
            {
                "code": agreement.code,
                "text": agreement.text,
                "date": day,
                "status": status,
                "status_label": str(labels.get(status, "")),
            }
        )
    return rows


def _activities(plan: Plan, term: OrganTerm, as_of: datetime.date) -> list[dict]:
    """The POA activities of the term's years the organ answers for, with
    their progress and status from the roll-up."""
    last = _last_day(term, as_of)
    poas = [poa for poa in operating_plans(plan=plan) if term.start.year <= poa.year <= last.year]
    countries = list(Country.objects.all())
    rows = []
    for tree in rollup.execution_trees(poas=poas, as_of=as_of, countries=countries):
        for node in tree.activities():
            if not any(
                r.kind == PartyKind.ORGAN and r.organ_id == term.organ_id for r in node.responsibles
            ):
                continue
            rows.append(
                {
                    "year": tree.poa.year,
                    "code": node.activity.code,
                    "statement": localized(node.activity, "statement"),
                    "progress": node.progress,
                    "status": str(node.status),
                    "status_label": str(ACTIVITY_STATUS_LABELS[node.status]),
                }
            )
    return rows


def term_data(*, plan: Plan, term: OrganTerm, as_of: datetime.date, lang: str = "es") -> dict:
    """Every figure of the end-of-term report, in the active language."""
    events = _events(term, as_of)
    agreements = _agreements(term, as_of)
    fulfilled = sum(1 for a in agreements if a["status"] == Agreement.Status.FULFILLED)
    counted = [a for a in agreements if a["status"] not in (None, Agreement.Status.CANCELLED)]
    activities = _activities(plan, term, as_of)
    return {
        "lang": lang,
        "organ": localized(term.organ, "name"),
        "country": localized(term.country, "name"),
        "start": term.start,
        "end": term.end,
        "as_of": as_of,
        "events": events,
        "representations": sum(1 for e in events if e["kind"] == Event.Kind.REPRESENTATION),
        "meetings": sum(1 for e in events if e["kind"] in Event.MEETING_KINDS),
        "agreements": agreements,
        "agreements_fulfilled": fulfilled,
        "agreements_rate": rate(fulfilled, len(counted)),
        "activities": activities,
    }


def term_document(data: dict) -> dict:
    day, percent, number = document.day, document.percent, document.number
    title = _("End-of-term report of the %(organ)s") % {"organ": data["organ"]}
    end = day(data["end"]) if data["end"] else _("in office")
    period = _("%(country)s, %(start)s to %(end)s") % {
        "country": data["country"],
        "start": day(data["start"]),
        "end": end,
    }
    summary = [
        _(
            "Events held: %(n)s, of which meetings of the Coalition: %(m)s and "
            "representations: %(r)s."
        )
        % {
            "n": number(len(data["events"])),
            "m": number(data["meetings"]),
            "r": number(data["representations"]),
        },
        _("Agreements in its charge adopted in the term: %(n)s; fulfilled: %(f)s (%(rate)s).")
        % {
            "n": number(len(data["agreements"])),
            "f": number(data["agreements_fulfilled"]),
            "rate": percent(data["agreements_rate"])
            if data["agreements_rate"] is not None
            else "—",
        },
        _("POA activities in its charge: %(n)s.") % {"n": number(len(data["activities"]))},
    ]
    return {
        "lang": data["lang"],
        "title": title,
        "coalition": document.coalition(),
        "period": period,
        "data_as_of": _("Data as of %(date)s") % {"date": day(data["as_of"])},
        "summary": summary,
        "labels": {
            **document.labels(),
            "events": _("Events held"),
            "event": _("Event"),
            "kind": _("Kind"),
            "place": _("Place"),
            "agreements_in_charge": _("Agreements in its charge"),
            "activities_in_charge": _("POA activities in its charge"),
        },
        "events": [
            {
                "date": day(e["date"]),
                "title": e["title"],
                "kind": e["kind_label"],
                "place": e["place"],
                "status": e["status_label"],
            }
            for e in data["events"]
        ],
        "agreements": [
            {
                "code": a["code"],
                "text": a["text"],
                "date": day(a["date"]),
                "status": a["status_label"],
            }
            for a in data["agreements"]
        ],
        "activities": [
            {
                "year": str(a["year"]),
                "code": a["code"],
                "statement": a["statement"],
                "progress": percent(a["progress"]),
                "status": a["status_label"],
            }
            for a in data["activities"]
        ],
    }


def term_pdf(data: dict) -> bytes:
    return render_pdf(template=TEMPLATE, data=term_document(data))
