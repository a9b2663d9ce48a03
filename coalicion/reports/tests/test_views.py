"""Issuing a report from the web: a job generates it (immediate in tests),
the page polls its status, the archive keeps it with its SHA-256."""

import datetime
import hashlib

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from coalicion.reports.models import IssuedReport


def url(name, *args):
    with translation.override("es"):
        return reverse(name, args=args)


def test_the_secretariat_issues_a_report_and_finds_it_in_the_archive(
    known, client_as, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    client = client_as("secretariat")
    page = client.get(url("reports:archive"))
    assert "Emitir un informe de rendición de cuentas" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("reports:archive"),
            {"term": known["term"].pk, "as_of": "2026-12-01", "language": "es"},
        )
    report = IssuedReport.objects.get()
    assert response.status_code == 302 and response["Location"] == report.get_absolute_url()
    assert report.status == IssuedReport.Status.DONE, report.error
    assert report.pdf_sha256 == hashlib.sha256(bytes(report.pdf)).hexdigest()
    assert (report.start, report.end) == (datetime.date(2018, 1, 1), datetime.date(2019, 12, 31))
    assert report.requested_by.email == "secretariat@test.invalid"
    with django_assert_max_num_queries(12):
        status = client.get(report.get_absolute_url(), headers={"HX-Request": "true"})
    assert report.pdf_sha256 in status.content.decode()
    assert "hx-trigger" not in status.content.decode()  # finished: no more polling
    download = client.get(url("reports:download", report.pk, "pdf"))
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    with django_assert_max_num_queries(12):
        archive = client.get(url("reports:archive"))
    assert report.get_absolute_url() in archive.content.decode()


def test_a_pending_report_is_polled(known, client_as, plan):
    report = IssuedReport.objects.create(
        kind="accountability", plan=plan, start=datetime.date(2018, 1, 1),
        end=datetime.date(2019, 12, 31), as_of=datetime.date(2026, 1, 1), language="es",
    )  # fmt: skip
    page = client_as("focal_point").get(report.get_absolute_url()).content.decode()
    assert 'hx-trigger="every 2s"' in page


def test_bad_input_is_explained_and_nothing_is_queued(known, client_as):
    client = client_as("presidency")
    page = client.post(url("reports:archive"), {"as_of": "2999-01-01", "language": "es"})
    assert page.status_code == 200
    assert "fecha futura" in page.content.decode()
    page = client.post(url("reports:archive"), {"as_of": "2026-01-01", "language": "es"})
    assert "Elija un período" in page.content.decode()
    assert not IssuedReport.objects.exists()


def test_a_future_date_and_a_reversed_range_are_told_at_once(known, client_as):
    client = client_as("presidency")
    page = client.post(
        url("reports:archive"),
        {"start": "2019-01-01", "end": "2018-01-01", "as_of": "2999-01-01", "language": "xx"},
    )
    assert page.status_code == 200
    errors = page.context["form"].errors
    with translation.override("es"):
        future = gettext("The data cannot be of a date in the future.")
        reversed_range = gettext("The period ends before it starts.")
    assert errors["as_of"] == [future]
    assert errors["end"] == [reversed_range]
    assert "language" in errors  # not a choice of the form
    html = page.content.decode()
    assert future in html and reversed_range in html
    assert not IssuedReport.objects.exists()


def test_a_date_range_report_in_english(known, client_as, django_capture_on_commit_callbacks):
    client = client_as("secretariat")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            url("reports:archive"),
            {"start": "2018-01-01", "end": "2018-12-31", "as_of": "2026-12-01", "language": "en"},
        )
    report = IssuedReport.objects.get()
    assert report.status == IssuedReport.Status.DONE, report.error
    assert report.term is None and report.language == "en"
