"""Reporting periods: creating, closing, reopening (audited), and the page."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from coalicion.audit.models import AuditEvent
from coalicion.monitoring import actions
from coalicion.monitoring.models import ReportingPeriod


@pytest.fixture(autouse=True)
def messages_in_english():
    """The functions under test are called outside a request: their messages
    come in the default language (Spanish) unless English is active."""
    with translation.override("en"):
        yield


pytestmark = pytest.mark.django_db

MAX_QUERIES = 12


def url(name, *args):
    with translation.override("es"):
        from django.urls import reverse

        return reverse(f"monitoring:{name}", args=args)


def test_secretariat_creates_the_quarterly_periods_of_a_poa_only_once(client, users, poa):
    client.force_login(users["secretariat"])

    first = client.post(url("create_periods", 2018))
    second = client.post(url("create_periods", 2018))

    assert first.status_code == second.status_code == 302
    periods = ReportingPeriod.objects.filter(operating_plan=poa).order_by("number")
    assert [(p.number, p.start.isoformat(), p.end.isoformat()) for p in periods] == [
        (1, "2018-01-01", "2018-03-31"),
        (2, "2018-04-01", "2018-06-30"),
        (3, "2018-07-01", "2018-09-30"),
        (4, "2018-10-01", "2018-12-31"),
    ]


def test_creating_periods_of_an_unknown_year_is_not_found(client, users, poa):
    client.force_login(users["secretariat"])

    assert client.post(url("create_periods", 1999)).status_code == 404


def test_a_closed_period_makes_save_report_refuse(client, users, periods, cr_activity):
    client.force_login(users["secretariat"])

    response = client.post(url("close_period", periods[0].pk))

    assert response.status_code == 302
    periods[0].refresh_from_db()
    assert periods[0].is_closed
    with translation.override("en"), pytest.raises(ValidationError, match="closed"):
        actions.save_report(
            actor=users["focal_point"],
            activity=cr_activity,
            period=periods[0],
            percent=Decimal(10),
            narrative="",
        )


def test_reopening_without_a_reason_is_refused_with_a_message(client, users, periods):
    actions.close_period(actor=None, period=periods[0])
    client.force_login(users["secretariat"])

    response = client.post(url("reopen_period", periods[0].pk), {"reason": "   "}, follow=True)

    periods[0].refresh_from_db()
    assert periods[0].is_closed
    assert "Indique por qué" in response.content.decode() or "Say why" in response.content.decode()
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.PERIOD_REOPENED).exists()


def test_reopening_with_a_reason_opens_the_period_and_is_in_the_audit_log(
    client, users, periods, cr_activity
):
    actions.close_period(actor=None, period=periods[0])
    client.force_login(users["secretariat"])

    client.post(url("reopen_period", periods[0].pk), {"reason": "Informe de Costa Rica tardío"})

    periods[0].refresh_from_db()
    assert not periods[0].is_closed
    event = AuditEvent.objects.get(action=AuditEvent.Action.PERIOD_REOPENED)
    assert event.user == users["secretariat"]
    assert event.detail == {"reason": "Informe de Costa Rica tardío"}
    assert event.target == str(periods[0])
    # Open again: reports can be saved.
    actions.save_report(
        actor=users["focal_point"],
        activity=cr_activity,
        period=periods[0],
        percent=Decimal(10),
        narrative="",
    )


def test_period_actions_accept_only_post(client, users, periods):
    client.force_login(users["secretariat"])

    assert client.get(url("close_period", periods[0].pk)).status_code == 405
    assert client.get(url("reopen_period", periods[0].pk)).status_code == 405
    assert client.get(url("create_periods", 2018)).status_code == 405
    assert client.get(url("copy_forward", 2018)).status_code == 405


def test_periods_page_lists_each_poa_with_its_periods_and_report_counts(
    client, users, periods, cr_activity, validated_report, django_assert_max_num_queries
):
    validated_report(cr_activity, periods[0], 40)
    actions.close_period(actor=None, period=periods[1])
    client.force_login(users["secretariat"])

    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(url("periods"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Plan Operativo Anual 2018" in html
    for period in periods:
        assert str(period) in html
    assert "Cerrado" in html or "Closed" in html
    assert f'action="{url("reopen_period", periods[1].pk)}"' in html
    assert f'action="{url("close_period", periods[0].pk)}"' in html
    assert f'action="{url("copy_forward", 2018)}"' in html


@pytest.mark.parametrize("role", ["observer", "focal_point", "presidency"])
def test_only_the_secretariat_manages_periods(client, users, periods, role):
    client.force_login(users[role])

    assert client.get(url("periods")).status_code == 403
    assert client.post(url("close_period", periods[0].pk)).status_code == 403
    assert client.post(url("create_periods", 2018)).status_code == 403
    periods[0].refresh_from_db()
    assert not periods[0].is_closed


def test_anonymous_visitors_are_sent_to_sign_in(client, periods):
    response = client.get(url("periods"))

    assert response.status_code == 302
    assert "login" in response["Location"] or "entrar" in response["Location"]
