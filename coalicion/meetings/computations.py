"""Indicators 4.3a and 4.3b of the plan count this app's records (SPEC §7).

- ``agreements_fulfilled`` (4.3a): agreements fulfilled as of a date,
  cumulative (the value), per year, and the fulfilment rate (fulfilled over
  agreements adopted by then and not cancelled). An agreement's status on a
  past date comes from its follow-up entries.
- ``meeting_participation`` (4.3b): presences of member countries in the
  ordinary and extraordinary meetings held (a present titular, alternate or
  both count once per meeting and country), and the rate against the
  meetings times the member countries on each meeting's date. For one
  country: its presences, and the meetings held while it was a member.
"""

import datetime
from collections import Counter
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from coalicion.core.dates import end_of
from coalicion.meetings import selectors
from coalicion.meetings.counting import PRESENT_STATUSES
from coalicion.meetings.models import Agreement, Attendance, Event, FollowUp
from coalicion.membership.models import Country
from coalicion.monitoring.computations import Computed, register, wants_figures


def _percent(part: int, whole: int) -> str:
    if not whole:
        return "—"
    rate = (Decimal(part * 100) / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)
    return formats.number_format(rate, 1) + " %"


def agreement_history(agreements) -> list:
    """(agreement, meeting day, status changes) of each agreement (with its
    follow-ups prefetched: `selectors.agreements_with_history`)."""
    return [(a, a.event.local_date, selectors.status_changes(a)) for a in agreements]


def agreement_counts(histories: list, day: datetime.date) -> tuple[list, list, Counter]:
    """The rule of indicator 4.3a on `day`: the agreements adopted by then
    and not cancelled, those fulfilled, and the fulfilled ones per year of
    fulfilment. `histories` from `agreement_history`, replayed by
    `selectors.status_from`. The accountability report counts the agreements
    of a term with it."""
    adopted, fulfilled = [], []
    per_year: Counter = Counter()
    for agreement, meeting_day, changes in histories:
        status, since = selectors.status_from(changes, meeting_day=meeting_day, day=day)
        if status is None or status == Agreement.Status.CANCELLED:
            continue
        adopted.append(agreement)
        if status == Agreement.Status.FULFILLED:
            fulfilled.append(agreement)
            per_year[since.year] += 1
    return adopted, fulfilled, per_year


def _fulfilled_on(histories: list, day: datetime.date, *, keep_records: bool) -> Computed:
    """`histories`: (agreement or its id, meeting day, status changes), read
    once and replayed for every date by `selectors.status_from`."""
    adopted_list, fulfilled, per_year = agreement_counts(histories, day)
    adopted = len(adopted_list)
    figures = []
    if wants_figures():
        figures = [
            (_("Agreements adopted and not cancelled"), formats.number_format(adopted)),
            (_("Fulfilment rate"), _percent(len(fulfilled), adopted)),
        ]
        figures += [
            (_("Fulfilled in %(year)s") % {"year": year}, formats.number_format(per_year[year]))
            for year in sorted(per_year)
        ]
    return Computed(
        value=Decimal(len(fulfilled)), records=fulfilled if keep_records else [], figures=figures
    )


def _agreements_fulfilled_many(*, indicator, dates, country=None) -> list[Computed]:
    """The value on each date from one light reading of the agreements and
    their status changes (tuples, no model instances): the matrix and the
    trend ask for every year of the plan, and the cost must grow with the
    records, not with records × years. The records counted are the
    drill-down's business (`agreements_fulfilled`, one date)."""
    if not dates:
        return []
    histories = _light_histories(end_of(max(dates)))
    return [_fulfilled_on(histories, day, keep_records=False) for day in dates]


def _light_histories(before: datetime.datetime) -> list:
    """(agreement id, meeting day, status changes), as `agreement_history`
    gives them for model instances."""
    changes: dict[int, list] = {}
    for agreement_id, day, status in (
        FollowUp.objects.filter(agreement__event__start__lt=before)
        .exclude(status="")
        .order_by("date", "pk")
        .values_list("agreement_id", "date", "status")
    ):
        changes.setdefault(agreement_id, []).append((day, status))
    local_days: dict[datetime.datetime, datetime.date] = {}  # a meeting's agreements share it
    histories = []
    for agreement_id, start in (
        Agreement.objects.filter(event__start__lt=before)
        .order_by("event__start", "sequence")
        .values_list("pk", "event__start")
    ):
        if start not in local_days:
            local_days[start] = timezone.localtime(start).date()
        histories.append((agreement_id, local_days[start], changes.get(agreement_id, [])))
    return histories


