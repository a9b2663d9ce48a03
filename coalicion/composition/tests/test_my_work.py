""" "My work": the page after sign-in, what is each person's to do now."""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from coalicion.monitoring import actions as monitoring_actions
from coalicion.monitoring import selectors as monitoring_selectors
from coalicion.monitoring.models import ProgressReport, ReportingPeriod, ReportStatus
from tests.test_permission_matrix import fixtures  # noqa: F401 (a fixture)

ROLES = ["observer", "focal_point", "focal_point_other", "presidency", "secretariat"]


def my_work_url():
    with translation.override("en"):
        return reverse("my_work")


@pytest.fixture(autouse=True)
def overdue_agreement(request):
    """Costa Rica's agreement was due a week ago."""
    if "fixtures" not in request.fixturenames:
        return
    from django.utils import timezone

    from coalicion.meetings.models import Agreement

    agreement = request.getfixturevalue("fixtures")["agreement"]
    Agreement.objects.filter(pk=agreement.pk).update(
        due=timezone.localdate() - datetime.timedelta(days=7)
    )


@pytest.fixture
def periods(fixtures):  # noqa: F811
    poa = fixtures["period"].operating_plan
    return list(poa.periods.order_by("number"))


def test_a_person_lands_on_my_work_after_signing_in(client, users):
    response = client.post(
        reverse("account_login"), {"login": "focal.cr@test.invalid", "password": "x"}
    )
    assert response.status_code == 200  # wrong password: the form again
    from conftest import TEST_PASSWORD

    response = client.post(
        reverse("account_login"), {"login": "focal.cr@test.invalid", "password": TEST_PASSWORD}
    )
    assert response["Location"] == reverse("my_work")


def test_anonymous_visitors_are_sent_to_sign_in(client, db):
    response = client.get(my_work_url())
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_a_focal_point_sees_their_countrys_reports_and_agreements(
    client_as,
    fixtures,  # noqa: F811
    english,
):
    page = client_as("focal_point").get(my_work_url()).content.decode()
    shared = fixtures["shared_activity"]
    period = fixtures["period"]
    part = reverse("monitoring:report_part", args=[period.pk, shared.pk, "CR"])
    assert part in page
    assert "part of Costa Rica" in page
    assert fixtures["agreement"].get_absolute_url() in page
    assert "Overdue" in page  # the agreement's due date has passed
    minutes = reverse("meetings:minutes", args=[fixtures["minutes"].pk])
    assert minutes in page  # circulated for comment


def test_a_returned_report_comes_first(client_as, fixtures, english):  # noqa: F811
    report = fixtures["report"]
    report.status = ReportStatus.RETURNED
    report.save()
    page = client_as("focal_point").get(my_work_url()).content.decode()
    first = page.index("Returned by the Secretariat")
    assert first < page.index("Not started")


def test_another_countrys_focal_point_does_not_see_costa_ricas_work(
    client_as,
    fixtures,  # noqa: F811
    english,
):
    page = client_as("focal_point_other").get(my_work_url()).content.decode()
    assert "part of Costa Rica" not in page
    assert "part of Guatemala" in page
    assert fixtures["agreement"].get_absolute_url() not in page


def test_the_secretariat_sees_what_waits_for_validation(client_as, fixtures, english):  # noqa: F811
    page = client_as("secretariat").get(my_work_url()).content.decode()
    assert "1 progress report waiting for validation" in page
    assert "1 indicator value waiting for validation" in page
    assert reverse("monitoring:review_queue") in page
    assert "Close the period" in page  # 2018's periods are long past due
    assert "reports late" in page
    # The agreement is overdue: the Secretariat follows it.
    assert fixtures["agreement"].get_absolute_url() in page
    # Meeting 13 was held without minutes.
    assert reverse("meetings:minutes_create", args=[fixtures["next_meeting"].pk]) in page


def test_the_presidency_sees_decisions_and_meetings_to_run(
    client_as,
    fixtures,  # noqa: F811
    english,
):
    from coalicion.meetings.actions.decisions import record_decision

    pending = record_decision(
        actor=fixtures["users"]["secretariat"],
        event=fixtures["meeting"],
        text="Aprobar el informe",
        method="vote",
        majority="simple",
    )
    page = client_as("presidency").get(my_work_url()).content.decode()
    assert pending.get_absolute_url() in page


def test_an_observer_sees_no_reports_to_make(client_as, fixtures, english):  # noqa: F811
    page = client_as("observer").get(my_work_url()).content.decode()
    assert "Reports to make" not in page
    assert "reports waiting" not in page
    assert "Public documents" in page and reverse("legal:framework") in page


@pytest.mark.parametrize("role", ROLES)
def test_my_work_issues_a_bounded_number_of_queries(
    role,
    client_as,
    fixtures,  # noqa: F811
    periods,
    django_assert_max_num_queries,
):
    """The same bound with one report as with a report per activity and
    period: the sections read in a fixed number of queries."""
    client = client_as(role)
    client.get(my_work_url())  # the session and the footer's countries
    with django_assert_max_num_queries(30):
        assert client.get(my_work_url()).status_code == 200
    for period in periods:
        for row in monitoring_selectors.expected_reports(periods=[period])[:40]:
            ProgressReport.objects.get_or_create(
                activity=row.activity,
                period=period,
                country=row.country,
                defaults={"percent": 50, "status": ReportStatus.SUBMITTED},
            )
    with django_assert_max_num_queries(30):
        assert client.get(my_work_url()).status_code == 200


# --- "My reports" opens on the current period ------------------------------------


def test_my_reports_opens_on_the_period_being_reported(plan):
    poa = plan.operating_plans.get(year=2018)
    periods = monitoring_actions.create_quarterly_periods(operating_plan=poa)
    periods = list(ReportingPeriod.objects.filter(operating_plan=poa).order_by("number"))
    current = monitoring_selectors.current_period
    # Reports of the first quarter are being made (due 15 April).
    assert current(periods, datetime.date(2018, 4, 10)).number == 1
    # After they are due, the quarter that contains the day.
    assert current(periods, datetime.date(2018, 5, 10)).number == 2
    # Long after the POA, the last period that is still open.
    assert current(periods, datetime.date(2026, 12, 1)).number == 4
    monitoring_actions.close_period(actor=None, period=periods[3])
    periods[3].refresh_from_db()
    assert current(periods, datetime.date(2026, 12, 1)).number == 3
