"""The Excel round-trip: download the pending activities, fill offline, upload."""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from coalicion.monitoring import actions
from coalicion.monitoring.models import ProgressReport, ReportStatus
from coalicion.monitoring.poas import copy_forward_operating_plan
from coalicion.plans.models import Activity, Responsible

pytestmark = pytest.mark.django_db

MAX_QUERIES = 25
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def url(name, *args, language="es"):
    with translation.override(language):
        return reverse(f"monitoring:{name}", args=args)


@pytest.fixture
def cr_activities(poa, terms, cr_activity):
    """3.1.1-1, 2.2.1-1 and 4.1.1-1 are Costa Rica's (reported as a whole)."""
    others = list(
        Activity.objects.filter(
            objective__operating_plan=poa, code__in=["2.2.1-1", "4.1.1-1"]
        ).order_by("objective__order", "order")
    )
    for activity in others:
        Responsible.objects.create(activity=activity, kind="country", country=terms["CR"])
    return [cr_activity, *others]


@pytest.fixture
def gt_activity(poa, terms):
    activity = Activity.objects.get(objective__operating_plan=poa, code="1.2-1")
    Responsible.objects.create(activity=activity, kind="country", country=terms["GT"])
    return activity


def download(client, period, language="es"):
    response = client.get(url("report_template", period.pk, language=language))
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    return openpyxl.load_workbook(io.BytesIO(response.content))


def rows_of(workbook):
    sheet = workbook.worksheets[0]
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def as_file(workbook, name="informes.xlsx"):
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=XLSX)


# Columns of the template: key, code, country, statement, status, comment,
# percent, narrative, version.
PERCENT, NARRATIVE = 6, 7


@pytest.fixture(autouse=True)
def activities_reported_as_a_whole(poa):
    """These tests are about activities reported as a whole: the activities
    of the national bodies are made a committee's, so that no activity is
    shared (countries' parts have their own tests, test_shared_activities)."""
    Responsible.objects.filter(
        activity__objective__operating_plan=poa, kind="national_bodies"
    ).delete()


def fill(workbook, values: dict[str, tuple]):
    """values: activity code → (percent, narrative)."""
    sheet = workbook.worksheets[0]
    for row in sheet.iter_rows(min_row=2):
        code = row[1].value
        if code in values:
            row[PERCENT].value, row[NARRATIVE].value = values[code]
    return workbook


def upload(client, period, workbook, submit=False, language="en"):
    data = {"file": as_file(workbook)}
    if submit:
        data["submit"] = "on"
    return client.post(url("upload_reports", period.pk, language=language), data, follow=True)


def errors_of(response):
    return response.context["errors"] + [
        str(e) for errors in response.context["form"].errors.values() for e in errors
    ]


# --- Download ----------------------------------------------------------------------------


def test_focal_point_downloads_their_pending_activities_with_a_hidden_key(
    client, users, periods, cr_activities, gt_activity
):
    submitted, draft, missing = cr_activities
    actions.save_report(
        actor=users["focal_point"],
        activity=submitted,
        period=periods[0],
        percent=Decimal(50),
        narrative="Listo",
        submit=True,
    )
    actions.save_report(
        actor=users["focal_point"],
        activity=draft,
        period=periods[0],
        percent=Decimal(20),
        narrative="Borrador",
    )
    client.force_login(users["focal_point"])

    workbook = download(client, periods[0])

    rows = rows_of(workbook)
    codes = [row[1] for row in rows[1:]]
    assert sorted(codes) == sorted([draft.code, missing.code])
    assert gt_activity.code not in codes
    by_code = {row[1]: row for row in rows[1:]}
    assert by_code[draft.code][0] == draft.pk
    assert by_code[draft.code][PERCENT] == 20
    assert by_code[draft.code][NARRATIVE] == "Borrador"
    assert by_code[missing.code][PERCENT] is None
    assert workbook.worksheets[0].column_dimensions["A"].hidden


def test_focal_point_of_another_country_gets_only_their_own_activities(
    client, users, periods, cr_activities, gt_activity
):
    client.force_login(users["focal_point_other"])

    rows = rows_of(download(client, periods[0]))

    assert [row[1] for row in rows[1:]] == [gt_activity.code]


