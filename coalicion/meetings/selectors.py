"""Reads of the meetings module, scoped by what the user may see."""

import datetime
import hashlib

from django.db.models import Case, Count, F, IntegerField, Max, Prefetch, Q, QuerySet, Value, When
from django.utils import timezone

from coalicion.meetings import counting
from coalicion.meetings import models as meeting_models
from coalicion.meetings.models import (
    AgendaItem,
    Agreement,
    Attendance,
    Ballot,
    CalendarFeed,
    CountryReport,
    Decision,
    Event,
    FollowUp,
    Minutes,
    QuorumCheck,
    Tally,
)
from coalicion.membership.models import Country, ObserverOrganisation, Person, Representation
from coalicion.membership.roles import roles_of


def visible_events(user) -> QuerySet[Event]:
    """Members see every event; observers those open to observers."""
    roles = roles_of(user)
    events = Event.objects.select_related("country")
    if roles.is_member:
        return events
    if roles.observer:
        return events.filter(open_to_observers=True)
    return events.none()


def events_in_year(*, user, year: int | None = None, kind: str = "") -> QuerySet[Event]:
    """The events the user may see, of `year` (any year when None) and
    `kind`: a queryset, which the calendar pages in the database."""
    events = visible_events(user)
    if year:
        events = events.filter(start__year=year)
    if kind:
        events = events.filter(kind=kind)
    return events


def member_countries(day: datetime.date) -> list[Country]:
    """The member countries on `day`: those that joined later do not count,
    those that left afterwards do (`Country.is_member_on`)."""
    return list(Country.objects.members(on=day).order_by("name"))


def members_on(countries: list[Country], day: datetime.date) -> list[Country]:
    """The same rule as `member_countries`, on countries already loaded."""
    return [c for c in countries if c.is_member_on(day)]


def records_frozen(event: Event) -> bool:
    """Once a meeting's minutes are approved, what they record (attendance,
    quorum, decisions, agreements' text) cannot change."""
    return meeting_models.records_frozen([event.pk])


def latest_quorum_check(event: Event) -> QuorumCheck | None:
    """The latest verification of quorum, with `is_current`: False when a
    line of the member countries' register changed after it."""
    check = event.quorum_checks.order_by("-at", "-pk").first()
    if check is not None:
        last_change = _last_register_change(event)
        check.is_current = last_change is None or last_change <= check.at
    return check


def _last_register_change(event: Event) -> datetime.datetime | None:
    """When a line of the member countries' register last changed."""
    return Attendance.objects.filter(event_id=event.pk).aggregate(last=Max("recorded_at"))["last"]


def has_quorum(event: Event) -> bool:
    """Whether the meeting may take decisions: its latest verification of
    quorum found quorum and no line of the register changed after it."""
    check = latest_quorum_check(event)
    return bool(check and check.has_quorum and check.is_current)


def quorum_state(event: Event) -> dict:
    """For the forms that need quorum: whether the meeting may take
    decisions now, and whether the register changed after the last check."""
    check = latest_quorum_check(event) if event.is_meeting else None
    return {
        "has_quorum": bool(check and check.has_quorum and check.is_current),
        "quorum_outdated": bool(check and not check.is_current),
    }


def quorum_outdated(event: Event) -> bool:
    """The register changed after the latest verification of quorum."""
    check = latest_quorum_check(event)
    return bool(check and not check.is_current)


def previous_meeting(event: Event) -> Event | None:
    """The last ordinary or extraordinary meeting before this one."""
    return (
        Event.objects.filter(kind__in=Event.MEETING_KINDS, start__lt=event.start)
        .exclude(status=Event.Status.CANCELLED)
        .exclude(pk=event.pk)
        .order_by("-start")
        .first()
    )


def minutes_to_approve(event: Event) -> list[Minutes]:
    """Minutes this meeting may approve — circulated minutes of earlier
    meetings (the previous one's first), corrections included — and those it
    approved (so that its agenda still shows them afterwards)."""
    return list(
        Minutes.objects.filter(
            Q(status=Minutes.Status.CIRCULATED, event__start__lt=event.start)
            | Q(approved_at_event=event)
        )
        .select_related("event", "corrects")
        .order_by("-event__start", "pk")
    )


