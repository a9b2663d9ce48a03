"""Completeness and timeliness of the reports: the rule, the selector and the page."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from coalicion.monitoring.completeness import (
    NO_PARTY,
    ActivityRow,
    PeriodRow,
    ReportRow,
    completeness,
    tally,
)
from coalicion.monitoring.models import ProgressReport, ReportStatus
from coalicion.plans.models import Activity, Responsible

MAX_QUERIES = 20


def url(name, *args, language="es"):
    with translation.override(language):
        return reverse(f"monitoring:{name}", args=args)


def moment(day: str) -> datetime.datetime:
    return timezone.make_aware(
        datetime.datetime.combine(datetime.date.fromisoformat(day), datetime.time(10))
    )


# --- The pure rule ------------------------------------------------------------------


def test_tally_counts_an_activity_for_each_party_and_each_country_once():
    q1 = PeriodRow(id=1, due=datetime.date(2018, 4, 15))
    both = ActivityRow(id=10, parties=(("country", 1), ("country", 2), ("organ", 7), ("organ", 8)))
    alone = ActivityRow(id=11, parties=())
    reports = {
        (10, 1): ReportRow(status=ReportStatus.VALIDATED, first_submitted_on=q1.due),
        (11, 1): ReportRow(
            status=ReportStatus.RETURNED, first_submitted_on=datetime.date(2018, 4, 16)
        ),
    }

    result = tally(periods=[q1], activities=[both, alone], reports=reports)

    assert (result.total.due, result.total.submitted, result.total.validated) == (2, 2, 1)
    assert result.total.on_time == 1  # the returned one came a day late
    assert result.by_period_country[(1, 1)].due == 1
    assert result.by_period_country[(1, 2)].due == 1
    assert result.by_kind["organ"].due == 1  # two organs, one report
    assert result.by_party[("organ", 7)].validated == 1
    assert result.by_party[NO_PARTY].submitted == 1
    assert result.by_kind[""].on_time == 0


def test_tally_counts_drafts_and_missing_reports_as_not_submitted():
    q1 = PeriodRow(id=1, due=datetime.date(2018, 4, 15))
    activities = [ActivityRow(id=1, parties=()), ActivityRow(id=2, parties=())]
    reports = {(1, 1): ReportRow(status=ReportStatus.DRAFT, first_submitted_on=None)}

    result = tally(periods=[q1], activities=activities, reports=reports)

    assert (result.total.due, result.total.submitted, result.total.on_time) == (2, 0, 0)
    assert result.total.submitted_rate == Decimal(0)


def test_rates_are_none_when_nothing_is_due():
    result = tally(periods=[], activities=[], reports={})

    assert result.total.submitted_rate is None


# --- Worked example on the POA 2018 ---------------------------------------------------


@pytest.fixture
def example(poa, periods, terms, cr_activity, users):
    """A (3.2.1-1): Costa Rica's; B (1.2-1): Costa Rica's and Guatemala's.

    Q1 (due 15 April): A submitted 10 April and validated; B submitted 20 April (late).
    Q2 (due 15 July): A only a draft; B first submitted 10 July, returned, submitted
    again 1 August (on time: the first submission counts).
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
        percent=10,
        status=ReportStatus.SUBMITTED,
        submitted_at=moment("2018-04-20"),
    )
    ProgressReport.objects.create(activity=a, period=q2, percent=40, status=ReportStatus.DRAFT)
    returned = ProgressReport.objects.create(
        activity=b,
        period=q2,
        percent=20,
        status=ReportStatus.SUBMITTED,
        submitted_at=moment("2018-07-10"),
    )
    returned.status = ReportStatus.RETURNED
    returned.save()
    returned.status = ReportStatus.SUBMITTED
    returned.submitted_at = moment("2018-08-01")
    returned.save()
    due = Activity.objects.filter(
        objective__operating_plan=poa, cancelled=False, objective__cancelled=False
    ).count()
    return {"a": a, "b": b, "due": due, "gt": terms["GT"]}


def counts(line):
    c = line.counts
    return (c.due, c.submitted, c.validated, c.on_time)


@pytest.mark.django_db
def test_worked_example_per_period_and_country(poa, periods, example):
    with translation.override("en"):
        result = completeness(operating_plan=poa)

    table = {(str(line.period), line.label): counts(line) for line in result.by_period_country}
    assert table == {
        ("2018 T1", "Costa Rica"): (2, 2, 1, 1),
        ("2018 T1", "Guatemala"): (1, 1, 0, 0),
        ("2018 T2", "Costa Rica"): (2, 1, 0, 1),
        ("2018 T2", "Guatemala"): (1, 1, 0, 1),
        ("2018 T3", "Costa Rica"): (2, 0, 0, 0),
        ("2018 T3", "Guatemala"): (1, 0, 0, 0),
        ("2018 T4", "Costa Rica"): (2, 0, 0, 0),
        ("2018 T4", "Guatemala"): (1, 0, 0, 0),
    }
    per_period = {line.label: counts(line) for line in result.by_period}
    assert per_period["2018 T1"] == (example["due"], 2, 1, 1)
    assert per_period["2018 T2"] == (example["due"], 1, 0, 1)
    assert (result.total.due, result.total.submitted) == (4 * example["due"], 3)


@pytest.mark.django_db
def test_worked_example_per_responsible_party_and_kind(poa, periods, example):
    with translation.override("en"):
        result = completeness(operating_plan=poa)

    parties = {line.label: counts(line) for line in result.by_party}
    assert parties["Costa Rica"] == (8, 3, 1, 2)
    presidency = (
        Activity.objects.filter(
            objective__operating_plan=poa, responsibles__organ__code="presidency"
        )
        .distinct()
        .count()
    )
    assert presidency >= 2
    # Only 3.2.1-1 of the Presidency's activities has a report (Q1).
    assert parties["Presidency"] == (4 * presidency, 1, 1, 1)
    kinds = {line.label: counts(line) for line in result.by_kind}
    assert kinds["Member country"] == (8, 3, 1, 2)
    assert kinds["National body of a country"] == (4, 2, 0, 1)


@pytest.mark.django_db
def test_one_period_can_be_chosen(poa, periods, example):
    with translation.override("en"):
        result = completeness(operating_plan=poa, period=periods[1])

    assert [str(p) for p in result.periods] == ["2018 T2"]
    assert {line.label: counts(line) for line in result.by_period_country} == {
        "Costa Rica": (2, 1, 0, 1),
        "Guatemala": (1, 1, 0, 1),
    }


@pytest.mark.django_db
def test_cancelled_activities_are_not_due(poa, periods, example):
    example["b"].cancelled = True
    example["b"].save()

    result = completeness(operating_plan=poa, period=periods[0])

    assert result.total.due == example["due"] - 1
    assert "Guatemala" not in {line.label for line in result.by_period_country}


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