def test_a_focal_point_responsible_for_nothing_cannot_download_or_upload(
    client, users, periods, cr_activities
):
    client.force_login(users["focal_point_other"])

    assert client.get(url("report_template", periods[0].pk)).status_code == 403
    assert client.get(url("upload_reports", periods[0].pk)).status_code == 403


def test_the_secretariat_downloads_every_pending_activity(client, users, poa, periods):
    client.force_login(users["secretariat"])

    rows = rows_of(download(client, periods[0]))

    due = Activity.objects.filter(objective__operating_plan=poa, cancelled=False).count()
    assert len(rows) - 1 == due


def test_anonymous_visitors_are_sent_to_sign_in(client, periods):
    for name in ("report_template", "upload_reports"):
        response = client.get(url(name, periods[0].pk))
        assert response.status_code == 302
        assert "next=" in response["Location"]


def test_the_template_is_built_in_bounded_queries(
    client, users, periods, cr_activities, django_assert_max_num_queries
):
    client.force_login(users["focal_point"])

    with django_assert_max_num_queries(MAX_QUERIES):
        download(client, periods[0])


# --- Upload ------------------------------------------------------------------------------


def test_a_filled_template_saves_every_row_as_a_draft(client, users, periods, cr_activities):
    client.force_login(users["focal_point"])
    workbook = download(client, periods[0])
    values = {a.code: (10 * (i + 1), f"Avance {i}") for i, a in enumerate(cr_activities)}

    response = upload(client, periods[0], fill(workbook, values))

    assert response.status_code == 200
    assert errors_of(response) == []
    reports = ProgressReport.objects.filter(period=periods[0]).order_by("percent")
    assert [(r.activity.code, r.percent, r.narrative, r.status) for r in reports] == [
        (a.code, Decimal(10 * (i + 1)), f"Avance {i}", ReportStatus.DRAFT)
        for i, a in enumerate(cr_activities)
    ]
    assert any("3" in str(m) for m in response.context["messages"])


def test_ticking_submit_submits_every_row(client, users, periods, cr_activities):
    client.force_login(users["focal_point"])
    workbook = fill(download(client, periods[0]), {cr_activities[0].code: (55.5, "Enviado")})

    upload(client, periods[0], workbook, submit=True)

    report = ProgressReport.objects.get(period=periods[0])
    assert report.status == ReportStatus.SUBMITTED
    assert report.percent == Decimal("55.5")
    assert report.submitted_by == users["focal_point"]


def test_rows_left_empty_are_not_saved(client, users, periods, cr_activities):
    client.force_login(users["focal_point"])
    workbook = fill(download(client, periods[0]), {cr_activities[1].code: (30, "")})

    upload(client, periods[0], workbook)

    assert list(ProgressReport.objects.values_list("activity_id", flat=True)) == [
        cr_activities[1].pk
    ]


def test_one_bad_row_among_good_ones_saves_nothing_and_names_the_row(
    client, users, periods, cr_activities
):
    client.force_login(users["focal_point"])
    workbook = download(client, periods[0])
    codes = [row[1] for row in rows_of(workbook)[1:]]
    values = dict.fromkeys(codes, (40, "Bien"))
    values[codes[1]] = (120, "Demasiado")

    response = upload(client, periods[0], fill(workbook, values))

    assert errors_of(response) == ["Row 3: percent 120 is outside 0–100."]
    assert not ProgressReport.objects.exists()


def test_another_countrys_activity_in_the_file_is_refused(
    client, users, periods, cr_activities, gt_activity
):
    client.force_login(users["focal_point"])
    workbook = fill(download(client, periods[0]), {cr_activities[0].code: (40, "Bien")})
    workbook.worksheets[0].append(
        [gt_activity.pk, gt_activity.code, "", "", "", "", 50, "Ajeno", 0]
    )

    response = upload(client, periods[0], workbook)

    assert errors_of(response) == [
        f"Row 5: activity {gt_activity.code} is not your responsibility."
    ]
    assert not ProgressReport.objects.exists()


