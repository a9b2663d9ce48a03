"""Meetings (issue 5): the agreements list, the calendar and an event's page
as a focal point sees them, indicators 4.3a and 4.3b as the monitoring
matrix asks for them, and the PDF of a meeting's minutes.

The dataset is seeded here, through `coalicion.meetings.actions` (every rule
of the module holds), in a database that holds the synthetic monitoring
dataset (`seed_synthetic`) and has no synthetic meetings yet: one ordinary
meeting a quarter for as many years as the plan has operating plans (the
`--years` of the seed), from the plan's first year — or, when that would
reach today, the last ones before today, so that every meeting has happened
and every follow-up entry is dated in the past. Each meeting has
its full attendance register (the nine member countries, six to eight
present), a verification of quorum, an approved agenda, three decisions (two
by consensus, one by vote), eight agreements with zero to three follow-up
entries each (half of the agreements end fulfilled) and its minutes, drafted
and circulated; each meeting approves the previous one's minutes, which
renders and stores their PDF, so every meeting's minutes but the last are
approved. Elsewhere (a database without the synthetic dataset, e.g. with
`--no-seed`) the meetings found are measured as they are.
"""

import atexit
import datetime
import heapq
import os
import random
import shutil
import tempfile

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Max
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse
from django.utils import timezone, translation

from bench import Context, Measured, Skip, measurement, time_it
from bench.measurements.monitoring import internal_user

TITLE = "Reunión ordinaria sintética %(number)s"
TITLE_EN = "Synthetic ordinary meeting %(number)s"
TITLE_MARK = "Reunión ordinaria sintética"
CITY = "Ciudad sintética"
SECRETARIAT_EMAIL = "bench.secretariat@synthetic.invalid"
MEETINGS_PER_YEAR = 4
MEETING_MONTHS = (2, 5, 8, 11)  # the 10th of each, 09:00–17:00 local time
AGREEMENTS_PER_MEETING = 8
FULFILLED_PER_MEETING = 4  # half of the agreements
FOLLOW_UP_COUNTS = (0, 0, 1, 1, 2, 2, 3, 3)  # shuffled per meeting
SEED = 2018


def _delegate(country, role: str):
    """A synthetic person of `country` named in the register."""
    from coalicion.membership.models import Person

    person, _created = Person.objects.get_or_create(
        country=country, given_name="Delegación", family_name=f"{role} (sintética)"
    )
    return person


def _rng(*parts) -> random.Random:
    # Synthetic data, not security: the same numbers on every machine.
    return random.Random("-".join(str(part) for part in parts))  # noqa: S311  # nosec B311


