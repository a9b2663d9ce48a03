"""E-mail notifications through the outbox: who receives each notice, the
texts, the calendar file of a convocation (and of a cancellation), opting
out of the optional notices (never of convocations), reminders of
agreements due and overdue sent once, and a mail server that fails."""

import datetime
import io

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.utils import translation

from coalicion.meetings import notices
from coalicion.meetings.actions.agenda import approve_agenda
from coalicion.meetings.actions.agreements import add_follow_up, update_agreement
from coalicion.meetings.actions.calendar import save_notification_settings
from coalicion.meetings.actions.events import cancel_event, convene_event, update_event
from coalicion.meetings.actions.minutes import circulate_minutes, draft_minutes
from coalicion.membership.models import Country
from coalicion.notifications import sending
from coalicion.notifications.models import Notification

FAILING_BACKEND = "coalicion.meetings.tests.test_notifications.FailingBackend"


class FailingBackend(BaseEmailBackend):
    """A mail server that is down."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError("mail server down")


@pytest.fixture(autouse=True)
def english(settings):
    """Mails in English (the language of the msgids) with a known site address."""
    settings.LANGUAGE_CODE = "en"
    settings.SITE_URL = "https://coalicion.test"
    with translation.override("en"):
        yield


def country(code):
    return Country.objects.get(code=code)


def mails_to(mailoutbox, user):
    return [m for m in mailoutbox if m.to == [user.email]]


@pytest.fixture
def agreement(agreement):
    """The shared agreement (conftest), the meeting's convocation already
    sent, so that the outbox holds only what a test adds."""
    sending.send_pending()
    mail.outbox.clear()
    return agreement


MEMBERS = ("focal_point", "focal_point_other", "presidency", "secretariat")


# --- Convocation ------------------------------------------------------------------------


def test_a_convocation_goes_to_every_member_with_the_calendar_file(
    users, make_meeting, mailoutbox, django_capture_on_commit_callbacks
):
    event = make_meeting(convene=False, venue="Hotel de prueba")
    with django_capture_on_commit_callbacks(execute=True):
        convene_event(actor=users["presidency"], event=event)
    assert sorted(m.to[0] for m in mailoutbox) == sorted(users[r].email for r in MEMBERS)
    assert not mails_to(mailoutbox, users["observer"])  # not open to observers
    message = mails_to(mailoutbox, users["focal_point"])[0]
    assert message.subject.endswith("Convocation: Ordinary meeting 12")
    assert "You are invited to the following event: Ordinary meeting 12" in message.body
    assert "10 March 2026" in message.body
    assert "Hotel de prueba, Tegucigalpa, Honduras" in message.body
    assert f"https://coalicion.test{event.get_absolute_url()}" in message.body
    assert "stop these e-mails" not in message.body
    ((name, content, mimetype),) = message.attachments
    assert name == "invitation.ics"
    assert mimetype.startswith("text/calendar")
    assert "STATUS:CONFIRMED" in content
    assert Notification.objects.filter(sent_at__isnull=False).count() == len(MEMBERS)


def test_observers_are_convened_to_events_open_to_them(
    users, make_meeting, mailoutbox, django_capture_on_commit_callbacks
):
    event = make_meeting(convene=False, open_to_observers=True)
    with django_capture_on_commit_callbacks(execute=True):
        convene_event(actor=users["presidency"], event=event)
    assert len(mails_to(mailoutbox, users["observer"])) == 1


def test_a_cancellation_says_so_and_cancels_the_calendar_entry(
    users, make_meeting, mailoutbox, django_capture_on_commit_callbacks
):
    event = make_meeting()
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        cancel_event(actor=users["presidency"], event=event, reason="Sin fondos")
    message = mails_to(mailoutbox, users["focal_point"])[0]
    assert message.subject.endswith("Cancelled: Ordinary meeting 12")
    assert "has been cancelled" in message.body
    assert "You are invited" not in message.body
    assert "10 March 2026" in message.body
    assert "STATUS:CANCELLED" in message.attachments[0][1]


def test_a_convocation_goes_even_to_those_who_opted_out_of_everything(
    users, make_meeting, mailoutbox, django_capture_on_commit_callbacks
):
    save_notification_settings(
        actor=users["focal_point"],
        agenda_approved=False,
        minutes_circulated=False,
        agreement_due=False,
        agreement_overdue=False,
    )
    event = make_meeting(convene=False)
    with django_capture_on_commit_callbacks(execute=True):
        convene_event(actor=users["presidency"], event=event)
    assert len(mails_to(mailoutbox, users["focal_point"])) == 1


def test_a_changed_convened_event_is_announced_again(
    users, meeting, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        update_event(
            actor=users["presidency"], event=meeting, version=meeting.version, city="San Pedro Sula"
        )
    message = mails_to(mailoutbox, users["focal_point"])[0]
    assert "The details of the following event have changed" in message.body
    assert "San Pedro Sula" in message.body


# --- Optional notices ----------------------------------------------------------------------


def test_agenda_approved_and_minutes_circulated_respect_the_opt_out(
    users, quorate_meeting, mailoutbox, django_capture_on_commit_callbacks
):
    save_notification_settings(
        actor=users["focal_point"], agenda_approved=False, minutes_circulated=False
    )
    with django_capture_on_commit_callbacks(execute=True):
        approve_agenda(actor=users["presidency"], event=quorate_meeting)
    assert not mails_to(mailoutbox, users["focal_point"])
    message = mails_to(mailoutbox, users["focal_point_other"])[0]
    assert message.subject.endswith("Agenda approved: Ordinary meeting 12")
    assert "The agenda of Ordinary meeting 12 was approved on" in message.body
    assert "you can stop these e-mails at https://coalicion.test/" in message.body

    mailoutbox.clear()
    minutes = draft_minutes(actor=users["secretariat"], event=quorate_meeting)
    with django_capture_on_commit_callbacks(execute=True):
        circulate_minutes(actor=users["secretariat"], minutes=minutes)
    assert not mails_to(mailoutbox, users["focal_point"])
    message = mails_to(mailoutbox, users["focal_point_other"])[0]
    assert message.subject.endswith("Minutes for your comments: Ordinary meeting 12")
    assert "The draft minutes of Ordinary meeting 12" in message.body
    assert f"https://coalicion.test{minutes.get_absolute_url()}" in message.body
    assert "you can stop these e-mails at" in message.body


# --- Reminders of agreements ---------------------------------------------------------------


def test_an_agreement_due_in_14_days_reminds_its_responsible_party_once(
    users, agreement, mailoutbox
):
    day = datetime.date(2026, 6, 16)  # 14 days before it is due
    assert notices.queue_agreement_reminders(today=day) == 1
    assert sending.send_pending() == (1, 0)
    (message,) = mailoutbox
    assert message.to == [users["focal_point"].email]
    assert message.subject.endswith("Agreement R12-2026-01 is due on 2026-06-30")
    assert (
        "Agreement R12-2026-01, which you are responsible for, is due on 30 June 2026"
        in message.body
    )
    assert "Compartir el protocolo nacional" in message.body
    assert "Responsible: Costa Rica" in message.body
    assert f"https://coalicion.test{agreement.get_absolute_url()}" in message.body
    assert "you can stop these e-mails at" in message.body

    # The next day's run sends nothing again.
    assert notices.queue_agreement_reminders(today=day + datetime.timedelta(days=1)) == 0
    assert sending.send_pending() == (0, 0)
    assert len(mailoutbox) == 1


def test_a_new_due_date_is_a_new_reminder(users, agreement, mailoutbox):
    notices.queue_agreement_reminders(today=datetime.date(2026, 6, 20))
    update_agreement(
        actor=users["secretariat"],
        agreement=agreement,
        text=agreement.text,
        responsible_kind="country",
        country=country("CR"),
        due=datetime.date(2026, 7, 10),
    )
    assert notices.queue_agreement_reminders(today=datetime.date(2026, 7, 1)) == 1


def test_an_overdue_agreement_reminds_the_responsible_party_and_the_secretariat_once(
    users, agreement, mailoutbox
):
    save_notification_settings(actor=users["presidency"], agreement_overdue=False)
    day = datetime.date(2026, 7, 1)
    assert notices.queue_agreement_reminders(today=day) == 2
    sending.send_pending()
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        [users["focal_point"].email, users["secretariat"].email]
    )
    message = mailoutbox[0]
    assert message.subject.endswith("Agreement R12-2026-01 is overdue")
    assert "was due on 30 June 2026 and is not fulfilled yet" in message.body
    assert "you can stop these e-mails at" in message.body
    assert notices.queue_agreement_reminders(today=day + datetime.timedelta(days=7)) == 0
    call_command("send_notifications", "--today", "2026-07-09", stdout=io.StringIO())
    assert len(mailoutbox) == 2


def test_opting_out_of_reminders_stops_them(users, agreement, mailoutbox):
    save_notification_settings(actor=users["focal_point"], agreement_due=False)
    assert notices.queue_agreement_reminders(today=datetime.date(2026, 6, 20)) == 0
    sending.send_pending()
    assert not mailoutbox


def test_a_fulfilled_agreement_sends_no_reminder(users, agreement, mailoutbox):
    add_follow_up(
        actor=users["focal_point"],
        agreement=agreement,
        date=datetime.date(2026, 4, 1),
        text="Hecho",
        status="fulfilled",
    )
    assert notices.queue_agreement_reminders(today=datetime.date(2026, 7, 1)) == 0


# --- A mail server that fails ---------------------------------------------------------------


def test_a_failing_mail_server_records_the_attempt_and_the_next_run_sends(
    users, agreement, mailoutbox, settings
):
    notices.queue_agreement_reminders(today=datetime.date(2026, 6, 20))
    settings.EMAIL_BACKEND = FAILING_BACKEND
    assert sending.send_pending() == (0, 1)
    notice = Notification.objects.get(kind=notices.AGREEMENT_DUE)
    assert notice.sent_at is None
    assert notice.attempts == 1
    assert notice.last_error == "mail server down"

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert sending.send_pending() == (1, 0)
    notice.refresh_from_db()
    assert notice.sent_at is not None
    assert notice.attempts == 2
    assert notice.last_error == ""
    assert len(mailoutbox) == 1


def test_a_notice_that_keeps_failing_is_given_up_after_the_maximum_attempts(
    users, agreement, settings
):
    notices.queue_agreement_reminders(today=datetime.date(2026, 6, 20))
    settings.EMAIL_BACKEND = FAILING_BACKEND
    for _ in range(sending.MAX_ATTEMPTS):
        sending.send_pending()
    notice = Notification.objects.get(kind=notices.AGREEMENT_DUE)
    assert notice.attempts == sending.MAX_ATTEMPTS
    assert sending.send_pending() == (0, 0)


def test_a_failure_when_the_action_commits_does_not_undo_the_action(
    users, make_meeting, settings, django_capture_on_commit_callbacks
):
    event = make_meeting(convene=False)
    settings.EMAIL_BACKEND = FAILING_BACKEND
    with django_capture_on_commit_callbacks(execute=True):
        convene_event(actor=users["presidency"], event=event)
    event.refresh_from_db()
    assert event.status == event.Status.CONVENED
    assert Notification.objects.filter(attempts=1, sent_at__isnull=True).count() == len(MEMBERS)


# --- The texts in Spanish -------------------------------------------------------------------


def test_every_notice_renders_in_spanish_too(users, agreement, settings, mailoutbox):
    settings.LANGUAGE_CODE = "es"
    event = agreement.event
    agreement = update_agreement(
        actor=users["secretariat"],
        agreement=agreement,
        text="Salud & Migración <2026>",
        responsible_kind="country",
        country=country("CR"),
        due=agreement.due,
    )
    minutes = draft_minutes(actor=users["secretariat"], event=event)
    user = users["focal_point"]
    for kind, params in [
        (notices.CONVOCATION, {"event": event.pk}),
        (notices.AGENDA_APPROVED, {"event": event.pk}),
        (notices.MINUTES_CIRCULATED, {"minutes": minutes.pk}),
        (notices.AGREEMENT_DUE, {"agreement": agreement.pk}),
        (notices.AGREEMENT_OVERDUE, {"agreement": agreement.pk}),
    ]:
        notice = Notification.objects.create(
            user=user,
            person=user.person,
            email=user.email,
            language="es",
            kind=kind,
            key=f"test:{kind}",
            params=params,
        )
        message = sending.message_for(notice)
        assert message.to == [user.email]
        assert "Reunión ordinaria 12" in message.body
        assert "{{" not in message.body and "{%" not in message.body
        assert "&amp;" not in message.body and "&lt;" not in message.body
        if "agreement" in notice.params:
            assert "Salud & Migración <2026>" in message.body