def test_every_kind_of_bad_row_gets_its_own_message(
    client, users, poa, periods, cr_activities, gt_activity
):
    request = RequestFactory().post("/")
    request.user = users["secretariat"]
    next_poa = copy_forward_operating_plan(actor=request.user, operating_plan=poa)
    next_year = Activity.objects.filter(objective__operating_plan=next_poa).first()
    done = cr_activities[2]
    actions.save_report(
        actor=users["focal_point"],
        activity=done,
        period=periods[0],
        percent=Decimal(90),
        narrative="",
        submit=True,
    )
    first = cr_activities[0]
    extra = Activity.objects.get(objective__operating_plan=poa, code="4.1.2-1")
    Responsible.objects.create(
        activity=extra, kind="country", country=first.responsibles.get(kind="country").country
    )
    client.force_login(users["focal_point"])
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(
        [
            "Key (do not change)",
            "Activity code",
            "Percent complete (0–100)",
            "Narrative",
            "Version (do not change)",
        ]
    )
    sheet.append([None, "9.9.9-9", 10, "", 0])  # row 2
    sheet.append([next_year.pk, next_year.code, 10, "", 0])  # row 3
    sheet.append([first.pk, first.code, "mucho", "", 0])  # row 4
    sheet.append([None, cr_activities[1].code, None, "Sin porcentaje", 0])  # row 5
    sheet.append([done.pk, done.code, 95, "", 1])  # row 6
    sheet.append([first.pk, first.code, 20, "", 0])  # row 7: again
    sheet.append([first.pk, "3.2.1-2", 20, "", 0])  # row 8: key and code disagree
    sheet.append([None, extra.code, "-5", "", 0])  # row 9

    response = upload(client, periods[0], workbook)

    assert errors_of(response) == [
        "Row 2: unknown activity code “9.9.9-9”.",
        f"Row 3: activity {next_year.code} belongs to the POA 2019, not to the POA 2018 of this "
        "period.",
        "Row 4: percent “mucho” is not a number.",
        "Row 5: the percent is missing.",
        f"Row 6: the report on activity {done.code} was already submitted.",
        f"Row 7: activity {first.code} appears again (first in row 4).",
        "Row 8: the activity code “3.2.1-2” does not match the row's key; do not change the "
        "key and code columns.",
        "Row 9: percent -5 is outside 0–100.",
    ]
    assert ProgressReport.objects.count() == 1  # only the one submitted before


def test_a_closed_period_refuses_every_row(client, users, periods, cr_activities):
    client.force_login(users["focal_point"])
    workbook = fill(download(client, periods[0]), {cr_activities[0].code: (40, "Bien")})
    row = 1 + [r[1] for r in rows_of(workbook)].index(cr_activities[0].code)
    actions.close_period(actor=None, period=periods[0])

    response = upload(client, periods[0], workbook)

    assert errors_of(response) == [
        f"Row {row}: the period 2018 T1 is closed; its reports can no longer change."
    ]
    assert not ProgressReport.objects.exists()


def test_a_crafted_file_that_is_not_an_xlsx_is_refused_with_a_clear_message(
    client, users, periods, cr_activities
):
    client.force_login(users["focal_point"])
    fake = SimpleUploadedFile("informes.xlsx", b"code,percent\n3.1.1-1,50\n", content_type=XLSX)

    response = client.post(url("upload_reports", periods[0].pk, language="en"), {"file": fake})

    assert response.status_code == 200
    assert errors_of(response) == ["The file is not an Excel workbook (.xlsx)."]
    assert "The file is not an Excel workbook (.xlsx)." in response.content.decode()
    assert not ProgressReport.objects.exists()


def test_a_workbook_without_the_template_headings_is_refused(client, users, periods, cr_activities):
    client.force_login(users["focal_point"])
    workbook = openpyxl.Workbook()
    workbook.active.append(["Código", "Porcentaje"])
    workbook.active.append(["3.1.1-1", 50])

    response = upload(client, periods[0], workbook)

    assert len(errors_of(response)) == 1
    assert "headings" in errors_of(response)[0]
    assert not ProgressReport.objects.exists()


