"""Completeness and timeliness of the reports: the rule, the selector and the page."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from coalicion.monitoring.completeness import NO_PARTY, PART, DueRow, completeness, tally
from coalicion.monitoring.models import ProgressReport, ReportStatus
from coalicion.plans.models import Activity, Responsible

MAX_QUERIES = 20
TODAY = datetime.date(2026, 1, 1)


def url(name, *args, language="es"):
    with translation.override(language):
        return reverse(f"monitoring:{name}", args=args)


def moment(day: str) -> datetime.datetime:
    return timezone.make_aware(
        datetime.datetime.combine(datetime.date.fromisoformat(day), datetime.time(10))
    )


# --- The pure rule ------------------------------------------------------------------

DUE = datetime.date(2018, 4, 15)


def due(parties=(), countries=(), kinds=(), status=None, first=None, period=1):
    return DueRow(
        period_id=period,
        due=DUE,
        parties=tuple(parties),
        countries=tuple(countries),
        kind_keys=tuple(kinds),
        status=status,
        first_submitted_on=first,
    )


def test_tally_counts_a_report_for_each_party_and_each_country_once():
    whole = due(
        parties=[("country", 1), ("organ", 7), ("organ", 8)],
        countries=[1],
        kinds=["country", "organ", "organ"],
        status=ReportStatus.VALIDATED,
        first=DUE,
    )
    alone = due(status=ReportStatus.RETURNED, first=datetime.date(2018, 4, 16))

    result = tally(rows=[whole, alone], today=TODAY)

    assert (result.total.due, result.total.submitted, result.total.validated) == (2, 2, 1)
    assert result.total.on_time == 1  # the returned one came a day late
    assert result.by_period_country[(1, 1)].due == 1
    assert result.by_kind["organ"].due == 1  # two organs, one report
    assert result.by_party[("organ", 7)].validated == 1
    assert result.by_party[NO_PARTY].submitted == 1
    assert result.by_kind[""].on_time == 0


def test_tally_counts_each_countrys_part_under_that_country():
    parts = [
        due(parties=[("country", c)], countries=[c], kinds=[PART], status=s)
        for c, s in [(1, ReportStatus.SUBMITTED), (2, None), (3, ReportStatus.DRAFT)]
    ]

    result = tally(rows=parts, today=TODAY)

    assert result.by_kind[PART].due == 3
    assert result.by_period_country[(1, 1)].submitted == 1
    assert result.by_period_country[(1, 2)].late == 1  # nothing, and the due date has passed
    assert result.by_period_country[(1, 3)].late == 1  # a draft is not submitted
    assert result.total.late == 2


def test_nothing_is_late_before_the_due_date():
    result = tally(rows=[due()], today=DUE)
    assert result.total.late == 0
    assert tally(rows=[due()], today=DUE + datetime.timedelta(days=1)).total.late == 1


def test_tally_counts_drafts_and_missing_reports_as_not_submitted():
    rows = [due(status=ReportStatus.DRAFT), due()]

    result = tally(rows=rows, today=TODAY)

    assert (result.total.due, result.total.submitted, result.total.on_time) == (2, 0, 0)
    assert result.total.submitted_rate == Decimal(0)


def test_rates_are_none_when_nothing_is_due():
    result = tally(rows=[], today=TODAY)

    assert result.total.submitted_rate is None


# --- Worked example on the POA 2018 ---------------------------------------------------


@pytest.fixture
def example(poa, periods, terms, cr_activity, users):
    """A (3.1.1-1): the Presidency's, the Secretariat's and Costa Rica's, reported
    as a whole. B (1.2-1): Costa Rica's and Guatemala's, so shared: each reports
    its part. The three activities of the national bodies (2.1.2-1, 2.1.3-1,
    3.2.1-1) have a part for each of the nine member countries.

    Q1 (due 15 April): A submitted 10 April and validated; Costa Rica's part of B
    submitted 20 April (late). Q2 (due 15 July): A only a draft; Guatemala's part
    of B first submitted 10 July, returned, submitted again 1 August (on time:
    the first submission counts).

    Due per period: 9 activities reported as a whole, and 3 × 9 + 2 parts = 38.
    """
    a = cr_activity
    b = Activity.objects.get(objective__operating_plan=poa, code="1.2-1")
    Responsible.objects.create(activity=b, kind="country", country=terms["CR"])
    Responsible.objects.create(activity=b, kind="national_body", country=terms["GT"])
    q1, q2 = periods[0], periods[1]
    ProgressReport.objects.create(
        activity=a,
        period=q1,
        percent=30,
        status=ReportStatus.VALIDATED,
        submitted_at=moment("2018-04-10"),
        reviewed_at=moment("2018-04-12"),
    )
    ProgressReport.objects.create(
        activity=b,
        period=q1,
        country=terms["CR"],
        percent=10,
        status=ReportStatus.SUBMITTED,
        submitted_at=moment("2018-04-20"),
    )
    ProgressReport.objects.create(activity=a, period=q2, percent=40, status=ReportStatus.DRAFT)
    returned = ProgressReport.objects.create(
        activity=b,
        period=q2,
        country=terms["GT"],
        percent=20,
        status=ReportStatus.SUBMITTED,
        submitted_at=moment("2018-07-10"),
    )
    returned.status = ReportStatus.RETURNED
    returned.save()
    returned.status = ReportStatus.SUBMITTED
    returned.submitted_at = moment("2018-08-01")
    returned.save()
    return {"a": a, "b": b, "due": 38, "gt": terms["GT"]}


def counts(line):
    c = line.counts
    return (c.due, c.submitted, c.validated, c.on_time)


@pytest.mark.django_db
def test_worked_example_per_period_and_country(poa, periods, example):
    with translation.override("en"):
        result = completeness(operating_plan=poa)

    table = {(str(line.period), line.label): counts(line) for line in result.by_period_country}
    # Costa Rica: A, its part of B and its parts of the three national bodies'
    # activities (5 a period); Guatemala: its part of B and of those three (4);
    # the other members: their parts of those three (3).
    assert table[("2018 T1", "Costa Rica")] == (5, 2, 1, 1)
    assert table[("2018 T1", "Guatemala")] == (4, 0, 0, 0)
    assert table[("2018 T2", "Costa Rica")] == (5, 0, 0, 0)
    assert table[("2018 T2", "Guatemala")] == (4, 1, 0, 1)
    assert table[("2018 T3", "Honduras")] == (3, 0, 0, 0)
    assert len(table) == 4 * 9
    per_period = {line.label: counts(line) for line in result.by_period}
    assert per_period["2018 T1"] == (example["due"], 2, 1, 1)
    assert per_period["2018 T2"] == (example["due"], 1, 0, 1)
    assert (result.total.due, result.total.submitted) == (4 * example["due"], 3)


@pytest.mark.django_db
def test_worked_example_per_responsible_party_and_kind(poa, periods, example):
    with translation.override("en"):
        result = completeness(operating_plan=poa)

    parties = {line.label: counts(line) for line in result.by_party}
    assert parties["Costa Rica"] == (20, 2, 1, 1)
    assert parties["Guatemala"] == (16, 1, 0, 1)
    # Of the Presidency's activities only A is reported as a whole (3.2.1-1,
    # of the national bodies too, is reported by countries' parts).
    assert parties["Presidency"] == (4, 1, 1, 1)
    kinds = {line.label: counts(line) for line in result.by_kind}
    assert kinds["Countries' parts of shared activities"] == (4 * 29, 2, 0, 1)
    assert kinds["Member country"] == (4, 1, 1, 1)


@pytest.mark.django_db
def test_the_late_reports_name_their_country(poa, periods, example, terms):
    result = completeness(operating_plan=poa, period=periods[0])

    late = {(item.activity.code, item.country and item.country.code) for item in result.late}
    assert ("1.2-1", "GT") in late  # Guatemala's part of B: nothing submitted
    assert ("1.2-1", "CR") not in late  # submitted, although late
    assert ("3.1.1-1", None) not in late
    assert len(result.late) == example["due"] - 2


@pytest.mark.django_db
def test_one_period_can_be_chosen(poa, periods, example):
    with translation.override("en"):
        result = completeness(operating_plan=poa, period=periods[1])

    assert [str(p) for p in result.periods] == ["2018 T2"]
    table = {line.label: counts(line) for line in result.by_period_country}
    assert table["Costa Rica"] == (5, 0, 0, 0)
    assert table["Guatemala"] == (4, 1, 0, 1)


@pytest.mark.django_db
def test_cancelled_activities_are_not_due(poa, periods, example):
    example["b"].cancelled = True
    example["b"].save()

    result = completeness(operating_plan=poa, period=periods[0])

    assert result.total.due == example["due"] - 2  # its two parts
    table = {line.label: counts(line) for line in result.by_period_country}
    assert table["Guatemala"] == (3, 0, 0, 0)


@pytest.mark.django_db
def test_a_country_that_joined_after_the_period_owes_no_part(poa, periods, example, terms):
    honduras = terms["HN"]
    honduras.member_since = datetime.date(2018, 5, 1)
    honduras.save()

    result = completeness(operating_plan=poa)

    countries = {(str(line.period), line.label) for line in result.by_period_country}
    assert ("2018 T1", "Honduras") not in countries
    assert ("2018 T2", "Honduras") in countries


@pytest.mark.django_db
def test_completeness_page_shows_localized_rates_in_bounded_queries(
    client, users, poa, periods, example, django_assert_max_num_queries
):
    client.force_login(users["observer"])

    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(url("completeness"), {"year": 2018, "period": periods[0].pk})

    html = response.content.decode()
    assert response.status_code == 200
    rate = Decimal(2) * 100 / example["due"]  # Q1: 2 submitted
    spanish = f"{rate:.1f}".replace(".", ",")
    assert f"({spanish} %)" in html
    assert "Costa Rica" in html and "Guatemala" in html
    assert "Send reminders" not in html and "Enviar recordatorios" not in html

    english = client.get(
        url("completeness", language="en"), {"year": 2018, "period": periods[0].pk}
    )
    assert f"({rate:.1f} %)" in english.content.decode()


@pytest.mark.django_db
def test_completeness_page_queries_do_not_grow_with_the_reports(
    client, users, poa, periods, example, validated_report
):
    client.force_login(users["secretariat"])
    with CaptureQueriesContext(connection) as before:
        client.get(url("completeness"), {"year": 2018})
    for activity in Activity.objects.filter(objective__operating_plan=poa).exclude(
        pk__in=[example["a"].pk, example["b"].pk]
    ):
        validated_report(activity, periods[2], 50)
        Responsible.objects.create(activity=activity, kind="country", country=example["gt"])

    with CaptureQueriesContext(connection) as after:
        response = client.get(url("completeness"), {"year": 2018})

    assert len(after) == len(before)

    assert response.status_code == 200
    assert "Send reminders" in response.content.decode() or "Enviar" in response.content.decode()


@pytest.mark.django_db
def test_bad_choices_get_a_message_and_the_default(client, users, poa, periods, example):
    client.force_login(users["focal_point"])

    response = client.get(url("completeness"), {"year": "abc", "period": "999999"})

    assert response.status_code == 200
    messages = [str(m) for m in response.context["messages"]]
    assert any("abc" in m for m in messages)
    assert response.context["poa"] == poa


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_sign_in(client, poa):
    response = client.get(url("completeness"))

    assert response.status_code == 302