def _aware(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def meeting_days(*, count: int, first_year: int, before: datetime.date) -> list[datetime.date]:
    """`count` quarterly meeting days from the start of `first_year`, or, when
    they would reach `before`, the last `count` ones strictly before it."""
    per_year = len(MEETING_MONTHS)
    days = [
        datetime.date(first_year + index // per_year, MEETING_MONTHS[index % per_year], 10)
        for index in range(count)
    ]
    if days[-1] < before:
        return days
    days = []
    year = before.year
    while len(days) < count:
        for month in reversed(MEETING_MONTHS):
            day = datetime.date(year, month, 10)
            if day < before and len(days) < count:
                days.append(day)
        year -= 1
    return list(reversed(days))


def synthetic_meetings():
    from coalicion.meetings.models import Event

    return Event.objects.filter(kind=Event.Kind.ORDINARY, title__startswith=TITLE_MARK)


def secretariat_user():
    """Who records the synthetic meetings (the actions need a user; they do
    not check permissions, the views do)."""
    from coalicion.accounts.models import User

    user = User.objects.filter(email=SECRETARIAT_EMAIL).first()
    return user or User.objects.create_user(email=SECRETARIAT_EMAIL)


class Seeder:
    """Builds the synthetic meetings one after the other through the actions,
    adding each follow-up entry before the first meeting held after its date
    (so that the agreements a meeting carries over are those open then)."""

    def __init__(self, *, as_of: datetime.date):
        from coalicion.membership.models import Organ
        from coalicion.plans.models import WorkingCommittee

        self.as_of = as_of
        self.user = secretariat_user()
        self.secretariat = Organ.objects.filter(code="secretariat").first()
        self.committee = WorkingCommittee.objects.order_by("pk").first()
        self.pending: list[tuple] = []  # heap of (date, order, agreement pk, status, text)
        self.order = 0
        self.previous_minutes = None

    def add_follow_ups(self, *, before: datetime.date | None = None) -> int:
        """Record the follow-up entries dated before `before` (all if None)."""
        from coalicion.meetings.actions.agreements import add_follow_up
        from coalicion.meetings.models import Agreement

        added = 0
        while self.pending and (before is None or self.pending[0][0] < before):
            day, _order, agreement_pk, status, text = heapq.heappop(self.pending)
            add_follow_up(
                actor=self.user,
                agreement=Agreement.objects.get(pk=agreement_pk),
                date=day,
                text=text,
                status=status,
                by_secretariat=True,
            )
            added += 1
        return added

    def meeting(self, *, number: int, day: datetime.date, approve_previous: bool = True):
        """One held meeting with its register, quorum, agenda, decisions,
        agreements (their follow-up queued) and circulated minutes."""
        from coalicion.meetings import selectors
        from coalicion.meetings.actions.agenda import approve_agenda
        from coalicion.meetings.actions.agreements import create_agreement
        from coalicion.meetings.actions.attendance import record_attendance, verify_quorum
        from coalicion.meetings.actions.decisions import (
            record_decision,
            record_objection,
            record_tally,
        )
        from coalicion.meetings.actions.events import convene_event, create_event
        from coalicion.meetings.actions.minutes import (
            approve_minutes,
            circulate_minutes,
            draft_minutes,
        )
        from coalicion.meetings.models import Attendance, Decision, Objection

        rng = _rng(SEED, "meeting", number)
        self.add_follow_ups(before=day)
        members = selectors.member_countries(day)
        host = members[number % len(members)]
        event = create_event(
            actor=self.user,
            kind="ordinary",
            number=number,
            title=TITLE % {"number": number},
            title_en=TITLE_EN % {"number": number},
            description="Reunión sintética para medir el rendimiento.",
            start=_aware(day, 9),
            end=_aware(day, 17),
            country=host,
            city=CITY,
            organiser="Secretaría Técnica (sintética)",
        )
        event = convene_event(actor=self.user, event=event)

        present = set(rng.sample(range(len(members)), rng.randint(6, 8)))
        rows = []
        for index, country in enumerate(members):
            if index in present:
                status = rng.choice(["titular", "titular", "titular", "alternate", "both"])
            else:
                status = rng.choice([Attendance.Status.ABSENT, Attendance.Status.EXCUSED])
            row = {"country": country, "status": status}
            # Whoever the line says is present is named (synthetic delegates).
            if status in ("titular", "both"):
                row["titular"] = _delegate(country, "titular")
            if status in ("alternate", "both"):
                row["alternate"] = _delegate(country, "alternate")
            rows.append(row)
        record_attendance(actor=self.user, event=event, rows=rows)
        verify_quorum(actor=self.user, event=event)
        event = approve_agenda(actor=self.user, event=event)
        if approve_previous and self.previous_minutes is not None:
            approve_minutes(actor=self.user, minutes=self.previous_minutes, at_event=event)

        present_countries = selectors.present_countries(event)
        decisions = []
        for position in range(1, 4):
            vote = position == 3
            decision = record_decision(
                actor=self.user,
                event=event,
                text=f"Decisión sintética {position} de la reunión {number}.",
                method=Decision.Method.VOTE if vote else Decision.Method.CONSENSUS,
                majority=Decision.Majority.SIMPLE if vote else "",
            )
            if vote:
                choices = {
                    country: rng.choice(["yes", "yes", "yes", "no", "abstain"])
                    for country in present_countries
                }
                record_tally(actor=self.user, decision=decision, choices=choices)
            elif position == 2 and number % 3 == 0:
                record_objection(
                    actor=self.user,
                    decision=decision,
                    country=present_countries[0],
                    kind=Objection.Kind.DISSENT,
                    text="Disenso sintético.",
                )
            decisions.append(decision)

        counts = list(FOLLOW_UP_COUNTS)
        rng.shuffle(counts)
        followed = [index for index, count in enumerate(counts) if count]
        fulfilled = set(rng.sample(followed, FULFILLED_PER_MEETING))
        for index in range(AGREEMENTS_PER_MEETING):
            country = members[(number + index) % len(members)]
            responsible = {"responsible_kind": "country", "country": country}
            if index == 6 and self.secretariat is not None:
                responsible = {"responsible_kind": "organ", "organ": self.secretariat}
            if index == 7 and self.committee is not None:
                responsible = {"responsible_kind": "committee", "committee": self.committee}
            agreement = create_agreement(
                actor=self.user,
                event=event,
                text=f"Acuerdo sintético {index + 1} de la reunión {number}: "
                "dar seguimiento a las acciones regionales acordadas.",
                due=day + datetime.timedelta(days=rng.randint(60, 365)),
                decision=decisions[index % len(decisions)],
                **responsible,
            )
            self._queue_follow_ups(agreement, day, counts[index], index in fulfilled, rng)

        minutes = draft_minutes(actor=self.user, event=event)
        minutes = circulate_minutes(actor=self.user, minutes=minutes)
        self.previous_minutes = minutes
        return event

    def _queue_follow_ups(self, agreement, day, count, fulfil, rng) -> None:
        if not count:
            return
        latest = min(day + datetime.timedelta(days=330), self.as_of)
        span = max(0, (latest - day).days - 1)
        dates = sorted(
            min(day + datetime.timedelta(days=1 + rng.randint(0, span)), self.as_of)
            for _ in range(count)
        )
        for position, entry_day in enumerate(dates, start=1):
            if position == count and fulfil:
                status, text = "fulfilled", "Cumplido: se entregó la evidencia (sintético)."
            elif position == 1:
                status, text = "in_progress", "En curso: se iniciaron las gestiones (sintético)."
            else:
                status, text = "", "Avance sintético del acuerdo."
            self.order += 1
            heapq.heappush(self.pending, (entry_day, self.order, agreement.pk, status, text))


def _temporary_media() -> str:
    folder = tempfile.mkdtemp(prefix="coalicion-bench-media-")
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder


def seed_meetings(*, years: int, first_year: int, as_of: datetime.date) -> str:
    """Seed the synthetic meetings unless they are there (or must not be):
    a line saying what was done."""
    from coalicion.meetings.models import Event
    from coalicion.plans.models import OperatingPlan

    if synthetic_meetings().exists():
        return f"{synthetic_meetings().count()} synthetic meetings already there"
    if settings.PRODUCTION:
        return "production: no synthetic meetings added"
    if not OperatingPlan.objects.filter(name__endswith="(sintético)").exists():
        return "no synthetic dataset in this database: its meetings are measured as they are"
    count = years * MEETINGS_PER_YEAR
    days = meeting_days(count=count, first_year=first_year, before=as_of)
    first = (
        Event.objects.filter(kind=Event.Kind.ORDINARY).aggregate(m=Max("number"))["m"] or 0
    ) + 1
    # E-mails (convocations...) stay in memory. Approved minutes store their
    # PDF: in MEDIA_ROOT when the environment names one, otherwise in a
    # temporary folder removed when the process ends (as the tests do), never
    # in the working copy's var/media.
    media = os.environ.get("MEDIA_ROOT") or _temporary_media()
    backend = "django.core.mail.backends.locmem.EmailBackend"
    with override_settings(MEDIA_ROOT=media, EMAIL_BACKEND=backend), transaction.atomic():
        seeder = Seeder(as_of=as_of)
        for offset, day in enumerate(days):
            seeder.meeting(number=first + offset, day=day)
        seeder.add_follow_ups()
    return (
        f"seeded {count} synthetic meetings ({days[0]} to {days[-1]}), "
        f"{count * AGREEMENTS_PER_MEETING} agreements"
    )


def _url(name: str, *args) -> str:
    with translation.override("es"):
        return reverse(name, args=args)


def _page(client: Client, url: str):
    def render():
        response = client.get(url)
        if response.status_code != 200:
            raise Skip(f"{url} answered {response.status_code}")
        return response

    return render


def _queries(func) -> int:
    with CaptureQueriesContext(connection) as captured:
        func()
    return len(captured)


def _measure_page(client: Client, url: str, runs: int) -> tuple[float, int]:
    """(median, queries) of a page. One request first: the session
    middleware writes the session at most once a minute, and that write
    must not fall in the counted request."""
    render = _page(client, url)
    render()
    median, queries, _response = time_it(render, runs)
    return median, queries


def agreements_queries_bounded(*, client: Client, url: str, as_of: datetime.date) -> str:
    """The list's query count, then again with one more meeting today, with
    its eight agreements and their follow-up (added through the actions,
    then rolled back): it must not change. Raises AssertionError when it grows."""
    from coalicion.meetings.models import Agreement, Event

    render = _page(client, url)
    before = Agreement.objects.count()
    render()  # no session write in the counted request (see _measure_page)
    queries = _queries(render)
    if settings.PRODUCTION:
        return f"agreements page: {queries} queries with {before} agreements (not grown here)"
    ordinary = Event.objects.filter(kind=Event.Kind.ORDINARY)
    number = (ordinary.aggregate(m=Max("number"))["m"] or 0) + 1
    backend = "django.core.mail.backends.locmem.EmailBackend"
    with override_settings(EMAIL_BACKEND=backend), transaction.atomic():
        seeder = Seeder(as_of=as_of)
        seeder.meeting(number=number, day=as_of, approve_previous=False)
        seeder.add_follow_ups()
        after = Agreement.objects.count()
        render()
        more = _queries(render)
        transaction.set_rollback(True)
    line = f"agreements page: {queries} queries with {before} agreements, {more} with {after}"
    if more != queries:
        raise AssertionError(f"The query count of the agreements page grows: {line}")
    return line


@measurement("meetings")
def meetings(context: Context) -> list[Measured]:
    """Seeds the synthetic meetings; checks that the agreements list's query
    count does not grow with the agreements; times indicators 4.3a and 4.3b
    for every year of the plan, and at the plan's last year against its third."""
    from coalicion.meetings.models import Event
    from coalicion.monitoring import computations
    from coalicion.monitoring.indicators import plan_years
    from coalicion.plans.models import Indicator

    years = max(1, context.plan.operating_plans.count())
    seeded = seed_meetings(years=years, first_year=context.plan.period_start, as_of=context.as_of)
    print(f"# meetings: {seeded}", flush=True)

    last = (
        Event.objects.filter(kind__in=Event.MEETING_KINDS, status=Event.Status.HELD)
        .order_by("-start")
        .first()
    )
    if last is None:
        raise Skip("no meeting held in this database")
    client = Client()
    client.force_login(internal_user())
    # The pages themselves are timed whole in pages.py; here, that the
    # agreements list does not issue more queries with more agreements.
    bounded = agreements_queries_bounded(
        client=client, url=_url("meetings:agreements"), as_of=context.as_of
    )
    print(f"# meetings: {bounded}", flush=True)
    results = []

    # As the matrix asks (monitoring.indicators._computed_years): the value at
    # the end of each year of the plan up to today (today for this year).
    indicators = list(
        Indicator.objects.filter(
            result__objective__axis__plan=context.plan, code__in=["4.3a", "4.3b"]
        ).order_by("code")
    )
    if len(indicators) != 2 or any(not computations.get(i.computation) for i in indicators):
        raise Skip("indicators 4.3a and 4.3b are not both computed in this plan")
    dates = [
        min(datetime.date(year, 12, 31), context.as_of)
        for year in plan_years(context.plan)
        if year <= context.as_of.year
    ]

    def values_at(days):
        return [
            computations.compute_many(indicator=indicator, dates=days) for indicator in indicators
        ]

    median, queries, values = time_it(lambda: values_at(dates), context.runs)
    print(
        "# meetings: 4.3a/4.3b at "
        + ", ".join(
            f"{day.year}: {a.value}/{b.value}"
            for day, a, b in zip(dates, values[0], values[1], strict=True)
        ),
        flush=True,
    )
    results.append(Measured("indicators_43", median, queries, {"dates": len(dates)}))
    # Their cost at one date must not grow with the square of the plan's
    # life: the plan's last year (or today) against its third year.
    if len(dates) >= 3:
        third, _q, _v = time_it(lambda: values_at(dates[2:3]), context.runs)
        last, last_queries, _v = time_it(lambda: values_at(dates[-1:]), context.runs)
        results.append(
            Measured(
                "indicators_43_last_year",
                last,
                last_queries,
                {"ratio": last / third, "third_year_s": third},
            )
        )
    return results