def test_a_template_downloaded_in_english_uploads_from_the_spanish_page(
    client, users, periods, cr_activities
):
    client.force_login(users["focal_point"])
    workbook = fill(
        download(client, periods[0], language="en"), {cr_activities[0].code: (25, "OK")}
    )

    response = upload(client, periods[0], workbook, language="es")

    assert errors_of(response) == []
    assert ProgressReport.objects.get().percent == Decimal(25)


def test_checking_an_upload_takes_the_same_queries_for_few_or_many_rows(
    client, users, periods, cr_activities
):
    client.force_login(users["focal_point"])

    def bad_file(rows):
        workbook = openpyxl.Workbook()
        workbook.active.append(["Activity code", "Percent complete (0–100)", "Narrative"])
        for activity in rows:
            workbook.active.append([activity.code, 500, ""])
        return workbook

    with CaptureQueriesContext(connection) as few:
        upload(client, periods[0], bad_file(cr_activities[:1]))
    with CaptureQueriesContext(connection) as many:
        upload(client, periods[0], bad_file(cr_activities))

    assert len(few) == len(many) <= MAX_QUERIES


def test_the_upload_page_shows_the_form_and_the_template_link(
    client, users, periods, cr_activities
):
    client.force_login(users["focal_point"])

    response = client.get(url("upload_reports", periods[0].pk))

    html = response.content.decode()
    assert response.status_code == 200
    assert 'enctype="multipart/form-data"' in html
    assert url("report_template", periods[0].pk) in html
    assert 'name="submit"' in html


def test_an_upload_never_overwrites_a_report_changed_on_the_site_since(
    client, users, periods, cr_activities
):
    _submitted, draft, _missing = cr_activities
    actions.save_report(
        actor=users["focal_point"],
        activity=draft,
        period=periods[0],
        percent=Decimal(20),
        narrative="Borrador",
    )
    client.force_login(users["focal_point"])
    workbook = download(client, periods[0])
    assert workbook.worksheets[0].column_dimensions["I"].hidden  # the version column
    # Someone edits the report on the site after the file was made.
    report = ProgressReport.objects.get(activity=draft, period=periods[0])
    actions.save_report(
        actor=users["focal_point"],
        activity=draft,
        period=periods[0],
        percent=Decimal(35),
        narrative="Editado en el sitio",
        version=report.version,
    )

    response = upload(client, periods[0], fill(workbook, {draft.code: (25, "Desde Excel")}))

    assert any("was changed on the site after this file was made" in e for e in errors_of(response))
    report.refresh_from_db()
    assert (report.percent, report.narrative) == (Decimal(35), "Editado en el sitio")
    # A fresh template uploads.
    fresh = download(client, periods[0])
    response = upload(client, periods[0], fill(fresh, {draft.code: (40, "Desde Excel")}))
    assert errors_of(response) == []
    report.refresh_from_db()
    assert report.percent == Decimal(40)


# --- Interrupted --------------------------------------------------------------------------


def test_an_upload_interrupted_on_its_third_row_saves_no_row(
    client, users, periods, cr_activities, monkeypatch
):
    """An error in the middle of saving (here on the third row: a lost
    connection) leaves none of the file's rows, nor their history."""
    from coalicion.audit.models import AuditEvent

    client.force_login(users["focal_point"])
    workbook = download(client, periods[0])
    values = {a.code: (10 * (i + 1), f"Avance {i}") for i, a in enumerate(cr_activities)}
    real_save = actions.save_report
    saved = []

    def save_report(**kwargs):
        if len(saved) == 2:
            raise ConnectionError("the connection to the server was lost")
        saved.append(real_save(**kwargs))
        return saved[-1]

    monkeypatch.setattr(actions, "save_report", save_report)
    events_before = AuditEvent.objects.count()
    history_before = ProgressReport.history.count()

    with pytest.raises(ConnectionError):
        upload(client, periods[0], fill(workbook, values), submit=True)

    assert len(saved) == 2  # two rows were saved before the error
    assert not ProgressReport.objects.exists()
    assert ProgressReport.history.count() == history_before
    assert AuditEvent.objects.count() == events_before
