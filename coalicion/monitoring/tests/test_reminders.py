"""Reminders to the people responsible for activities without a submitted report."""

import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from coalicion.monitoring import actions
from coalicion.monitoring.models import ReportingPeriod
from coalicion.monitoring.notices import send_report_reminders as queue_reminders
from coalicion.notifications.sending import send_pending
from coalicion.plans.models import Activity, Responsible

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def gt_activity(poa, terms):
    activity = Activity.objects.get(objective__operating_plan=poa, code="1.2-1")
    Responsible.objects.create(activity=activity, kind="country", country=terms["GT"])
    return activity


@pytest.fixture(autouse=True)
def activities_reported_as_a_whole(poa):
    """These tests are about activities reported as a whole: the responsible
    party "national bodies" is removed so that no activity is shared
    (countries' parts are reminded in test_shared_activities)."""
    Responsible.objects.filter(
        activity__objective__operating_plan=poa, kind="national_bodies"
    ).delete()


def send_report_reminders(**kwargs):
    """Queue the reminders, then let the outbox send them (a job does it once
    the action commits; a test's transaction never commits)."""
    run = queue_reminders(**kwargs)
    send_pending()
    return run


def to(address):
    return [m for m in mail.outbox if m.to == [address]]


def test_focal_points_get_the_activities_they_have_not_reported(
    users, periods, cr_activity, validated_report
):
    validated_report(cr_activity, periods[1], 50)

    send_report_reminders(period=periods[0])
    send_report_reminders(period=periods[1])

    (message,) = to("focal.cr@test.invalid")  # only for the first quarter
    assert "2018 T1" in message.subject
    assert "3.1.1-1" in message.body
    assert cr_activity.statement[:40] in message.body
    assert "/es/monitoring/reports/" in message.body
    assert to("focal.gt@test.invalid") == []


def test_organs_are_reminded_through_the_country_holding_them_and_the_secretariat_gets_a_summary(
    users, poa, periods, cr_activity
):
    run = send_report_reminders(period=periods[0])

    presidency = to("presidency@test.invalid")
    assert len(presidency) == 1
    # 3.1.1-1 names the Presidency; 1.1-1 is a committee's (without members here).
    assert "- 3.1.1-1:" in presidency[0].body and "- 1.1-1:" not in presidency[0].body
    summaries = [r for r in run.reminders if r.summary]
    assert [r.email for r in summaries] == ["secretariat@test.invalid"]
    summary = next(m for m in to("secretariat@test.invalid") if "- 1.1-1:" in m.body)
    due = Activity.objects.filter(objective__operating_plan=poa, cancelled=False).count()
    assert len(summaries[0].items) == due
    assert "/es/monitoring/completeness/" in summary.body


def test_reminders_are_written_in_the_language_of_the_recipient(
    settings, users, periods, cr_activity, gt_activity
):
    guatemala = users["focal_point_other"].person.country
    guatemala.language = "en"  # plan data: the language its people read
    guatemala.save()

    send_report_reminders(period=periods[0])

    (english,) = to("focal.gt@test.invalid")
    (spanish,) = to("focal.cr@test.invalid")
    assert gt_activity.statement_en[:40] in english.body
    assert gt_activity.statement[:40] not in english.body
    assert "/en/monitoring/reports/" in english.body
    assert cr_activity.statement[:40] in spanish.body
    assert "/es/monitoring/reports/" in spanish.body


def test_a_dry_run_sends_nothing_and_says_what_it_would_send(users, periods, cr_activity):
    out = StringIO()

    call_command("send_report_reminders", "--period", periods[0].pk, "--dry-run", stdout=out)

    assert mail.outbox == []
    assert "would send reminder (es) to" in out.getvalue()
    assert "focal.cr@test.invalid" in out.getvalue()
    assert "3.1.1-1" in out.getvalue()
    # Nothing was remembered either: a real run afterwards sends.
    call_command("send_report_reminders", "--period", periods[0].pk, stdout=StringIO())
    assert to("focal.cr@test.invalid")


def test_each_reminder_goes_once_a_day(users, periods, cr_activity):
    first = send_report_reminders(period=periods[0])
    sent = len(mail.outbox)

    second = send_report_reminders(period=periods[0])

    assert sent == len(first.sent) > 0
    assert len(mail.outbox) == sent
    assert second.sent == []
    assert all(r.already_sent for r in second.reminders)
    third = send_report_reminders(
        period=periods[0], today=datetime.date.today() + datetime.timedelta(days=1)
    )
    assert len(third.sent) == sent


def test_submitted_reports_are_not_reminded(users, periods, cr_activity):
    actions.save_report(
        actor=users["focal_point"],
        activity=cr_activity,
        period=periods[0],
        percent=30,
        narrative="Hecho",
        submit=True,
    )

    send_report_reminders(period=periods[0])

    assert to("focal.cr@test.invalid") == []


def test_drafts_and_returned_reports_are_still_reminded(users, periods, cr_activity):
    actions.save_report(
        actor=users["focal_point"],
        activity=cr_activity,
        period=periods[0],
        percent=30,
        narrative="",
    )

    send_report_reminders(period=periods[0])

    assert len(to("focal.cr@test.invalid")) == 1


def test_closed_periods_and_periods_not_ended_are_skipped(users, periods, cr_activity, poa):
    for period in periods:
        actions.close_period(actor=None, period=period)
    future = ReportingPeriod.objects.create(
        operating_plan=poa,
        number=9,
        start=datetime.date.today(),
        end=datetime.date.today() + datetime.timedelta(days=30),
        due=datetime.date.today() + datetime.timedelta(days=45),
    )
    out = StringIO()

    call_command("send_report_reminders", stdout=out)
    call_command("send_report_reminders", "--period", future.pk, stdout=out)

    assert mail.outbox == []
    assert "No open period has ended" in out.getvalue()
    assert "not ended yet" in out.getvalue()


def test_people_whose_representation_ended_are_not_reminded(
    make_user, terms, users, periods, cr_activity
):
    make_user(
        "former.cr@test.invalid",
        country=terms["CR"],
        start=datetime.date(2015, 1, 1),
        end=datetime.date(2019, 12, 31),
    )

    send_report_reminders(period=periods[0])

    assert to("former.cr@test.invalid") == []
    assert to("focal.cr@test.invalid")


def url(name):
    with translation.override("es"):
        return reverse(f"monitoring:{name}")


def test_the_secretariat_sends_reminders_from_the_completeness_page(
    client, users, periods, cr_activity, settings, django_capture_on_commit_callbacks
):
    client.force_login(users["secretariat"])

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("completeness"), {"year": "2018", "period": periods[0].pk})

    assert response.status_code == 302
    assert response["Location"].endswith(f"?year=2018&period={periods[0].pk}")
    assert to("focal.cr@test.invalid")
    assert settings.SITE_URL + "/es/monitoring/reports/" in to("focal.cr@test.invalid")[0].body


@pytest.mark.parametrize("role", ["focal_point", "presidency", "observer"])
def test_only_the_secretariat_sends_reminders(client, users, periods, cr_activity, role):
    client.force_login(users[role])

    response = client.post(url("completeness"), {"period": periods[0].pk})

    assert response.status_code == 403
    assert mail.outbox == []
