"""The shared outbox: queueing once, in the recipient's language, respecting
opt-outs; sending with retries; one-time texts not kept; the daily run."""

import datetime
import io
import logging

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command

from coalicion.notifications import kinds
from coalicion.notifications.actions import notify, preferences_of, set_preferences
from coalicion.notifications.models import Notification
from coalicion.notifications.sending import MAX_ATTEMPTS, send_pending

FAILING = "coalicion.notifications.tests.test_outbox.FailingBackend"


class FailingBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise ConnectionRefusedError("mail server down")


@pytest.fixture
def kind():
    """A test kind: optional, its text built from its params when sent."""

    def build(notification):
        return kinds.Message(
            subject=f"Aviso {notification.params['n']}", body=f"Idioma: {notification.language}"
        )

    registered = kinds.register(
        kinds.Kind("tests.notice", "Test notice", optional=True, build=build)
    )
    yield registered
    kinds._KINDS.pop("tests.notice", None)


def test_a_notice_is_queued_once_per_address_and_key(users, kind):
    first = notify(kind=kind.name, recipients=[users["focal_point"]], key="k", params={"n": 1})
    again = notify(kind=kind.name, recipients=[users["focal_point"]], key="k", params={"n": 2})
    other = notify(kind=kind.name, recipients=[users["focal_point"]], key="k2", params={"n": 3})
    assert len(first) == 1 and again == [] and len(other) == 1


def test_a_person_and_their_account_get_one_e_mail(users, kind):
    user = users["focal_point"]
    queued = notify(kind=kind.name, recipients=[user, user.person], key="k", params={"n": 1})
    assert len(queued) == 1


def test_the_language_is_the_persons_then_their_countrys(users, kind, terms):
    person = users["focal_point_other"].person  # Guatemala
    [spanish] = notify(kind=kind.name, recipients=[person], key="a", params={"n": 1})
    terms["GT"].language = "en"
    terms["GT"].save()
    [country] = notify(kind=kind.name, recipients=[person], key="b", params={"n": 1})
    person.language = "es"
    person.save()
    [own] = notify(kind=kind.name, recipients=[person], key="c", params={"n": 1})
    assert (spanish.language, country.language, own.language) == ("es", "en", "es")


def test_an_optional_notice_respects_the_persons_choice(users, kind):
    set_preferences(actor=users["focal_point"], choices={kind.name: False})
    assert preferences_of(users["focal_point"])[kind.name] is False
    queued = notify(
        kind=kind.name,
        recipients=[users["focal_point"], users["secretariat"]],
        key="k",
        params={"n": 1},
    )
    assert [n.email for n in queued] == [users["secretariat"].email]


def test_only_optional_kinds_can_be_switched_off(users, kind):
    kinds.register(kinds.Kind("tests.duty", "A duty", optional=False, build=kind.build))
    try:
        with pytest.raises(ValueError, match="not an optional kind"):
            set_preferences(actor=users["focal_point"], choices={"tests.duty": False})
    finally:
        kinds._KINDS.pop("tests.duty", None)


def test_a_disabled_account_gets_nothing(users, kind):
    user = users["observer"]
    user.is_active = False
    user.save()
    assert notify(kind=kind.name, recipients=[user, user.person], key="k", params={"n": 1}) == []


def test_sending_writes_the_message_in_the_recipients_language(users, kind, mailoutbox):
    notify(kind=kind.name, recipients=[users["focal_point"]], key="k", params={"n": 7})
    assert send_pending() == (1, 0)
    (message,) = mailoutbox
    assert message.subject.endswith("Aviso 7")
    assert message.body == "Idioma: es"


def test_a_failing_mail_server_is_retried_then_given_up(users, kind, settings, caplog):
    notify(kind=kind.name, recipients=[users["focal_point"]], key="k", params={"n": 1})
    settings.EMAIL_BACKEND = FAILING
    with caplog.at_level(logging.WARNING):
        assert send_pending() == (0, 1)
    assert "mail server down" in caplog.text
    notice = Notification.objects.get()
    assert (notice.attempts, notice.last_error, notice.sent_at) == (1, "mail server down", None)
    for _ in range(MAX_ATTEMPTS - 1):
        send_pending()
    assert send_pending() == (0, 0)  # given up, visible in the administration


def test_a_one_time_text_is_not_kept_once_sent(users, mailoutbox):
    queued = notify(
        kind="accounts.message",
        recipients=["someone@test.invalid"],
        key="reset:1",
        content=("Restablecer", "Enlace secreto: https://x/abc"),
    )
    assert queued[0].body
    send_pending()
    assert mailoutbox[0].body == "Enlace secreto: https://x/abc"
    notice = Notification.objects.get()
    assert notice.sent_at and notice.subject == "" and notice.body == ""


def test_an_action_sends_once_it_commits(
    users, kind, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        notify(kind=kind.name, recipients=[users["focal_point"]], key="k", params={"n": 1})
        assert mailoutbox == []
    assert len(mailoutbox) == 1


def test_the_daily_run_queues_every_apps_reminders_then_sends(users, kind, mailoutbox):
    days = []

    def producer(today):
        days.append(today)
        return len(
            notify(
                kind=kind.name, recipients=[users["focal_point"]], key=str(today), params={"n": 1}
            )
        )

    kinds.register_daily("tests.daily", producer)
    try:
        out = io.StringIO()
        call_command("send_notifications", "--today", "2026-07-01", stdout=out)
    finally:
        kinds._DAILY.pop("tests.daily", None)
    assert datetime.date(2026, 7, 1) in days
    assert "Sent: 1" in out.getvalue()
    assert len(mailoutbox) == 1


def test_the_daily_run_refuses_a_bad_date():
    with pytest.raises(Exception, match="YYYY-MM-DD"):
        call_command("send_notifications", "--today", "1/7/2026")


def test_a_password_reset_with_the_mail_server_down_answers_and_retries_later(
    client, users, settings, django_capture_on_commit_callbacks, caplog
):
    settings.EMAIL_BACKEND = FAILING
    with caplog.at_level(logging.WARNING), django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/es/accounts/password/reset/", {"email": users["focal_point"].email}
        )
    assert response.status_code == 302  # not a server error
    notice = Notification.objects.get(kind="accounts.message")
    assert notice.attempts == 1 and notice.sent_at is None
    assert "mail server down" in caplog.text
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert send_pending() == (1, 0)
    assert "/es/accounts/password/reset/key/" in mail.outbox[0].body
