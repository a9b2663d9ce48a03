"""What users wait for (issue 13): whole HTTP responses through the test
client, as the role that uses each page, with the cache of computed figures
emptied before every call (so every call computes its figures: the figures a
user meets after a write).

`matrix` is the monitoring matrix page for a focal point; its `ratio` is its
median ÷ that of `matrix_page_sql`, the hand-written statements computing
what the page shows (MATRIX_SQL for every execution figure, INDICATOR_SQL for
every validated indicator value up to the date, COMPUTED_SQL for every
computed indicator's value on each date the page shows, from the registers).
Before timing, the roll-up must agree with MATRIX_SQL, the indicators with
COMPUTED_SQL, and the page must show the POA's figure.

`dashboard` is the dashboard page plus every chart it asks the browser to
load (the URLs found in the page), as one user's wait; `charts` counts them.

`matrix_cached` and `dashboard_cached` are the same pages as the next user
finds them when nothing was written since: figures from the cache.
"""

import datetime
import re
from decimal import Decimal

from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import formats, timezone, translation

from bench import Context, Measured, Skip, measurement, time_it
from bench.measurements.monitoring import (
    check_same_figures,
    internal_user,
    matrix_by_sql,
)

SECRETARIAT_EMAIL = "bench.secretariat.page@synthetic.invalid"

# Every validated value of the plan's indicators known by the date, latest
# review first within an (indicator, year, country): what the matrix's
# indicator table and its yearly series read.
INDICATOR_SQL = """
SELECT v.indicator_id, v.year, v.country_id, v.value, v.stage_id
FROM monitoring_indicatorvalue v
JOIN plans_indicator i ON i.id = v.indicator_id
JOIN plans_result r ON r.id = i.result_id
JOIN plans_strategicobjective s ON s.id = r.objective_id
JOIN plans_axis a ON a.id = s.axis_id
WHERE a.plan_id = %(plan)s AND v.status = %(validated)s
  AND v.year <= %(year)s AND v.reviewed_at < %(known_before)s
ORDER BY v.indicator_id, v.year, v.country_id
"""


