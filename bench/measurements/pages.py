"""What users wait for (issue 13): whole HTTP responses through the test
client, as the role that uses each page, with the cache of computed figures
emptied before every call (so every call computes its figures: the figures a
user meets after a write).

`matrix` is the monitoring matrix page for a focal point; its `ratio` is its
median ÷ that of `matrix_page_sql`, the hand-written statements computing
what the page shows (MATRIX_SQL for every execution figure, INDICATOR_SQL for
every validated indicator value up to the date). Before timing, the roll-up
must agree with MATRIX_SQL and the page must show the POA's figure.

`dashboard` is the dashboard page plus every chart it asks the browser to
load (the URLs found in the page), as one user's wait; `charts` counts them.

`matrix_cached` and `dashboard_cached` are the same pages as the next user
finds them when nothing was written since: figures from the cache.
"""

import datetime
import re

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
    from coalicion.plans.models import Indicator

    url = _url("monitoring:matrix")
    page = _whole(client, url, context.runs, "matrix")

    def by_sql():
        return (
            matrix_by_sql(plan=context.plan, as_of=context.as_of),
            indicator_values_by_sql(plan=context.plan, as_of=context.as_of),
        )

    sql_median, sql_queries, (figures, _values) = time_it(by_sql, context.runs)
    trees = rollup.execution_trees(
        poas=selectors.operating_plans(plan=context.plan), as_of=context.as_of
    )
    check_same_figures(trees, figures)
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
