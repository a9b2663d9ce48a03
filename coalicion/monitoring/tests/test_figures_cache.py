"""The figures cache on monitoring's figures (ADR 0055): the roll-up, the
dashboard and its charts are computed once and served from the cache, and
never stale after a write they depend on (a validation, a period's close,
an admin edit of an activity's weight)."""

import datetime
from decimal import Decimal
from unittest import mock

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from coalicion.core import figures
from coalicion.monitoring import actions, computations, rollup
from coalicion.monitoring.models import ReportStatus
from coalicion.plans.models import Activity

D = Decimal
TODAY = timezone.localdate


def url(name, *args, **query):
    with translation.override("es"):
        path = reverse(name, args=args)
    if query:
        path += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return path


def matrix_row(client, activity):
    page = client.get(url("monitoring:matrix", year=2018))
    assert page.status_code == 200
    return next(row for row in page.context["rows"] if row.activity_id == activity.pk)


def axis_progress(client, code):
    page = client.get(url("monitoring:dashboard", year=2018))
    return next(row["progress"] for row in page.context["axis_rows"] if row["code"] == code)


# --- Served from the cache ------------------------------------------------------------


def test_the_roll_up_is_computed_once_then_read_from_the_cache(poa, cr_activity, periods):
    with CaptureQueriesContext(connection) as first:
        [tree] = rollup.execution_trees(poas=[poa], as_of=TODAY())
    with CaptureQueriesContext(connection) as second:
        [again] = rollup.execution_trees(poas=[poa], as_of=TODAY())
    assert len(first) >= 4
    assert len(second) == 0  # the versions and the figure: the cache, not the database
    assert again.progress == tree.progress
    assert [n.activity.pk for n in again.activities()] == [n.activity.pk for n in tree.activities()]


def test_trees_not_kept_are_computed_each_time_and_leave_the_cache_alone(poa, cr_activity, periods):
    """The dashboard keeps its own figures: it asks the roll-up not to keep
    the whole trees (at scale 10 storing them costs more than computing)."""
    with mock.patch.object(rollup, "_execution_trees", wraps=rollup._execution_trees) as computing:
        [tree] = rollup.execution_trees(poas=[poa], as_of=TODAY(), keep=False)
        [again] = rollup.execution_trees(poas=[poa], as_of=TODAY(), keep=False)
        [kept] = rollup.execution_trees(poas=[poa], as_of=TODAY())

    assert computing.call_count == 3  # the first two were not kept for the third
    assert tree.progress == again.progress == kept.progress


def test_a_page_reads_fewer_queries_the_second_time(client, users, poa, periods):
    client.force_login(users["secretariat"])
    client.get(url("monitoring:matrix"))  # the session's first save is not the page's
    figures.changed(*computations.SOURCES)
    with CaptureQueriesContext(connection) as computed:
        client.get(url("monitoring:matrix"))
    with CaptureQueriesContext(connection) as cached:
        client.get(url("monitoring:matrix"))
    assert len(cached) < len(computed) - 10


def test_a_figure_is_kept_per_language(client, users, poa, periods):
    client.force_login(users["secretariat"])
    spanish = client.get(url("monitoring:chart", "axes"), HTTP_ACCEPT_LANGUAGE="es").json()
    english = client.get(
        url("monitoring:chart", "axes").replace("/es/", "/en/", 1), HTTP_ACCEPT_LANGUAGE="en"
    ).json()
    assert spanish != english


# --- The dashboard computes its figures once per view -----------------------------------


def test_the_dashboard_and_its_four_charts_compute_the_roll_up_once(
    client, users, poa, periods, cr_activity
):
    client.force_login(users["secretariat"])
    with mock.patch.object(rollup, "_execution_trees", wraps=rollup._execution_trees) as computing:
        assert client.get(url("monitoring:dashboard", year=2018)).status_code == 200
        for name in ("axes", "poas", "countries", "map"):
            assert client.get(url("monitoring:chart", name, year=2018)).status_code == 200
    assert computing.call_count == 1


def test_the_charts_are_embedded_in_the_page_for_the_script_to_read(client, users, poa, periods):
    client.force_login(users["secretariat"])
    html = client.get(url("monitoring:dashboard", year=2018)).content.decode()
    assert html.count('type="application/json"') >= 4
    assert "<script>" not in html  # strict CSP: no inline script


# --- Never stale ---------------------------------------------------------------------------


def submitted(users, activity, period):
    """Costa Rica's report of 60 % on `activity`, submitted for validation."""
    return actions.save_report(
        actor=users["focal_point"],
        activity=activity,
        period=period,
        percent=D(60),
        narrative="Dos reuniones.",
        submit=True,
    )


def validate(client, report):
    response = client.post(
        url("monitoring:review_report", report.pk),
        {"decision": "validate", "comment": "", "version": report.version},
    )
    assert response.status_code == 302


def test_a_validation_shows_at_once_on_the_matrix_and_the_dashboard(
    client, users, cr_activity, periods
):
    report = submitted(users, cr_activity, periods[0])
    client.force_login(users["secretariat"])
    assert matrix_row(client, cr_activity).progress == D(0)
    before = axis_progress(client, "3")
    validate(client, report)
    report.refresh_from_db()
    assert report.status == ReportStatus.VALIDATED
    assert matrix_row(client, cr_activity).progress == D(60)
    assert axis_progress(client, "3") > before