# The value of every computed indicator of the plan (SPEC §7) on each date
# the page shows (each year's end up to the date, and the date), straight
# from the registers: the stage reached by the regional instrument of the
# indicator's type; national instruments (or their countries) at a stage or
# beyond; replications between member countries; alliances and joint
# actions with regional spaces; agreements fulfilled (the latest status
# follow-up by then); presences of member countries in the meetings held.
# `dates` is a VALUES list of (day, first moment after it); {local_day} is
# a meeting's day in the site's time zone, written per database.
COMPUTED_SQL = """
WITH dates(d, before) AS (VALUES {dates}),
staged AS (
    SELECT t.indicator_code AS code, t.scope, i.id AS instrument_id, i.country_id, dt.d,
           s."order" AS stage_order, s.percent, s.name, s.plan_id
    FROM cooperation_instrument i
    JOIN cooperation_instrumenttype t ON t.id = i.type_id
    CROSS JOIN dates dt
    JOIN plans_milestonestage s ON s.id = (
        SELECT c.stage_id FROM cooperation_stagechange c
        WHERE c.instrument_id = i.id AND c.day <= dt.d
        ORDER BY c.day DESC, c.id DESC
        LIMIT 1
    )
    WHERE t.indicator_code <> ''
),
regional AS (
    SELECT st.code, st.d, st.percent, st.name,
           ROW_NUMBER() OVER (
               PARTITION BY st.code, st.d ORDER BY st.stage_order DESC, st.instrument_id
           ) AS place
    FROM staged st
    WHERE st.scope = %(regional)s
),
national AS (
    SELECT st.code, st.d, st.instrument_id, st.country_id, st.stage_order, th.code AS threshold
    FROM staged st
    JOIN plans_milestonestage th ON th.plan_id = st.plan_id AND th."order" <= st.stage_order
    WHERE st.scope = %(national)s
)
SELECT ind.code, dt.d,
    CASE ind.computation
    WHEN 'regional_instrument_stage' THEN (
        SELECT r.percent FROM regional r WHERE r.code = ind.code AND r.d = dt.d AND r.place = 1
    )
    WHEN 'national_instruments_implemented' THEN (
        SELECT COUNT(DISTINCT n.country_id) FROM national n
        WHERE n.code = ind.code AND n.d = dt.d AND n.threshold = %(implemented)s
    )
    WHEN 'national_instruments_approved' THEN (
        SELECT COUNT(DISTINCT n.country_id) FROM national n
        WHERE n.code = ind.code AND n.d = dt.d AND n.threshold = %(approved)s
    )
    WHEN 'national_instruments_by_stage' THEN (
        SELECT COUNT(*) FROM national n
        WHERE n.code = ind.code AND n.d = dt.d AND n.threshold = %(drafted)s
    )
    WHEN 'good_practice_replications' THEN (
        SELECT COUNT(*)
        FROM cooperation_replication r
        JOIN cooperation_goodpractice g ON g.id = r.practice_id
        JOIN membership_country rc ON rc.id = r.country_id
        JOIN membership_country gc ON gc.id = g.country_id
        WHERE r.day <= dt.d AND r.country_id <> g.country_id
          AND (rc.is_member = %(true)s OR rc.member_until IS NOT NULL)
          AND (rc.member_since IS NULL OR rc.member_since <= r.day)
          AND (rc.member_until IS NULL OR rc.member_until >= r.day)
          AND (gc.is_member = %(true)s OR gc.member_until IS NOT NULL)
          AND (gc.member_since IS NULL OR gc.member_since <= r.day)
          AND (gc.member_until IS NULL OR gc.member_until >= r.day)
    )
    WHEN 'alliances' THEN (
        SELECT COUNT(*) FROM cooperation_alliance a
        JOIN cooperation_actor ac ON ac.id = a.actor_id
        WHERE a.start IS NOT NULL AND a.start <= dt.d AND ac.kind = %(regional_space)s
    )
    WHEN 'joint_actions' THEN (
        SELECT COUNT(*) FROM cooperation_jointaction j
        WHERE j.day <= dt.d AND EXISTS (
            SELECT 1 FROM cooperation_jointaction_actors ja
            JOIN cooperation_actor ac ON ac.id = ja.actor_id
            WHERE ja.jointaction_id = j.id AND ac.kind = %(regional_space)s
        )
    )
    WHEN 'agreements_fulfilled' THEN (
        SELECT COUNT(*) FROM meetings_agreement ag
        JOIN meetings_event e ON e.id = ag.event_id
        WHERE e.start < dt.before AND (
            SELECT f.status FROM meetings_followup f
            WHERE f.agreement_id = ag.id AND f.status <> '' AND f.date <= dt.d
            ORDER BY f.date DESC, f.id DESC
            LIMIT 1
        ) = %(fulfilled)s
    )
    WHEN 'meeting_participation' THEN (
        SELECT COUNT(*) FROM meetings_attendance p
        JOIN meetings_event e ON e.id = p.event_id
        JOIN membership_country c ON c.id = p.country_id
        WHERE e.kind IN (%(ordinary)s, %(extraordinary)s) AND e.status = %(held)s
          AND e.start < dt.before AND p.status IN (%(titular)s, %(alternate)s, %(both)s)
          AND (c.is_member = %(true)s OR c.member_until IS NOT NULL)
          AND (c.member_since IS NULL OR c.member_since <= {local_day})
          AND (c.member_until IS NULL OR c.member_until >= {local_day})
    )
    END,
    (SELECT r.name FROM regional r WHERE r.code = ind.code AND r.d = dt.d AND r.place = 1
     AND ind.computation = 'regional_instrument_stage')
FROM plans_indicator ind
JOIN plans_result res ON res.id = ind.result_id
JOIN plans_strategicobjective so ON so.id = res.objective_id
JOIN plans_axis ax ON ax.id = so.axis_id
CROSS JOIN dates dt
WHERE ax.plan_id = %(plan)s AND ind.source = %(computed)s
"""

