"""A report job that fails is tried again, a bounded number of times with a
growing wait; after the last try, the person who asked sees it failed, with
a reason free of internals, and may ask again (ADR 0066)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from coalicion.core.jobs import DEFAULT_BACKOFF, retry_delay
from coalicion.reports import actions, generation, jobs
from coalicion.reports.assembly import Period
from coalicion.reports.models import IssuedReport

SECRET = "password=hunter2 at /srv/app/coalicion/reports/generation.py line 42"


@pytest.fixture
def builds(monkeypatch):
    """builds(fail=n): report generation fails its first n tries (every try
    when n is None), then makes small files; the list counts the tries."""
    tries = []

    def install(fail=None):
        def build(**kwargs):
            tries.append(kwargs["as_of"])
            if fail is None or len(tries) <= fail:
                raise RuntimeError(SECRET)
            return b"%PDF-1.4 report", b"PK workbook", {}

        monkeypatch.setattr(generation, "build", build)
        return tries

    return install


def ask(users, plan, capture):
    with capture(execute=True):
        return actions.request_report(
            actor=users["secretariat"],
            plan=plan,
            period=Period(start=datetime.date(2018, 1, 1), end=datetime.date(2018, 12, 31)),
            as_of=datetime.date(2026, 1, 15),
            language="en",
        )


def test_a_job_that_fails_once_is_tried_again_and_the_report_is_made(
    builds, users, plan, django_capture_on_commit_callbacks
):
    tries = builds(fail=1)
    report = ask(users, plan, django_capture_on_commit_callbacks)
    report.refresh_from_db()
    assert len(tries) == 2
    assert report.status == IssuedReport.Status.DONE
    assert bytes(report.pdf) == b"%PDF-1.4 report" and report.error == ""


def test_after_the_last_try_the_person_who_asked_sees_it_failed_without_internals(
    builds, users, plan, client_as, django_capture_on_commit_callbacks
):
    tries = builds()
    report = ask(users, plan, django_capture_on_commit_callbacks)
    report.refresh_from_db()
    assert len(tries) == jobs.ATTEMPTS == 3  # bounded
    assert report.status == IssuedReport.Status.FAILED and report.finished_at
    assert SECRET not in report.error

    client = client_as("secretariat")
    with translation.override("en"):
        page = client.get(report.get_absolute_url()).content.decode()
    assert "The report could not be generated, even after trying again." in page
    assert "its operators have the details" in page
    assert "Try again" in page
    assert "hunter2" not in page and "generation.py" not in page and "RuntimeError" not in page
    assert "hx-trigger" not in page  # finished: no more polling

    with translation.override("es"):
        page = client.get(report.get_absolute_url()).content.decode()
    assert "Volver a intentar" in page


def test_try_again_asks_for_the_same_report_once_more(
    builds, users, plan, client_as, django_capture_on_commit_callbacks
):
    builds(fail=jobs.ATTEMPTS)  # every try of the first request fails
    failed = ask(users, plan, django_capture_on_commit_callbacks)
    client = client_as("secretariat")
    failed.refresh_from_db()

    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:archive"), failed.request_again())

    again = IssuedReport.objects.exclude(pk=failed.pk).get()
    with translation.override("en"):
        assert response.status_code == 302 and response["Location"] == again.get_absolute_url()
    assert (again.start, again.end, again.as_of, again.language) == (
        failed.start,
        failed.end,
        failed.as_of,
        failed.language,
    )
    assert again.status == IssuedReport.Status.DONE


def test_a_refusal_is_not_tried_again_and_is_shown_in_its_own_words(
    users, plan, monkeypatch, django_capture_on_commit_callbacks
):
    tries = []

    def build(**kwargs):
        tries.append(1)
        raise ValidationError("The plan has no operating plan for this period.")

    monkeypatch.setattr(generation, "build", build)
    report = ask(users, plan, django_capture_on_commit_callbacks)
    report.refresh_from_db()
    assert report.status == IssuedReport.Status.FAILED
    assert report.error == "The plan has no operating plan for this period."
    assert len(tries) == 1


def test_while_it_tries_again_the_page_says_so(builds, users, plan, settings):
    builds()
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    report = IssuedReport.objects.create(
        kind="accountability", plan=plan, start=datetime.date(2018, 1, 1),
        end=datetime.date(2018, 12, 31), as_of=datetime.date(2026, 1, 1), language="en",
        requested_by=users["secretariat"],
    )  # fmt: skip

    with pytest.raises(RuntimeError):
        jobs.generate_report.call(report.pk)  # the worker's first try

    report.refresh_from_db()
    assert report.status == IssuedReport.Status.QUEUED
    assert report.step == "The last try did not work; trying again shortly (try 2 of 3)."


def test_the_next_try_waits_longer_each_time_on_the_database_queue(builds, plan, settings):
    from django_tasks_db.models import DBTaskResult

    builds()
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    report = IssuedReport.objects.create(
        kind="accountability", plan=plan, start=datetime.date(2018, 1, 1),
        end=datetime.date(2018, 12, 31), as_of=datetime.date(2026, 1, 1), language="en",
    )  # fmt: skip

    before = timezone.now()
    with pytest.raises(RuntimeError):
        jobs.generate_report.call(report.pk, attempt=2)

    queued = DBTaskResult.objects.get()
    assert queued.args_kwargs == {"args": [report.pk], "kwargs": {"attempt": 3}}
    wait = queued.run_after - before
    assert (
        retry_delay(2, DEFAULT_BACKOFF)
        <= wait
        < retry_delay(2, DEFAULT_BACKOFF) + (datetime.timedelta(seconds=5))
    )
    assert retry_delay(1, DEFAULT_BACKOFF) * 2 == retry_delay(2, DEFAULT_BACKOFF)


def test_the_last_try_queues_nothing_more(builds, plan, settings):
    from django_tasks_db.models import DBTaskResult

    builds()
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    report = IssuedReport.objects.create(
        kind="accountability", plan=plan, start=datetime.date(2018, 1, 1),
        end=datetime.date(2018, 12, 31), as_of=datetime.date(2026, 1, 1), language="en",
    )  # fmt: skip
    with pytest.raises(RuntimeError):
        jobs.generate_report.call(report.pk, attempt=jobs.ATTEMPTS)
    assert not DBTaskResult.objects.exists()
    report.refresh_from_db()
    assert report.status == IssuedReport.Status.FAILED