def test_a_validation_changes_the_version_again_when_it_commits(cr_activity, periods, users):
    """Other workers see the new figure because the version changes when the
    transaction commits (the test's own transaction never does: the bump
    queued for its commit is called by hand)."""
    report = actions.save_report(
        actor=users["focal_point"],
        activity=cr_activity,
        period=periods[0],
        percent=D(30),
        narrative="Un taller.",
        submit=True,
    )
    before = figures.versions(["monitoring"])
    actions.review_report(actor=users["secretariat"], report=report, validate=True)
    during = figures.versions(["monitoring"])
    assert during != before  # at once, for reads later in the transaction
    queued = [f for _sids, f, *_ in connection.run_on_commit if isinstance(f, figures._OnCommit)]
    assert len(queued) == 1  # once per transaction, whatever the rows written
    assert "monitoring" in queued[0].namespaces
    queued[0]()
    assert figures.versions(["monitoring"]) not in (before, during)


def test_an_admin_edit_of_an_activity_weight_shows_at_once(
    client, users, poa, periods, validated_report
):
    """4.1.1-1 at 100 % and 4.1.1-2 at 0 % weigh alike: their objective is at
    50 %; weighing 4.1.1-1 three times brings it to 75 %."""
    heavy = Activity.objects.get(objective__operating_plan=poa, code="4.1.1-1")
    validated_report(heavy, periods[0], 100)
    client.force_login(users["secretariat"])
    objective_row = lambda: next(  # noqa: E731
        row
        for row in client.get(url("monitoring:matrix", year=2018)).context["rows"]
        if row.kind == "operational" and row.code == heavy.objective.code
    )
    first = objective_row().progress
    change = url("admin:plans_activity_change", heavy.pk)
    data = admin_form_data(client.get(change))
    data["weight"] = "3"
    response = client.post(change, data)
    assert response.status_code == 302, response.context and response.context["errors"]
    heavy.refresh_from_db()
    assert heavy.weight == 3
    second = objective_row().progress
    assert second > first


def test_closing_a_period_is_a_write_of_monitoring(users, periods):
    before = figures.versions(["monitoring"])
    actions.close_period(actor=users["secretariat"], period=periods[0])
    assert figures.versions(["monitoring"]) != before


# --- Helpers --------------------------------------------------------------------------------


def admin_form_data(response) -> dict:
    """The POST data of an admin change form as it is shown (its inlines
    included), to change one field and save."""
    data = {}

    def add(form):
        for name in form.fields:
            value = form[name].value()
            key = form.add_prefix(name)
            if isinstance(value, bool):
                if value:
                    data[key] = "on"
            elif isinstance(value, list | tuple):
                data[key] = [str(v) for v in value]
            elif value is not None:
                data[key] = str(value)

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management[name].value()
        for form in formset.forms:
            add(form)
    return {k: v for k, v in data.items() if v != "" or k.endswith("-id")}


# --- The past plan reads one history record per object ------------------------------------


def test_the_past_plan_reads_only_the_state_of_each_object_on_the_date(poa):
    """Twenty edits of a weight: the past plan takes the one in force on
    the date, chosen by the database in one query (the query returns that
    record alone, not the twenty)."""
    activity = Activity.objects.get(objective__operating_plan=poa, code="4.1.1-1")
    history = Activity.history.filter(id=activity.pk)
    history.update(history_date=timezone.make_aware(datetime.datetime(2018, 1, 2, 8)))
    for weight in range(2, 22):
        activity.weight = weight
        activity.save()
    edits = history.order_by("history_date", "history_id")
    for day, record in enumerate(edits[1:], start=1):
        history.filter(history_id=record.history_id).update(
            history_date=timezone.make_aware(datetime.datetime(2018, 2, 1, 8))
            + datetime.timedelta(days=day)
        )
    assert history.count() >= 21
    moment = timezone.make_aware(datetime.datetime(2018, 2, 5, 23))  # after the fourth edit
    with CaptureQueriesContext(connection) as queries:
        states = rollup._states_as_of(Activity.history.filter(id=activity.pk), moment)
    assert len(queries) == 1
    assert [(s.id, s.weight) for s in states] == [(activity.pk, D(5))]


# --- The matrix workbook -----------------------------------------------------------------


def workbook_percent(client, activity) -> object:
    import io

    import openpyxl

    response = client.get(url("monitoring:matrix_xlsx", year=2018))
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    for row in book["POA 2018"].iter_rows(values_only=True):
        if activity.code in row:
            return row
    raise AssertionError(f"{activity.code} is not in the workbook")


def test_the_workbook_is_built_once_and_never_stale_after_a_validation(
    client, users, cr_activity, periods
):
    report = submitted(users, cr_activity, periods[0])
    client.force_login(users["secretariat"])
    before = workbook_percent(client, cr_activity)
    with mock.patch("coalicion.monitoring.exports.matrix_workbook") as build:
        assert workbook_percent(client, cr_activity) == before  # from the cache
    build.assert_not_called()
    validate(client, report)
    after = workbook_percent(client, cr_activity)
    assert after != before
    assert 0.6 in after or 60 in after


def test_a_workbook_over_the_limit_is_streamed_from_its_file_and_not_kept(
    client, users, poa, periods, monkeypatch
):
    from coalicion.monitoring.views import matrix

    monkeypatch.setattr(matrix, "WORKBOOK_CACHE_LIMIT", 0)
    client.force_login(users["secretariat"])
    first = b"".join(client.get(url("monitoring:matrix_xlsx")).streaming_content)
    with mock.patch(
        "coalicion.monitoring.exports.matrix_workbook", wraps=matrix.exports.matrix_workbook
    ) as build:
        again = b"".join(client.get(url("monitoring:matrix_xlsx")).streaming_content)
    assert build.call_count == 1  # built again: nothing large is kept in the cache
    assert first[:2] == again[:2] == b"PK"