@register("agreements_fulfilled")
def agreements_fulfilled(*, indicator, as_of: datetime.date, country=None) -> Computed:
    agreements = selectors.agreements_with_history(
        Agreement.objects.filter(event__start__lt=end_of(as_of))
    ).order_by("event__start", "sequence")
    return _fulfilled_on(agreement_history(agreements), as_of, keep_records=True)


agreements_fulfilled.many = _agreements_fulfilled_many


class MeetingFacts(NamedTuple):
    """What the rule of 4.3b asks of each meeting, worked out once for any
    number of dates: its local day and the member countries on that day."""

    days: dict[int, datetime.date]
    members: dict[int, frozenset[int]]


def meeting_facts(meetings, countries) -> MeetingFacts:
    days = {m.pk: m.local_date for m in meetings}  # in the site's time zone
    members = {
        m.pk: frozenset(c.pk for c in selectors.members_on(countries, days[m.pk])) for m in meetings
    }
    return MeetingFacts(days, members)


def participation_counts(
    meetings, presences, countries, day, country=None, *, facts: MeetingFacts | None = None
) -> tuple[list, int]:
    """The rule of indicator 4.3b on `day`: the presences that count (a
    member country present at a meeting held by then) and the possible ones
    (meetings × member countries on each meeting's date), for the region or
    one `country`. The accountability report counts a term's meetings with
    it (passing only those meetings). `facts`: `meeting_facts(meetings,
    countries)`, when the caller asks about several dates."""
    facts = facts if facts is not None else meeting_facts(meetings, countries)
    members_at = {pk: facts.members[pk] for pk, held_on in facts.days.items() if held_on <= day}
    # A presence counts when the country was a member on the day of the meeting.
    counted = [
        p
        for p in presences
        if p.event_id in members_at
        and p.country_id in members_at[p.event_id]
        and (country is None or p.country_id == country.pk)
    ]
    if country is None:
        possible = sum(len(members) for members in members_at.values())
    else:
        possible = sum(1 for members in members_at.values() if country.pk in members)
    return counted, possible


def _participation_on(
    meetings, presences, countries, day, country, *, keep_records, facts=None
) -> Computed:
    facts = facts if facts is not None else meeting_facts(meetings, countries)
    counted, possible = participation_counts(
        meetings, presences, countries, day, country, facts=facts
    )
    figures = []
    if wants_figures():
        held = sum(1 for held_on in facts.days.values() if held_on <= day)
        figures = [
            (_("Meetings held"), formats.number_format(held)),
            (
                _("Possible presences (meetings × member countries)"),
                formats.number_format(possible),
            ),
            (_("Participation rate"), _percent(len(counted), possible)),
        ]
    return Computed(
        value=Decimal(len(counted)), records=counted if keep_records else [], figures=figures
    )


def _meeting_participation_many(*, indicator, dates, country=None) -> list[Computed]:
    """One value per date from one light reading of the presences (pairs of
    ids, no model instances); the records are the drill-down's business."""
    if not dates:
        return []
    meetings, countries = _meetings_and_countries(max(dates))
    presences = [
        _Presence(event_id, country_id)
        for event_id, country_id in Attendance.objects.filter(
            event__in=meetings, status__in=PRESENT_STATUSES
        ).values_list("event_id", "country_id")
    ]
    facts = meeting_facts(meetings, countries)
    return [
        _participation_on(
            meetings, presences, countries, day, country, keep_records=False, facts=facts
        )
        for day in dates
    ]


class _Presence(NamedTuple):
    event_id: int
    country_id: int


def _meetings_and_countries(until: datetime.date) -> tuple[list, list]:
    meetings = list(
        Event.objects.filter(
            kind__in=Event.MEETING_KINDS,
            status=Event.Status.HELD,
            start__lt=end_of(until),
        )
        .order_by("start")
        .only("pk", "start")  # the rule asks only when each was held
    )
    return meetings, list(Country.objects.all())


@register("meeting_participation")
def meeting_participation(*, indicator, as_of: datetime.date, country=None) -> Computed:
    meetings, countries = _meetings_and_countries(as_of)
    presences = list(
        Attendance.objects.filter(event__in=meetings, status__in=PRESENT_STATUSES)
        .select_related("event", "country")
        .order_by("event__start", "country__name")
    )
    return _participation_on(meetings, presences, countries, as_of, country, keep_records=True)


meeting_participation.many = _meeting_participation_many