def previous_minutes_record(event: Event) -> dict:
    """What the records say of earlier minutes at this meeting: those it
    approved (`approved`) and those circulated before it and still not
    approved (`awaiting`), oldest meeting first. Nothing else was read."""
    found = list(
        Minutes.objects.filter(
            Q(approved_at_event=event)
            | Q(status=Minutes.Status.CIRCULATED, event__start__lt=event.start)
        )
        .select_related("event", "corrects__event")
        .order_by("event__start", "pk")
    )
    return {
        "approved": [m for m in found if m.approved_at_event_id == event.pk],
        "awaiting": [m for m in found if m.approved_at_event_id != event.pk],
    }


def representations_to_report(event: Event) -> list[Event]:
    """Representations of the Coalition since the previous meeting: the
    Presidency reports on each at this one (plan VIII, Presidency, 5)."""
    previous = previous_meeting(event)
    events = Event.objects.filter(kind=Event.Kind.REPRESENTATION, start__lt=event.start).exclude(
        status=Event.Status.CANCELLED
    )
    if previous is not None:
        events = events.filter(start__gte=previous.start)
    return list(events.order_by("start"))


def open_agreements_before(event: Event) -> QuerySet[Agreement]:
    """Agreements of earlier meetings not yet fulfilled nor cancelled."""
    return (
        Agreement.objects.filter(event__start__lt=event.start, status__in=Agreement.OPEN)
        .exclude(event=event)
        .select_related("event", "country", "organ", "committee")
        .order_by("event__start", "sequence")
    )


def carried_agreements(event: Event) -> list[Agreement]:
    """On an approved agenda, the agreements fixed at approval; before, the
    open agreements of earlier meetings as they are now."""
    return list(carried_queryset(event))


def carried_queryset(event: Event) -> QuerySet[Agreement]:
    """`carried_agreements` as a queryset, to count and limit in SQL."""
    if event.agenda_approved:
        return event.carried_agreements.select_related(
            "event", "country", "organ", "committee"
        ).order_by("event__start", "sequence")
    return open_agreements_before(event)


# The agenda (page and PDF) lists at most this many carried agreements, the
# most urgent first, and links to the full list for the others: every
# agreement never closed would make the document grow without end.
AGENDA_AGREEMENTS = 50


def carried_over(agreement: Agreement, user) -> dict:
    """Where an agreement went after its meeting, among the meetings `user`
    may see: `carried_to` — meetings whose approved agenda carried it over;
    `carried_pending` — while it is open, later meetings whose agenda is not
    approved yet (it will be carried when it is); `later_meetings` — whether
    any later meeting exists at all."""
    later = (
        visible_events(user)
        .filter(kind__in=Event.MEETING_KINDS, start__gt=agreement.event.start)
        .exclude(status=Event.Status.CANCELLED)
        .order_by("start", "pk")
    )
    later = list(
        later.annotate(carries=Count("carried_agreements", filter=Q(carried_agreements=agreement)))
    )
    return {
        "carried_to": [e for e in later if e.carries],
        "carried_pending": [
            e for e in later if not e.carries and not e.agenda_approved and agreement.is_open
        ],
        "later_meetings": bool(later),
    }


def agenda(event: Event) -> list[AgendaItem]:
    return list(event.agenda_items.prefetch_related("attachments").order_by("order", "pk"))


def attendance_register(event: Event) -> list[dict]:
    """One line per member country on the day of the event, recorded or not."""
    recorded = {
        a.country_id: a
        for a in Attendance.objects.filter(event=event).select_related(
            "country", "titular", "alternate"
        )
    }
    return [
        {"country": country, "attendance": recorded.get(country.pk)}
        for country in member_countries(event.local_date)
    ]


def register_open(event: Event, *, frozen: bool) -> bool:
    """Whether the register of `event` may be taken now: on or after the
    day of the event, while its minutes are not approved (`frozen`)."""
    return event.local_date <= timezone.localdate() and not frozen


def people_by_country(countries: list[Country]) -> dict[int, list[Person]]:
    """The directory's people of each country (one query), by name."""
    people: dict[int, list[Person]] = {c.pk: [] for c in countries}
    for person in Person.objects.filter(country__in=countries).order_by(
        "family_name", "given_name", "pk"
    ):
        people[person.country_id].append(person)
    return people


def representatives_on(countries: list[Country], day: datetime.date) -> dict[tuple[int, str], int]:
    """(country id, role) → the person representing it on `day` (the latest start wins)."""
    found: dict[tuple[int, str], int] = {}
    representations = Representation.objects.in_force(day).filter(country__in=countries)
    for country_id, role, person_id in representations.order_by("start", "pk").values_list(
        "country_id", "role", "person_id"
    ):
        found[(country_id, role)] = person_id
    return found


