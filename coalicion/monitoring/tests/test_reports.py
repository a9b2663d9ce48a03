"""Progress reports: who reports on what, draft → submit → return → submit →
validate, only validated reports counting, closed periods, optimistic
locking, and bounded queries on the list pages."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from coalicion.core.tests.files import PDF_BYTES
from coalicion.core.uploads import PDF
from coalicion.monitoring import actions, rollup
from coalicion.monitoring.models import ProgressReport, ReportStatus
from coalicion.plans.models import (
    Activity,
    OperatingPlan,
    OperationalObjective,
    Responsible,
    WorkingCommittee,
)


def url(name, *args):
    """English pages, so that the messages asserted read as in the code."""
    with translation.override("en"):
        return reverse(f"monitoring:{name}", args=args)


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def report_data(percent, narrative="", version=0, action="draft", **extra):
    return {
        "percent": str(percent),
        "narrative": narrative,
        "version": str(version),
        "action": action,
        **extra,
    }


def progress_of(activity, poa) -> Decimal:
    (tree,) = rollup.execution_trees(poas=[poa], as_of=timezone.localdate())
    return next(node.progress for node in tree.activities() if node.activity.pk == activity.pk)


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


# --- Who reports on what ----------------------------------------------------------------


@pytest.mark.parametrize("name", ["my_reports", "review_queue"])
def test_anonymous_visitors_are_sent_to_sign_in(client, name):
    response = client.get(url(name))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_anonymous_visitors_are_sent_to_sign_in_from_the_report_form(client, cr_activity, periods):
    response = client.get(url("report", periods[0].pk, cr_activity.pk))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_a_focal_point_sees_their_countrys_activity_in_the_latest_started_open_period(
    client, users, cr_activity, periods
):
    client.force_login(users["focal_point"])
    response = client.get(url("my_reports"))
    assert response.status_code == 200
    assert response.context["period"] == periods[3]
    # Its own activity, and its parts of the three activities of the national bodies.
    rows = response.context["rows"]
    assert [(row.activity.code, row.country) for row in rows] == [
        ("2.1.2-1", cr_activity.responsibles.get(kind="country").country),
        ("2.1.3-1", cr_activity.responsibles.get(kind="country").country),
        ("3.1.1-1", None),
        ("3.2.1-1", cr_activity.responsibles.get(kind="country").country),
    ]
    assert url("report", periods[3].pk, cr_activity.pk) in response.content.decode()


def test_the_default_period_skips_closed_periods(client, users, cr_activity, periods):
    actions.close_period(actor=None, period=periods[3])
    client.force_login(users["focal_point"])
    assert client.get(url("my_reports")).context["period"] == periods[2]


def test_the_default_period_is_the_last_one_when_none_has_started(
    client, users, cr_activity, periods, plan
):
    future = OperatingPlan.objects.create(plan=plan, year=2099, name="POA 2099")
    later = actions.create_quarterly_periods(operating_plan=future)
    for period in periods:
        actions.close_period(actor=None, period=period)
    client.force_login(users["focal_point"])
    assert client.get(url("my_reports")).context["period"] == later[3]


def test_a_period_can_be_chosen_and_shows_each_reports_status_and_comment(
    client, users, cr_activity, periods
):
    report = actions.save_report(
        actor=users["focal_point"],
        activity=cr_activity,
        period=periods[1],
        percent=Decimal(30),
        narrative="",
        submit=True,
    )
    actions.review_report(
        actor=users["secretariat"], report=report, validate=False, comment="Falta la evidencia."
    )
    client.force_login(users["focal_point"])
    response = client.get(url("my_reports"), {"period": periods[1].pk})
    assert response.context["period"] == periods[1]
    (row,) = [row for row in response.context["rows"] if row.activity == cr_activity]
    assert row.report.status == ReportStatus.RETURNED
    assert "Falta la evidencia." in response.content.decode()


def test_an_unknown_period_is_a_404(client, users, periods):
    client.force_login(users["focal_point"])
    assert client.get(url("my_reports"), {"period": "999999"}).status_code == 404
    assert client.get(url("my_reports"), {"period": "T1"}).status_code == 404


def test_another_countrys_focal_point_does_not_see_the_activity(
    client, users, cr_activity, periods
):
    client.force_login(users["focal_point_other"])
    response = client.get(url("my_reports"))
    assert cr_activity not in [row.activity for row in response.context["rows"]]


def test_the_secretariat_sees_every_report_the_period_expects(client, users, poa, periods):
    client.force_login(users["secretariat"])
    response = client.get(url("my_reports"))
    # 10 activities reported as a whole, and 3 of the national bodies with
    # one part per member country (9).
    assert len(response.context["rows"]) == 10 + 3 * 9


def test_an_observer_gets_an_explanation_instead_of_a_list(client, users, periods):
    client.force_login(users["observer"])
    response = client.get(url("my_reports"))
    assert response.status_code == 200
    assert response.context["rows"] == []
    assert "Observers follow the monitoring of the plan" in response.content.decode()


def test_someone_responsible_for_nothing_is_told_whom_to_ask(
    client, users, periods, terms, make_user
):
    client.force_login(make_user("sin-rol@test.invalid"))
    response = client.get(url("my_reports"))
    assert response.context["rows"] == []
    assert "ask the Technical Secretariat" in response.content.decode()


def test_without_periods_the_page_says_so(client, users, poa):
    client.force_login(users["focal_point"])
    response = client.get(url("my_reports"))
    assert response.status_code == 200
    assert "No reporting periods have been defined yet" in response.content.decode()


def test_committee_members_report_on_their_committees_activities(client, users, poa, periods, plan):
    activity = Activity.objects.filter(objective__operating_plan=poa).exclude(code="3.1.1-1")[0]
    committee = WorkingCommittee.objects.create(plan=plan, code="prueba", name="Comité de prueba")
    committee.members.add(users["focal_point_other"].person)
    Responsible.objects.create(activity=activity, kind="committee", committee=committee)
    client.force_login(users["focal_point_other"])
    rows = client.get(url("my_reports")).context["rows"]
    assert activity in [row.activity for row in rows]


# --- Own vs other country ------------------------------------------------------------------


def test_a_focal_point_reports_on_their_countrys_activity(client, users, cr_activity, periods):
    client.force_login(users["focal_point"])
    form_url = url("report", periods[0].pk, cr_activity.pk)
    assert client.get(form_url).status_code == 200
    response = client.post(form_url, report_data(25, "Primera reunión."))
    assert response.status_code == 302
    report = ProgressReport.objects.get(activity=cr_activity, period=periods[0])
    assert (report.percent, report.status, report.version) == (25, ReportStatus.DRAFT, 1)


def test_another_countrys_focal_point_can_neither_see_nor_save_the_form(
    client, users, cr_activity, periods
):
    client.force_login(users["focal_point_other"])
    form_url = url("report", periods[0].pk, cr_activity.pk)
    assert client.get(form_url).status_code == 403
    assert client.post(form_url, report_data(90, action="submit")).status_code == 403
    assert not ProgressReport.objects.exists()


def test_an_observer_cannot_report(client, users, cr_activity, periods):
    client.force_login(users["observer"])
    form_url = url("report", periods[0].pk, cr_activity.pk)
    assert client.post(form_url, report_data(90)).status_code == 403
    assert not ProgressReport.objects.exists()


def test_an_activity_outside_the_periods_poa_is_a_404(client, users, cr_activity, plan):
    other = OperatingPlan.objects.create(plan=plan, year=2019, name="POA 2019")
    period = actions.create_quarterly_periods(operating_plan=other)[0]
    client.force_login(users["secretariat"])
    assert client.get(url("report", period.pk, cr_activity.pk)).status_code == 404


def test_bad_input_is_explained_and_nothing_is_saved(client, users, cr_activity, periods):
    client.force_login(users["focal_point"])
    response = client.post(
        url("report", periods[0].pk, cr_activity.pk), report_data(140, "Demasiado.")
    )
    assert response.status_code == 200
    assert response.context["form"].errors["percent"] == [
        "Ensure this value is less than or equal to 100."
    ]
    assert "Demasiado." in response.content.decode()
    assert not ProgressReport.objects.exists()


def test_a_cancelled_activity_and_a_bad_percent_are_told_at_once(
    client, users, cr_activity, periods
):
    cr_activity.cancelled = True
    cr_activity.save()
    client.force_login(users["focal_point"])
    response = client.post(url("report", periods[0].pk, cr_activity.pk), report_data("mucho"))
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["percent"] == ["Enter a number."]
    cancelled = f"Activity {cr_activity.code} is cancelled: it takes no more reports."
    assert form.non_field_errors() == [cancelled]
    html = response.content.decode()
    assert "Enter a number." in html and "it takes no more reports." in html
    assert not ProgressReport.objects.exists()


def test_a_form_sent_without_its_version_saves_nothing_and_says_so(
    client, users, cr_activity, periods
):
    client.force_login(users["focal_point"])
    data = report_data(30, "Sin versión.")
    del data["version"]
    response = client.post(url("report", periods[0].pk, cr_activity.pk), data)
    assert response.status_code == 200
    assert "The form was sent incomplete." in response.content.decode()
    assert not ProgressReport.objects.exists()


# --- The whole journey -----------------------------------------------------------------------


def test_draft_submit_return_correct_submit_validate(client, users, cr_activity, periods, poa):
    period = periods[0]
    form_url = url("report", period.pk, cr_activity.pk)
    client.force_login(users["focal_point"])

    response = client.post(form_url, report_data(20, "Borrador."))
    assert messages_of(response) == ["Your draft was saved. Submit it when it is complete."]
    report = ProgressReport.objects.get()
    assert report.status == ReportStatus.DRAFT

    response = client.post(
        form_url,
        report_data(
            40,
            "Dos reuniones.",
            version=report.version,
            action="submit",
            evidence=SimpleUploadedFile("acta.pdf", PDF_BYTES),
        ),
    )
    assert response["Location"] == url("my_reports") + f"?period={period.pk}"
    report.refresh_from_db()
    assert (report.status, report.percent, report.submitted_by) == (
        ReportStatus.SUBMITTED,
        40,
        users["focal_point"],
    )
    assert [(e.original_name, e.content_type) for e in report.evidence.all()] == [("acta.pdf", PDF)]
    page = client.get(form_url)
    assert page.context["read_only"] == ReportStatus.SUBMITTED
    assert "awaits review by the Secretariat" in page.content.decode()
    assert progress_of(cr_activity, poa) == 0

    client.force_login(users["secretariat"])
    queue = client.get(url("review_queue"))
    assert queue.context["reports"] == [report]
    assert url("evidence", report.evidence.get().pk) in queue.content.decode()
    response = client.post(
        url("review_report", report.pk),
        {"decision": "return", "comment": "Adjunte la lista de asistencia.", "version": 2},
    )
    assert response["Location"] == url("review_queue")
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED
    assert progress_of(cr_activity, poa) == 0

    client.force_login(users["focal_point"])
    page = client.get(form_url)
    assert page.context["read_only"] == ""
    assert "Adjunte la lista de asistencia." in page.content.decode()
    client.post(
        form_url,
        report_data(45, "Dos reuniones, con lista.", version=report.version, action="submit"),
    )
    report.refresh_from_db()
    assert (report.status, report.percent) == (ReportStatus.SUBMITTED, 45)
    assert progress_of(cr_activity, poa) == 0

    client.force_login(users["secretariat"])
    response = client.post(
        url("review_report", report.pk),
        {"decision": "validate", "comment": "", "version": report.version},
    )
    assert "was validated" in messages_of(response)[-1]
    report.refresh_from_db()
    assert report.status == ReportStatus.VALIDATED
    assert report.reviewed_by == users["secretariat"]
    assert progress_of(cr_activity, poa) == 45
    assert client.get(url("review_queue")).context["reports"] == []

    client.force_login(users["focal_point"])
    page = client.get(form_url)
    assert page.context["read_only"] == ReportStatus.VALIDATED
    assert 'name="percent"' not in page.content.decode()


def test_returning_a_report_needs_a_comment(client, users, cr_activity, periods):
    report = actions.save_report(
        actor=users["focal_point"],
        activity=cr_activity,
        period=periods[0],
        percent=Decimal(10),
        narrative="",
        submit=True,
    )
    client.force_login(users["secretariat"])
    response = client.post(
        url("review_report", report.pk),
        {"decision": "return", "comment": "  ", "version": report.version},
    )
    assert messages_of(response) == [
        f"Report {report}: Say what must be corrected before returning it."
    ]
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED


def test_a_review_of_a_report_changed_meanwhile_is_refused(client, users, cr_activity, periods):
    report = actions.save_report(
        actor=users["focal_point"],
        activity=cr_activity,
        period=periods[0],
        percent=Decimal(10),
        narrative="",
        submit=True,
    )
    client.force_login(users["secretariat"])
    response = client.post(
        url("review_report", report.pk),
        {"decision": "validate", "comment": "", "version": report.version + 1},
    )
    assert "Someone else saved this in the meantime" in messages_of(response)[0]
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED


@pytest.mark.parametrize("role", ["focal_point", "presidency", "observer"])
def test_only_the_secretariat_reviews(client, users, cr_activity, periods, role):
    report = actions.save_report(
        actor=users["focal_point"],
        activity=cr_activity,
        period=periods[0],
        percent=Decimal(10),
        narrative="",
        submit=True,
    )
    client.force_login(users[role])
    assert client.get(url("review_queue")).status_code == 403
    response = client.post(
        url("review_report", report.pk), {"decision": "validate", "version": report.version}
    )
    assert response.status_code == 403
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED


def test_only_validated_reports_count_in_the_progress(users, cr_activity, periods, poa):
    report = actions.save_report(
        actor=users["focal_point"],
        activity=cr_activity,
        period=periods[0],
        percent=Decimal(60),
        narrative="",
    )
    assert progress_of(cr_activity, poa) == 0
    report = actions.save_report(
        actor=users["focal_point"],
        activity=cr_activity,
        period=periods[0],
        percent=Decimal(60),
        narrative="",
        version=report.version,
        submit=True,
    )
    assert progress_of(cr_activity, poa) == 0
    actions.review_report(
        actor=users["secretariat"], report=report, validate=True, version=report.version
    )
    assert progress_of(cr_activity, poa) == 60


# --- Closed periods ----------------------------------------------------------------------


def test_a_closed_period_is_read_only_and_says_why(client, users, cr_activity, periods):
    period = periods[0]
    report = actions.save_report(
        actor=users["focal_point"],
        activity=cr_activity,
        period=period,
        percent=Decimal(30),
        narrative="Antes del cierre.",
    )
    actions.close_period(actor=None, period=period)
    client.force_login(users["focal_point"])
    form_url = url("report", period.pk, cr_activity.pk)

    page = client.get(form_url)
    assert page.context["read_only"] == "closed"
    body = page.content.decode()
    assert "was closed on" in body
    assert "Antes del cierre." in body
    assert 'name="percent"' not in body

    response = client.post(
        form_url, report_data(99, "Después del cierre.", version=report.version, action="submit")
    )
    assert response.status_code == 302
    assert messages_of(response) == ["This report can no longer be changed; nothing was saved."]
    report.refresh_from_db()
    assert (report.percent, report.narrative, report.status) == (
        30,
        "Antes del cierre.",
        ReportStatus.DRAFT,
    )


def test_a_closed_period_without_a_report_says_none_was_written(
    client, users, cr_activity, periods
):
    actions.close_period(actor=None, period=periods[0])
    client.force_login(users["focal_point"])
    page = client.get(url("report", periods[0].pk, cr_activity.pk))
    assert "No report was written on this activity for this period." in page.content.decode()
    assert (
        client.post(url("report", periods[0].pk, cr_activity.pk), report_data(5)).status_code == 302
    )
    assert not ProgressReport.objects.exists()


# --- Optimistic locking --------------------------------------------------------------------


@pytest.mark.parametrize("existing", [False, True], ids=["new-report", "existing-draft"])
def test_the_second_of_two_concurrent_saves_is_refused_with_a_clear_message(
    client, users, cr_activity, periods, existing
):
    period = periods[0]
    if existing:
        actions.save_report(
            actor=users["focal_point"],
            activity=cr_activity,
            period=period,
            percent=Decimal(5),
            narrative="Inicio.",
        )
    form_url = url("report", period.pk, cr_activity.pk)

    client.force_login(users["focal_point"])
    first_version = client.get(form_url).context["form"]["version"].value()
    client.force_login(users["presidency"])
    second_version = client.get(form_url).context["form"]["version"].value()
    assert first_version == second_version

    client.force_login(users["focal_point"])
    response = client.post(form_url, report_data(40, "Versión de Costa Rica.", first_version))
    assert response.status_code == 302

    client.force_login(users["presidency"])
    response = client.post(
        form_url, report_data(70, "Versión de la Presidencia.", second_version, action="submit")
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Someone else saved this in the meantime." in body
    assert "Versión de la Presidencia." in body  # what they typed is still in the form
    assert "Versión de Costa Rica." in body  # and what is saved now is shown beside it

    report = ProgressReport.objects.get()
    assert (report.percent, report.narrative, report.status) == (
        40,
        "Versión de Costa Rica.",
        ReportStatus.DRAFT,
    )


def test_a_stale_save_attaches_no_evidence(client, users, cr_activity, periods):
    form_url = url("report", periods[0].pk, cr_activity.pk)
    client.force_login(users["focal_point"])
    client.post(form_url, report_data(40, "Primera.", 0))
    response = client.post(
        form_url,
        report_data(50, "Segunda.", 0, evidence=SimpleUploadedFile("acta.pdf", PDF_BYTES)),
    )
    assert response.status_code == 200
    assert response.context["files_lost"]
    assert not ProgressReport.objects.get().evidence.exists()


# --- Bounded queries -------------------------------------------------------------------------


@pytest.fixture
def load_reports(poa, periods, users, validated_report, plan, terms):
    """load_reports(n): n more (synthetic) activities in the POA, with a
    committee and Costa Rica among their responsible parties, validated
    reports in the first three periods and a submitted report in the fourth."""
    committee = WorkingCommittee.objects.create(plan=plan, code="carga", name="Comité de carga")
    committee.members.add(users["focal_point"].person)
    committee.countries.add(terms["GT"])
    objective = OperationalObjective.objects.filter(operating_plan=poa).first()
    made = []

    def load(count):
        chosen = []
        for _index in range(count):
            made.append(None)
            chosen.append(
                Activity.objects.create(
                    objective=objective,
                    code=f"S-{len(made)}",
                    order=100 + len(made),
                    statement="Actividad sintética de prueba.",
                )
            )
        for activity in chosen:
            Responsible.objects.create(activity=activity, kind="committee", committee=committee)
            Responsible.objects.create(activity=activity, kind="country", country=terms["CR"])
            for period in periods[:3]:
                validated_report(activity, period, 10 * period.number)
            ProgressReport.objects.create(
                activity=activity,
                period=periods[3],
                percent=Decimal(80),
                status=ReportStatus.SUBMITTED,
                submitted_by=users["focal_point"],
                submitted_at=timezone.now() - datetime.timedelta(minutes=activity.pk),
            )
        return chosen

    return load


def count_queries(client, path, django_assert_max_num_queries, limit):
    with django_assert_max_num_queries(limit) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured), response


MY_REPORTS_MAX_QUERIES = 18
REVIEW_QUEUE_MAX_QUERIES = 12


@pytest.mark.parametrize("role", ["focal_point", "focal_point_other", "secretariat"])
def test_my_reports_queries_do_not_grow_with_the_data(
    client, users, periods, load_reports, django_assert_max_num_queries, role
):
    client.force_login(users[role])
    path = url("my_reports") + f"?period={periods[3].pk}"
    load_reports(1)
    few, _response = count_queries(
        client, path, django_assert_max_num_queries, MY_REPORTS_MAX_QUERIES
    )
    load_reports(40)
    many, response = count_queries(
        client, path, django_assert_max_num_queries, MY_REPORTS_MAX_QUERIES
    )
    assert len(response.context["rows"]) >= 40
    assert many == few


def test_the_review_queue_runs_a_fixed_number_of_queries_whatever_its_length(
    client, users, periods, load_reports, django_assert_max_num_queries
):
    def attach(report):
        actions.attach_evidence(
            actor=users["focal_point"],
            uploaded=SimpleUploadedFile("acta.pdf", PDF_BYTES),
            content_type=PDF,
            report=report,
        )

    client.force_login(users["secretariat"])
    path = url("review_queue")
    for activity in load_reports(1):
        attach(activity.reports.get(period=periods[3]))
    few, _response = count_queries(
        client, path, django_assert_max_num_queries, REVIEW_QUEUE_MAX_QUERIES
    )
    for activity in load_reports(40):
        attach(activity.reports.get(period=periods[3]))
    many, response = count_queries(
        client, path, django_assert_max_num_queries, REVIEW_QUEUE_MAX_QUERIES
    )
    assert many == few
    shown = response.context["reports"]
    assert len(shown) == 41
    assert [r.submitted_at for r in shown] == sorted(r.submitted_at for r in shown)


def test_a_validated_report_cannot_be_edited_in_the_administration(
    client, users, periods, cr_activity, validated_report
):
    report = validated_report(cr_activity, periods[0], 40)
    client.force_login(users["secretariat"])
    page = f"/es/admin/monitoring/progressreport/{report.pk}/change/"

    client.post(page, {"percent": "90", "status": "validated", "narrative": "x"})

    report.refresh_from_db()
    assert report.percent == 40
    delete = client.get(f"/es/admin/monitoring/progressreport/{report.pk}/delete/")
    assert delete.status_code == 403


def test_the_report_form_lists_the_events_that_carried_the_activity_out(
    client, users, cr_activity, periods, terms
):
    from coalicion.meetings.actions.events import create_event

    def at(day, hour):
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))

    workshop = create_event(
        actor=users["presidency"],
        kind="workshop",
        title="Taller de prueba",
        start=at(datetime.date(2018, 2, 1), 9),
        end=at(datetime.date(2018, 2, 1), 13),
        country=terms["CR"],
        city="San José",
        activities=[cr_activity],
    )
    client.force_login(users["focal_point"])
    page = client.get(url("report", periods[0].pk, cr_activity.pk)).content.decode()
    assert "Taller de prueba" in page
    assert workshop.get_absolute_url() in page