LOCAL_DAY = {
    # A fixed offset: SQLite knows no time zones (the site's zone, America/
    # Guatemala by default, keeps one offset all year).
    "sqlite": "date(e.start, %(utc_offset)s)",
    "postgresql": "CAST(e.start AT TIME ZONE %(time_zone)s AS DATE)",
}


def computed_dates(plan, as_of: datetime.date) -> list[datetime.date]:
    """The dates the matrix asks each computed indicator about, as the page
    does (`indicators._computed_row`): each year's end up to `as_of`, and `as_of`."""
    years = range(plan.period_start, plan.period_end + 1)
    dates = [min(datetime.date(year, 12, 31), as_of) for year in years if year <= as_of.year]
    if as_of not in dates:
        dates.append(as_of)
    return dates


def computed_values_by_sql(*, plan, as_of: datetime.date) -> dict:
    """{(indicator code, date): (value, stage name)} of every computed indicator."""
    from django.conf import settings

    from coalicion.cooperation import selectors as cooperation
    from coalicion.cooperation.models import Actor, Scope
    from coalicion.core.dates import end_of
    from coalicion.meetings.counting import ALTERNATE, BOTH, TITULAR
    from coalicion.meetings.models import Agreement, Event
    from coalicion.plans.models import Indicator

    ops = connection.ops
    dates = computed_dates(plan, as_of)
    offset = timezone.localtime(end_of(as_of)).utcoffset()
    params = {
        "plan": plan.pk,
        "computed": Indicator.Source.COMPUTED.value,
        "true": True,
        "regional": Scope.REGIONAL.value,
        "national": Scope.NATIONAL.value,
        "implemented": cooperation.IMPLEMENTED,
        "approved": cooperation.APPROVED,
        "drafted": cooperation.DRAFTED,
        "regional_space": Actor.Kind.REGIONAL_SPACE.value,
        "fulfilled": Agreement.Status.FULFILLED.value,
        "ordinary": Event.Kind.ORDINARY.value,
        "extraordinary": Event.Kind.EXTRAORDINARY.value,
        "held": Event.Status.HELD.value,
        "titular": TITULAR,
        "alternate": ALTERNATE,
        "both": BOTH,
        "utc_offset": f"{int(offset.total_seconds() // 60):+d} minutes",
        "time_zone": settings.TIME_ZONE,
    }
    rows = []
    for index, day in enumerate(dates):
        params[f"d{index}"] = ops.adapt_datefield_value(day)
        params[f"b{index}"] = ops.adapt_datetimefield_value(end_of(day))
        rows.append(f"(%(d{index})s, %(b{index})s)")
    if connection.vendor == "postgresql":
        # Typed once, in the first row: VALUES takes its columns' types from it.
        rows[0] = "(CAST(%(d0)s AS DATE), CAST(%(b0)s AS TIMESTAMP WITH TIME ZONE))"
    sql = COMPUTED_SQL.replace("{dates}", ", ".join(rows)).replace(
        "{local_day}", LOCAL_DAY[connection.vendor]
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = cursor.fetchall()
    result = {}
    for code, day, value, stage_name in found:
        day = datetime.date.fromisoformat(day) if isinstance(day, str) else day
        result[(code, day)] = (None if value is None else Decimal(str(value)), stage_name or "")
    return result


def check_same_indicator_values(rows, by_sql: dict, plan, as_of: datetime.date) -> None:
    """The page's computed indicators (`indicator_rows`) and COMPUTED_SQL
    give the same value (and stage) for every year and for the date."""
    dates = computed_dates(plan, as_of)
    for status in rows:
        code = status.indicator.code
        for reading in status.years:
            if reading.year > as_of.year:
                continue
            day = dates[reading.year - plan.period_start]
            expected = (reading.value, reading.stage_name or "")
            if by_sql.get((code, day)) != expected:
                raise AssertionError(
                    f"Indicator {code} on {day}: page {expected}, SQL {by_sql.get((code, day))}"
                )
        if by_sql.get((code, as_of), (None, ""))[0] != status.current:
            raise AssertionError(f"Indicator {code} on {as_of}: page {status.current}")


def _get(client: Client, url: str):
    response = client.get(url)
    if response.status_code != 200:
        raise Skip(f"{url} answered {response.status_code}")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response, body


def _whole(
    client: Client, url: str, runs: int, name: str, *, cached: bool = False, **extra
) -> Measured:
    """One page as a user waits for it: its figures computed afresh, or with
    `cached` as the next user finds them (nothing written since). One
    request first: the session middleware may write the session then, and
    that write must not fall in the counted request."""
    _get(client, url)
    median, queries, (_response, body) = time_it(lambda: _get(client, url), runs, fresh=not cached)
    return Measured(name, median, queries, {"kb": len(body) / 1024, **extra})


def secretariat_user():
    """A representative of the country holding the Secretariat today."""
    from allauth.account.models import EmailAddress

    from coalicion.accounts.models import User
    from coalicion.membership.models import Country, Organ, OrganTerm, Person, Representation

    user = User.objects.filter(email=SECRETARIAT_EMAIL).first()
    if user is not None:
        return user
    today = timezone.localdate()
    term = (
        OrganTerm.objects.filter(organ__code="secretariat", start__lte=today)
        .order_by("-start")
        .first()
    )
    if term is None:
        # The bench's database holds the plan without governance records:
        # a synthetic term for the first member country.
        organ = Organ.objects.filter(code="secretariat").first()
        country = Country.objects.filter(is_member=True).order_by("code").first()
        if organ is None or country is None:
            raise Skip("no Secretariat organ or member country in this database")
        term = OrganTerm.objects.create(
            organ=organ, country=country, start=datetime.date(today.year, 1, 1)
        )
    user = User.objects.create_user(email=SECRETARIAT_EMAIL)
    EmailAddress.objects.create(user=user, email=SECRETARIAT_EMAIL, verified=True, primary=True)
    person = Person.objects.create(
        given_name="Secretaría",
        family_name="Sintética",
        email=SECRETARIAT_EMAIL,
        user=user,
        country=term.country,
    )
    Representation.objects.create(
        person=person, country=term.country, role="titular", start=datetime.date(2018, 1, 1)
    )
    return user


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _url(name: str, *args, query: str = "") -> str:
    with translation.override("es"):
        return reverse(name, args=args) + query


def indicator_values_by_sql(*, plan, as_of: datetime.date) -> list[tuple]:
    known_before = timezone.make_aware(
        datetime.datetime.combine(as_of + datetime.timedelta(days=1), datetime.time.min)
    )
    from coalicion.monitoring.models import ReportStatus

    params = {
        "plan": plan.pk,
        "validated": ReportStatus.VALIDATED.value,
        "year": as_of.year,
        "known_before": connection.ops.adapt_datetimefield_value(known_before),
    }
    with connection.cursor() as cursor:
        cursor.execute(INDICATOR_SQL, params)
        return cursor.fetchall()


def _page_shows_poa_figure(body: bytes, trees, as_of: datetime.date) -> None:
    """The page must show the figure of the POA of the date's year, written
    as the page writes percentages (one decimal, the language's separator)."""
    tree = next((t for t in trees if t.poa.year == as_of.year), None) or trees[-1]
    if tree.progress is None:
        return
    with translation.override("es"):
        text = formats.number_format(round(tree.progress, 1), 1)
    if text not in body.decode():
        raise AssertionError(f"The matrix page does not show the POA's figure {text}.")


def matrix_page(context: Context, client: Client) -> list[Measured]:
    from coalicion.monitoring import computations, rollup, selectors
    from coalicion.monitoring.indicators import indicator_rows
    from coalicion.plans.models import Indicator

    url = _url("monitoring:matrix")
    page = _whole(client, url, context.runs, "matrix")

    def by_sql():
        return (
            matrix_by_sql(plan=context.plan, as_of=context.as_of),
            indicator_values_by_sql(plan=context.plan, as_of=context.as_of),
            computed_values_by_sql(plan=context.plan, as_of=context.as_of),
        )

    sql_median, sql_queries, (figures, _values, computed) = time_it(by_sql, context.runs)
    trees = rollup.execution_trees(
        poas=selectors.operating_plans(plan=context.plan), as_of=context.as_of
    )
    check_same_figures(trees, figures)
    rows = indicator_rows(plan=context.plan, as_of=context.as_of)
    check_same_indicator_values(rows, computed, context.plan, context.as_of)
    _response, body = _get(client, url)
    _page_shows_poa_figure(body, trees, context.as_of)
    live = sum(
        1
        for indicator in Indicator.objects.filter(
            result__objective__axis__plan=context.plan, source="computed"
        )
        if computations.get(indicator.computation) is not None
    )
    page.extra.update({"ratio": page.median_s / sql_median, "live": live})
    cached = _whole(client, url, context.runs, "matrix_cached", cached=True)
    cached.extra["ratio"] = cached.median_s / sql_median
    return [page, cached, Measured("matrix_page_sql", sql_median, sql_queries)]


CHART_URL = re.compile(r"""["'](/es/monitoring/charts/[^"'?#]+\.json[^"']*)["']""")


def dashboard_with_charts(context: Context, client: Client) -> list[Measured]:
    url = _url("monitoring:dashboard")
    _response, body = _get(client, url)
    charts = sorted(set(CHART_URL.findall(body.decode())))

    def everything():
        _get(client, url)
        for chart in charts:
            _get(client, chart.replace("&amp;", "&"))

    everything()
    median, queries, _ = time_it(everything, context.runs)
    cached, cached_queries, _ = time_it(everything, context.runs, fresh=False)
    return [
        Measured("dashboard", median, queries, {"charts": len(charts)}),
        Measured("dashboard_cached", cached, cached_queries, {"charts": len(charts)}),
    ]


def meeting_pages(context: Context, client: Client) -> list[Measured]:
    from coalicion.meetings.models import Event, Minutes

    last = (
        Event.objects.filter(kind__in=Event.MEETING_KINDS, status=Event.Status.HELD)
        .order_by("-start")
        .first()
    )
    if last is None:
        return []
    results = [
        _whole(client, _url("meetings:agreements"), context.runs, "agreements"),
        _whole(client, _url("meetings:calendar"), context.runs, "calendar"),
        _whole(client, _url("meetings:event", last.pk), context.runs, "event"),
        _whole(client, _url("meetings:agenda_pdf", last.pk), context.runs, "agenda_pdf"),
        _whole(client, _url("meetings:archive"), context.runs, "minutes_archive"),
    ]
    minutes = Minutes.objects.filter(event=last, corrects__isnull=True).first()
    if minutes is not None:
        url = _url("meetings:minutes_pdf", minutes.pk)
        results.append(_whole(client, url, context.runs, "minutes_pdf"))
    return results


@measurement("pages")
def pages(context: Context) -> list[Measured]:
    """Every page a user waits for, whole, at this scale."""
    from bench.measurements.cooperation import _seed as seed_cooperation
    from bench.measurements.meetings import seed_meetings

    if context.plan is None:
        raise Skip("no plan loaded")
    years = max(1, context.plan.operating_plans.count())
    seed_meetings(years=years, first_year=context.plan.period_start, as_of=context.as_of)
    seed_cooperation(context.plan)

    focal = _signed_in(internal_user())
    secretariat = _signed_in(secretariat_user())
    anonymous = Client()
    code = context.plan.code
    results = matrix_page(context, focal)
    results.append(_whole(focal, _url("monitoring:matrix_xlsx"), context.runs, "matrix_xlsx"))
    results += dashboard_with_charts(context, focal)
    results.append(_whole(focal, _url("my_work"), context.runs, "my_work_focal"))
    results.append(_whole(secretariat, _url("my_work"), context.runs, "my_work_secretariat"))
    results += meeting_pages(context, focal)
    results.append(_whole(anonymous, _url("plans:plan", code), context.runs, "public_plan"))
    results.append(_whole(anonymous, _url("plans:poa_latest", code), context.runs, "public_poa"))
    return results