def register_page(event: Event, *, editing: bool) -> dict:
    """What the register page shows: a line per member country, the observer
    organisations and their lines, the verifications of quorum (newest
    first) and, for a form (`editing`), the people to choose from."""
    register = attendance_register(event)
    countries = [line["country"] for line in register]
    checks = list(
        event.quorum_checks.select_related("verified_by__person").order_by("-at", "-pk")
        if event.is_meeting
        else []
    )
    last_change = _last_register_change(event)  # one query, whether or not there are checks
    if checks:
        checks[0].is_current = last_change is None or last_change <= checks[0].at
    return {
        "register": register,
        "organisations": list(ObserverOrganisation.objects.order_by("name", "pk")),
        "observed": {o.organisation_id: o for o in event.observer_attendance.all()},
        "checks": checks,
        "people": people_by_country(countries) if editing else {},
        "representatives": representatives_on(countries, event.local_date) if editing else {},
    }


def representative_holders(*, country: Country, role: str, day: datetime.date) -> list[Person]:
    """Who holds the role for the country on `day`."""
    return [
        r.person
        for r in Representation.objects.in_force(day)
        .filter(country=country, role=role)
        .select_related("person")
        .order_by("start", "pk")
    ]


def namesakes(*, country: Country, given_name: str, family_name: str) -> list[Person]:
    """People of the directory of that country with the same name."""
    return list(
        Person.objects.filter(
            country=country,
            given_name__iexact=given_name.strip(),
            family_name__iexact=family_name.strip(),
        )
    )


def country_report_rows(event: Event) -> list[dict]:
    """A line per member country on the day of the event with its report
    (None if not submitted) and the number of files attached to it."""
    reports = {
        r.country_id: r
        for r in event.country_reports.select_related("submitted_by__person").annotate(
            attachment_count=Count("attachments")
        )
    }
    return [
        {"country": country, "report": reports.get(country.pk)}
        for country in member_countries(event.local_date)
    ]


def country_report(event: Event, country: Country) -> CountryReport | None:
    """A country's report for the meeting, with who saved it and its files."""
    return (
        CountryReport.objects.filter(event=event, country=country)
        .select_related("submitted_by__person")
        .prefetch_related("attachments")
        .first()
    )


def present_countries(event: Event) -> list[Country]:
    """The member countries (on the day of the event) present at it."""
    from coalicion.meetings.counting import PRESENT_STATUSES

    members = {c.pk for c in member_countries(event.local_date)}
    return [
        a.country
        for a in Attendance.objects.filter(event=event, status__in=PRESENT_STATUSES)
        .select_related("country")
        .order_by("country__name")
        if a.country_id in members
    ]


def status_changes(agreement: Agreement) -> list[tuple[datetime.date, str]]:
    """(date, new status) of the follow-up entries that change the
    agreement's status, in order. `follow_ups` should be prefetched."""
    entries = sorted(agreement.follow_ups.all(), key=lambda f: (f.date, f.pk))
    return [(f.date, f.status) for f in entries if f.status]


def status_from(
    changes: list[tuple[datetime.date, str]], *, meeting_day: datetime.date, day: datetime.date
) -> tuple[str | None, datetime.date | None]:
    """The status on `day` replayed from `status_changes`, and the day it
    took effect: (None, None) before the meeting, pending until a change."""
    if meeting_day > day:
        return None, None
    status, since = Agreement.Status.PENDING, None
    for changed_on, new_status in changes:
        if changed_on > day:
            break
        status, since = new_status, changed_on
    return status, since


def status_on(agreement: Agreement, day: datetime.date) -> str | None:
    """The agreement's status on `day` (None before its meeting)."""
    status, _since = status_from(
        status_changes(agreement), meeting_day=agreement.event.local_date, day=day
    )
    return status


def agreements_with_history(queryset=None) -> QuerySet[Agreement]:
    queryset = queryset if queryset is not None else Agreement.objects.all()
    return queryset.select_related("event", "country", "organ", "committee").prefetch_related(
        Prefetch("follow_ups", queryset=FollowUp.objects.order_by("date", "pk"))
    )


def visible_agreements(user, agreements: QuerySet[Agreement] | None = None) -> QuerySet[Agreement]:
    """The agreements (of `agreements`, default all) the user may see, by
    the rule of "meetings.view_agreement", in SQL."""
    roles = roles_of(user)
    agreements = Agreement.objects.all() if agreements is None else agreements
    if roles.is_member:
        return agreements
    if roles.observer:
        return agreements.filter(event__open_to_observers=True)
    return agreements.none()


def meetings_with_agreements(user) -> list[Event]:
    """The meetings the user may see that have agreements, newest first."""
    return list(visible_events(user).filter(agreements__isnull=False).distinct().order_by("-start"))


def annotate_last_follow_up(agreements) -> None:
    """Set `last_follow_up` (the date of the latest entry, or None) on each
    agreement, in one query."""
    agreements = list(agreements)
    last = dict(
        FollowUp.objects.filter(agreement__in=[a.pk for a in agreements])
        .order_by()
        .values("agreement_id")
        .annotate(last=Max("date"))
        .values_list("agreement_id", "last")
    )
    for agreement in agreements:
        agreement.last_follow_up = last.get(agreement.pk)


def agreement_list(
    *,
    user,
    status: str = "",
    overdue: bool = False,
    event_id: int | None = None,
    country_id: int | None = None,
    organ_id: int | None = None,
    committee_id: int | None = None,
    today: datetime.date | None = None,
) -> QuerySet[Agreement]:
    """Agreements the user may see, filtered; overdue ones first, then by
    due date (none last) and number. A queryset: the list pages it in the
    database."""
    today = today or timezone.localdate()
    agreements = visible_agreements(user).select_related("event", "country", "organ", "committee")
    if status:
        agreements = agreements.filter(status=status)
    if event_id:
        agreements = agreements.filter(event_id=event_id)
    if country_id:
        agreements = agreements.filter(country_id=country_id)
    if organ_id:
        agreements = agreements.filter(organ_id=organ_id)
    if committee_id:
        agreements = agreements.filter(committee_id=committee_id)
    overdue_q = Q(status__in=Agreement.OPEN, due__lt=today)
    if overdue:
        agreements = agreements.filter(overdue_q)
    return agreements.annotate(
        overdue_rank=Case(
            When(overdue_q, then=Value(0)), default=Value(1), output_field=IntegerField()
        )
    ).order_by("overdue_rank", F("due").asc(nulls_last=True), "event__start", "sequence", "pk")


def agenda_live(event: Event, user) -> dict:
    """The live content of a meeting's automatic agenda items, limited to
    what `user` may see (observers: only events open to them, approved
    minutes of those). One source for the agenda page and its PDF."""
    kinds = set(event.agenda_items.values_list("kind", flat=True))
    live: dict = {}
    if AgendaItem.Kind.PREVIOUS_MINUTES in kinds:
        previous = previous_meeting(event)
        live["previous"] = (
            previous if previous and user.has_perm("meetings.view_event", previous) else None
        )
        # There was one, not open to this reader: say so rather than "no previous meeting".
        live["previous_hidden"] = previous is not None and live["previous"] is None
        live["minutes_to_approve"] = [
            m for m in minutes_to_approve(event) if user.has_perm("meetings.view_minutes", m)
        ]
    if AgendaItem.Kind.REPRESENTATIONS in kinds:
        live["representations"] = [
            e for e in representations_to_report(event) if user.has_perm("meetings.view_event", e)
        ]
    if AgendaItem.Kind.AGREEMENTS in kinds:
        carried = visible_agreements(user, carried_queryset(event))
        live["carried"] = list(
            carried.order_by(F("due").asc(nulls_last=True), "event__start", "sequence", "pk")[
                :AGENDA_AGREEMENTS
            ]
        )
        live["carried_more"] = (
            carried.count() - len(live["carried"])
            if len(live["carried"]) == AGENDA_AGREEMENTS
            else 0
        )
    return live


def feed_token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def find_calendar_feed(*, token: str) -> CalendarFeed | None:
    """The feed of a token still valid, for an active user."""
    if not token or len(token) > 100:
        return None
    return (
        CalendarFeed.objects.select_related("user")
        .filter(token_hash=feed_token_hash(token), revoked_at__isnull=True, user__is_active=True)
        .first()
    )


def decision_tallies(decision: Decision) -> list[Tally]:
    """The counts of a vote in order, each with the yes votes it needed and
    its majority's label; the last one is marked official."""
    tallies = list(
        decision.tallies.select_related("counted_by__person")
        .prefetch_related(Prefetch("ballots", queryset=Ballot.objects.select_related("country")))
        .order_by("number")
    )
    for tally in tallies:
        tally.needed = counting.tally_counts(
            yes=tally.yes,
            no=tally.no,
            abstain=tally.abstain,
            members=tally.members,
            majority=tally.majority,
        ).required_yes
        try:
            tally.majority_label = str(Decision.Majority(tally.majority).label)
        except ValueError:
            tally.majority_label = tally.majority
    if tallies:
        tallies[-1].official = True
    return tallies
