"""Shared activities (SPEC §2): every member country reports its part; the
activity's regional progress is the plain mean of the parts of the countries
that are members on the date asked about; one roll-up behind every figure.

The hand-computed scenario (`three_members`): only Costa Rica, Guatemala and
Honduras are members (the other six left on 31 December 2017); activity
3.2.1-1 is of the national bodies, so shared. In Q1 2018 Costa Rica reports
100 and Guatemala 40; Honduras reports nothing:

    3.2.1-1 = (100 + 40 + 0) / 3 = 46.67    (OO 3.2.1 = SO 3.2 = 46.67)
    axis 3 = (SO 3.1 = 0 + SO 3.2 = 46.67) / 2 = 23.33

Panamá joins on 1 July 2018 and reports 70 for Q3: from then on it counts,
    3.2.1-1 = (100 + 40 + 0 + 70) / 4 = 52.5; before 1 July it does not.
"""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from coalicion.membership.models import Country
from coalicion.monitoring import (
    actions,
    charts,
    dashboards,
    exports,
    rollup,
    roundtrip,
    selectors,
)
from coalicion.monitoring.completeness import completeness
from coalicion.monitoring.indicators import indicator_rows
from coalicion.monitoring.matrix import tree_rows
from coalicion.monitoring.models import ProgressReport, ReportStatus
from coalicion.monitoring.notices import send_report_reminders
from coalicion.notifications.sending import send_pending
from coalicion.plans.models import Activity, Responsible

D = Decimal
TODAY = timezone.localdate
LEFT = datetime.date(2017, 12, 31)
JOINED = datetime.date(2018, 7, 1)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def url(name, *args, lang="es", **query):
    with translation.override(lang):
        path = reverse(f"monitoring:{name}", args=args)
    if query:
        path += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return path


def activity(poa, code) -> Activity:
    return Activity.objects.get(objective__operating_plan=poa, code=code)


def node_of(tree, code):
    return next(n for n in tree.activities() if n.activity.code == code)


def tree_of(poa, as_of=None, country=None):
    [tree] = rollup.execution_trees(poas=[poa], as_of=as_of or TODAY())
    return rollup.restrict_tree(tree, country_id=country.pk) if country else tree


@pytest.fixture
def shared(poa):
    return activity(poa, "3.2.1-1")


@pytest.fixture
def three_members(poa, periods, terms, shared, validated_report):
    """The module's scenario, before Panamá joins."""
    for code, country in terms.items():
        if code not in ("CR", "GT", "HN"):
            country.is_member, country.member_until = False, LEFT
            country.save()
    q1 = periods[0]
    validated_report(shared, q1, 100, country=terms["CR"])
    validated_report(shared, q1, 40, country=terms["GT"])
    return terms


@pytest.fixture
def panama_joins(three_members, periods, shared, validated_report):
    panama = three_members["PA"]
    panama.is_member, panama.member_until, panama.member_since = True, None, JOINED
    panama.save()
    validated_report(shared, periods[2], 70, country=panama)
    return three_members


# --- The rule ---------------------------------------------------------------------


class TestTheRegionalFigure:
    def test_it_is_the_plain_mean_of_the_member_countries_parts(self, poa, three_members):
        node = node_of(tree_of(poa), "3.2.1-1")
        assert node.shared
        assert [(p.country.code, p.progress) for p in node.parts] == [
            ("CR", D(100)),
            ("GT", D(40)),
            ("HN", D(0)),
        ]
        assert node.progress.quantize(D("0.01")) == D("46.67")

    def test_everything_above_rolls_up_as_before(self, poa, three_members):
        tree = tree_of(poa)
        axis_3 = next(a for a in tree.axes if a.axis.code == "3")
        assert axis_3.progress.quantize(D("0.01")) == D("23.33")

    def test_a_country_that_joins_counts_only_from_its_date(self, poa, panama_joins):
        before = node_of(tree_of(poa, JOINED - datetime.timedelta(days=1)), "3.2.1-1")
        assert [p.country.code for p in before.parts] == ["CR", "GT", "HN"]
        after = node_of(tree_of(poa), "3.2.1-1")
        assert [p.country.code for p in after.parts] == ["CR", "GT", "HN", "PA"]
        assert after.progress == (D(100) + D(40) + D(0) + D(70)) / 4

    def test_a_country_that_left_no_longer_counts(self, poa, panama_joins):
        honduras = panama_joins["HN"]
        honduras.is_member, honduras.member_until = False, datetime.date(2018, 12, 31)
        honduras.save()
        node = node_of(tree_of(poa), "3.2.1-1")
        assert [p.country.code for p in node.parts] == ["CR", "GT", "PA"]
        # On the last day it was a member, it still counted.
        then = node_of(tree_of(poa, datetime.date(2018, 12, 31)), "3.2.1-1")
        assert "HN" in [p.country.code for p in then.parts]

    def test_a_report_of_the_whole_activity_does_not_count_for_a_shared_one(
        self, poa, three_members, periods, shared, validated_report
    ):
        validated_report(shared, periods[1], 90)  # no country: not a part
        assert node_of(tree_of(poa), "3.2.1-1").progress.quantize(D("0.01")) == D("46.67")

    def test_an_activity_naming_several_countries_is_shared_between_them(
        self, poa, terms, periods, validated_report
    ):
        item = activity(poa, "1.2-1")
        for code in ("CR", "GT"):
            Responsible.objects.create(activity=item, kind="country", country=terms[code])
        validated_report(item, periods[0], 50, country=terms["CR"])
        node = node_of(tree_of(poa), "1.2-1")
        assert [p.country.code for p in node.parts] == ["CR", "GT"]
        assert node.progress == D(25)

    def test_an_activity_of_one_country_is_reported_as_a_whole(self, poa, cr_activity):
        assert not node_of(tree_of(poa), cr_activity.code).shared


class TestACountrysFigures:
    def test_filtered_by_a_country_its_part_is_the_activitys_progress(self, poa, three_members):
        mine = tree_of(poa, country=three_members["GT"])
        node = node_of(mine, "3.2.1-1")
        assert node.part_of.code == "GT" and node.progress == D(40)

    def test_a_country_sees_its_own_activities_and_its_parts_only(
        self, poa, three_members, cr_activity
    ):
        mine = {n.activity.code for n in tree_of(poa, country=three_members["CR"]).activities()}
        assert mine == {"2.1.2-1", "2.1.3-1", "3.2.1-1", cr_activity.code}
        theirs = {n.activity.code for n in tree_of(poa, country=three_members["GT"]).activities()}
        assert cr_activity.code not in theirs

    def test_the_per_country_figures_are_the_roots_of_the_filtered_trees(self, poa, three_members):
        [tree] = rollup.execution_trees(poas=[poa], as_of=TODAY())
        figures = {f.country.code: f.progress for f in rollup.country_figures(tree)}
        for code in ("CR", "GT", "HN"):
            assert figures[code] == tree_of(poa, country=three_members[code]).progress
        assert figures["CR"] != figures["GT"] != figures["HN"]
        assert set(figures) == {"CR", "GT", "HN"}  # members today only


# --- Reporting a part ------------------------------------------------------------------


class TestReportingAPart:
    @pytest.fixture(autouse=True)
    def messages_in_english(self):
        with translation.override("en"):
            yield

    def test_a_focal_point_reports_their_countrys_part(self, users, periods, shared, terms):
        report = actions.save_report(
            actor=users["focal_point_other"],
            activity=shared,
            period=periods[0],
            country=terms["GT"],
            percent=D(30),
            narrative="Sesiones nacionales.",
            submit=True,
        )
        assert report.country == terms["GT"] and report.status == ReportStatus.SUBMITTED

    def test_a_shared_activity_needs_the_country(self, users, periods, shared):
        with (
            translation.override("en"),
            pytest.raises(ValidationError, match="each country reports its own part"),
        ):
            actions.save_report(
                actor=users["secretariat"],
                activity=shared,
                period=periods[0],
                percent=D(30),
                narrative="",
            )

    def test_an_activity_of_one_country_takes_no_country(self, users, periods, cr_activity, terms):
        with (
            translation.override("en"),
            pytest.raises(ValidationError, match="reported as a whole"),
        ):
            actions.save_report(
                actor=users["secretariat"],
                activity=cr_activity,
                period=periods[0],
                country=terms["CR"],
                percent=D(30),
                narrative="",
            )

    def test_a_country_without_a_part_is_refused(self, users, periods, three_members, shared):
        with pytest.raises(ValidationError, match="has no part"):
            actions.save_report(
                actor=users["secretariat"],
                activity=shared,
                period=periods[0],
                country=three_members["SV"],  # left the Coalition in 2017
                percent=D(30),
                narrative="",
            )

    def test_a_cancelled_activity_takes_no_report(self, users, periods, shared, terms):
        shared.cancelled = True
        shared.save()
        with (
            translation.override("en"),
            pytest.raises(ValidationError, match="is cancelled: it takes no more reports"),
        ):
            actions.save_report(
                actor=users["secretariat"],
                activity=shared,
                period=periods[0],
                country=terms["CR"],
                percent=D(30),
                narrative="",
            )

    def test_on_the_page_a_cancelled_activity_is_refused_with_a_message(
        self, client, users, periods, cr_activity
    ):
        cr_activity.cancelled = True
        cr_activity.save()
        client.force_login(users["focal_point"])
        response = client.post(
            url("report", periods[0].pk, cr_activity.pk, lang="en"),
            {"percent": "10", "narrative": "", "version": "0", "action": "draft"},
        )
        assert response.status_code == 200
        assert "is cancelled: it takes no more reports" in response.content.decode()
        assert not ProgressReport.objects.exists()

    def test_a_focal_point_never_reports_another_countrys_part(
        self, client, users, periods, shared
    ):
        client.force_login(users["focal_point_other"])  # Guatemala
        page = url("report_part", periods[0].pk, shared.pk, "CR")
        assert client.get(page).status_code == 403
        response = client.post(
            page, {"percent": "90", "narrative": "", "version": "0", "action": "submit"}
        )
        assert response.status_code == 403
        assert not ProgressReport.objects.exists()

    def test_the_part_page_saves_the_part_with_evidence(self, client, users, periods, shared):
        client.force_login(users["focal_point"])
        page = url("report_part", periods[0].pk, shared.pk, "cr")
        response = client.post(
            page,
            {
                "percent": "55",
                "narrative": "Reunión interinstitucional.",
                "version": "0",
                "action": "submit",
                "evidence": SimpleUploadedFile("acta.txt", b"Acta de la reunion.\n"),
            },
        )
        assert response.status_code == 302
        report = ProgressReport.objects.get()
        assert report.country.code == "CR" and report.evidence.count() == 1

    def test_my_reports_lists_the_countrys_parts(self, client, users, periods):
        client.force_login(users["focal_point_other"])
        rows = client.get(url("my_reports")).context["rows"]
        assert {(row.activity.code, row.country.code) for row in rows} == {
            ("2.1.2-1", "GT"),
            ("2.1.3-1", "GT"),
            ("3.2.1-1", "GT"),
        }
        html = client.get(url("my_reports", lang="en")).content.decode()
        assert "Part of Guatemala" in html

    def test_the_activity_page_shows_the_parts_side_by_side(
        self, client, users, periods, three_members, shared
    ):
        client.force_login(users["secretariat"])
        response = client.get(url("activity", shared.pk, lang="en", period=periods[0].pk))
        rows = response.context["rows"]
        assert [(row.country.code, row.report and row.report.percent) for row in rows] == [
            ("CR", D(100)),
            ("GT", D(40)),
            ("HN", None),
        ]
        html = response.content.decode()
        assert "46.7 %" in html  # the regional figure today
        assert "days late" in html  # Honduras's part was due on 15 April 2018


# --- Completeness, reminders and the round-trip ------------------------------------------


def test_completeness_counts_one_part_per_country_and_names_the_late_one(
    poa, periods, three_members, shared
):
    result = completeness(operating_plan=poa, period=periods[0])
    late = {(i.activity.code, i.country and i.country.code) for i in result.late}
    assert ("3.2.1-1", "HN") in late
    assert ("3.2.1-1", "CR") not in late  # validated
    # 10 activities reported as a whole and 3 of the national bodies × 3 members.
    assert result.total.due == 10 + 3 * 3


def test_reminders_go_to_the_country_that_owes_its_part(users, periods, three_members):
    run = send_report_reminders(period=periods[0])
    send_pending()
    guatemala = [r for r in run.reminders if r.email == "focal.gt@test.invalid"]
    assert guatemala
    assert {(i.activity.code, i.country.code) for i in guatemala[0].items} >= {
        ("2.1.2-1", "GT"),
        ("2.1.3-1", "GT"),
    }
    assert ("3.2.1-1", "GT") not in {
        (i.activity.code, i.country and i.country.code) for i in guatemala[0].items
    }
    summary = next(r for r in run.reminders if r.summary)
    assert ("3.2.1-1", "HN") in {
        (i.activity.code, i.country and i.country.code) for i in summary.items
    }
    message = next(m for m in mail.outbox if "resumen" in m.subject)  # the Secretariat's
    assert message.to == ["secretariat@test.invalid"]
    assert "3.2.1-1, parte de Honduras" in message.body


def _template(client, period):
    response = client.get(url("report_template", period.pk))
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = workbook.worksheets[0]
    header = [cell.value for cell in sheet[1]]
    with translation.override("es"):
        labels = {key: str(label) for key, label in roundtrip.COLUMNS}
    columns = {key: header.index(label) for key, label in labels.items()}
    return workbook, sheet, columns


def _upload(client, period, workbook):
    buffer = io.BytesIO()
    workbook.save(buffer)
    upload = SimpleUploadedFile("informes.xlsx", buffer.getvalue(), content_type=XLSX)
    return client.post(url("upload_reports", period.pk, lang="en"), {"file": upload})


def test_the_excel_round_trip_carries_the_countrys_parts(client, users, periods, shared, terms):
    # A draft whose narrative starts like a formula: the template neutralises it.
    actions.save_report(
        actor=users["focal_point_other"],
        activity=shared,
        period=periods[0],
        country=terms["GT"],
        percent=D(10),
        narrative="-Mesa técnica nacional",
    )
    client.force_login(users["focal_point_other"])
    workbook, sheet, column = _template(client, periods[0])
    rows = list(sheet.iter_rows(min_row=2))
    assert {(r[column["code"]].value, r[column["country"]].value) for r in rows} == {
        ("2.1.2-1", "GT"),
        ("2.1.3-1", "GT"),
        ("3.2.1-1", "GT"),
    }
    row = next(r for r in rows if r[column["code"]].value == shared.code)
    assert row[column["narrative"]].value == "'-Mesa técnica nacional"
    row[column["percent"]].value = 35
    # A row claiming Costa Rica's part is refused, and nothing is saved.
    forged = [cell.value for cell in row]
    forged[column["country"]] = "CR"
    forged[column["version"]] = 0
    sheet.append(forged)

    response = _upload(client, periods[0], workbook)

    assert "is not your responsibility" in " ".join(response.context["errors"])
    assert ProgressReport.objects.get().percent == 10

    sheet.delete_rows(sheet.max_row)
    response = _upload(client, periods[0], workbook)

    assert response.status_code == 302, response.context["errors"]
    report = ProgressReport.objects.get()
    assert (report.activity, report.country.code, report.percent) == (shared, "GT", 35)
    # What the template neutralised against formulas comes back as it was typed.
    assert report.narrative == "-Mesa técnica nacional"


def test_a_formula_without_a_result_is_refused_with_its_row_and_column(
    client, users, periods, shared
):
    client.force_login(users["focal_point_other"])
    workbook, sheet, column = _template(client, periods[0])
    row = next(r for r in sheet.iter_rows(min_row=2) if r[column["code"]].value == shared.code)
    row[column["percent"]].value = 20
    row[column["narrative"]].value = "=CONCAT(A1, B1)"  # a formula nobody calculated

    response = _upload(client, periods[0], workbook)

    assert response.context["errors"] == [
        f"Row {row[0].row}: the column “Narrative” holds a formula without a calculated "
        "result; type the value itself."
    ]
    assert not ProgressReport.objects.exists()


def test_a_row_without_its_version_is_refused(client, users, periods, shared):
    client.force_login(users["focal_point_other"])
    workbook, sheet, column = _template(client, periods[0])
    row = next(r for r in sheet.iter_rows(min_row=2) if r[column["code"]].value == shared.code)
    row[column["percent"]].value = 20
    row[column["version"]].value = None

    response = _upload(client, periods[0], workbook)

    assert "the version “” is missing or not valid" in response.context["errors"][0]
    assert not ProgressReport.objects.exists()


# --- One roll-up behind every figure ---------------------------------------------------------


@pytest.fixture
def everything(poa, panama_joins, periods, validated_report, cr_activity, users):
    """The scenario with more: Costa Rica's own activity at 60, a cancelled
    activity with a report, a part returned (not counted)."""
    validated_report(cr_activity, periods[1], 60)
    cancelled = activity(poa, "4.1.1-2")
    cancelled.cancelled = True
    cancelled.save()
    validated_report(cancelled, periods[1], 100)
    returned = ProgressReport.objects.create(
        activity=activity(poa, "2.1.2-1"),
        period=periods[1],
        country=panama_joins["HN"],
        percent=D(80),
        status=ReportStatus.RETURNED,
    )
    return returned


def share(percent):
    """A percentage as the workbook stores it (a fraction), or None."""
    return None if percent is None else pytest.approx(float(percent / 100))


def _page_tree_rows(response):
    return {(row.code, row.kind): row.progress for row in response.context["rows"]}


@pytest.mark.parametrize("country", [None, "GT", "PA"])
@pytest.mark.parametrize("as_of", [None, "2018-06-30"])
def test_every_page_and_export_gives_the_same_figures(
    client, users, plan, poa, everything, country, as_of
):
    """The matrix page, the execution-tree page, the dashboard (page, charts
    and map), the XLSX and the roll-up itself agree, for the region and for a
    country, today and as of a past date."""
    day = datetime.date.fromisoformat(as_of) if as_of else TODAY()
    chosen = Country.objects.get(code=country) if country else None
    expected_tree = tree_of(poa, day, chosen)
    expected = {(row.code, row.kind): row.progress for row in tree_rows(expected_tree)}
    query = {"year": 2018, "as_of": day.isoformat()}
    if country:
        query["country"] = country
    client.force_login(users["observer"])

    matrix = client.get(url("matrix", **query))
    assert _page_tree_rows(matrix) == expected
    assert matrix.context["tree"].progress == expected_tree.progress
    tree_page = client.get(url("tree", 2018, **{k: v for k, v in query.items() if k != "year"}))
    assert _page_tree_rows(tree_page) == expected

    board = client.get(url("dashboard", **query))
    data = board.context["data"]
    assert data.tree.progress == expected_tree.progress
    axes = {row["code"]: row["progress"] for row in board.context["axis_rows"]}
    assert axes == {node.axis.code: node.progress for node in expected_tree.axes}
    [regional] = rollup.execution_trees(poas=[poa], as_of=day)
    figures = {f.country.code: f.progress for f in rollup.country_figures(regional)}
    assert {row["code"]: row["progress"] for row in board.context["country_rows"]} == figures
    names = {f.country.name: f.progress for f in rollup.country_figures(regional)}
    for name in ("countries", "map"):
        spec = client.get(url("chart", name, **query)).json()
        layer = spec["layer"][1] if name == "map" else spec
        assert {v["label"]: v["progress"] for v in layer["data"]["values"]} == {
            label: float(charts.rounded(value)) if value is not None else None
            for label, value in names.items()
        }
    if chosen is not None and country in figures:  # Panamá joined on 1 July 2018
        assert figures[country] == expected_tree.progress

    xlsx = client.get(url("matrix_xlsx", **query))
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.getvalue()))["POA 2018"]
    header = [cell.value for cell in sheet[1]]
    code, progress = header.index("Código"), header.index("Avance")
    by_code = {row[code]: row[progress] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert by_code["POA 2018"] == share(expected_tree.progress)
    if any(n.activity.code == "3.2.1-1" for n in expected_tree.activities()):
        assert by_code["3.2.1-1"] == share(node_of(expected_tree, "3.2.1-1").progress)


def test_the_xlsx_carries_the_poa_total_and_the_biennium(client, users, plan, poa, everything):
    from coalicion.membership.models import Organ, OrganTerm

    OrganTerm.objects.create(
        organ=Organ.objects.get(code="secretariat"),
        country=Country.objects.get(code="CR"),
        start="2017-01-01",
        end="2018-12-31",
    )
    client.force_login(users["observer"])
    workbook = openpyxl.load_workbook(
        io.BytesIO(client.get(url("matrix_xlsx", year=2018)).getvalue())
    )
    summary = workbook["Resumen"]
    rows = {row[0]: row for row in summary.iter_rows(min_row=2, values_only=True)}
    [tree] = rollup.execution_trees(poas=[poa], as_of=TODAY())
    poa_row = next(row for label, row in rows.items() if label and "2018" in str(label))
    assert poa_row[1] == pytest.approx(float(tree.progress / 100))
    biennium = next(row for label, row in rows.items() if label and "Bienio" in str(label))
    assert biennium[1] == pytest.approx(float(rollup.biennium_progress([tree]) / 100))


def test_the_xlsx_and_the_page_share_the_functions(plan, poa, everything):
    """The workbook is written from `tree_rows` of the same trees the page shows."""
    [tree] = rollup.execution_trees(poas=[poa], as_of=TODAY())
    content = exports.matrix_workbook(
        trees=[tree],
        indicator_rows=indicator_rows(plan=plan, as_of=TODAY()),
        years=[2018],
        as_of=TODAY(),
        filters=[],
        bienniums=[],
    )
    sheet = openpyxl.load_workbook(content).worksheets[1]
    assert sheet.max_row == len(tree_rows(tree)) + 2  # header and POA total


def test_the_dashboard_takes_at_most_twelve_queries(
    client, users, plan, poa, everything, django_assert_max_num_queries
):
    client.force_login(users["observer"])
    client.get(url("dashboard"))  # the session and the plan's caches
    with django_assert_max_num_queries(12):
        response = client.get(url("dashboard", country="GT"))
    assert response.status_code == 200


def test_the_dashboard_map_and_country_chart_show_different_figures_per_country(
    plan, poa, everything
):
    data = dashboards.dashboard(plan=plan, year=2018, as_of=TODAY())
    values = {row["code"]: row["progress"] for row in dashboards.country_rows(data)}
    assert len(set(values.values())) > 1


def test_a_past_date_uses_the_members_of_that_date(poa, panama_joins):
    [before] = rollup.execution_trees(poas=[poa], as_of=JOINED - datetime.timedelta(days=1))
    assert [m.code for m in before.members] == ["CR", "GT", "HN"]
    [after] = rollup.execution_trees(poas=[poa], as_of=TODAY())
    assert "PA" in [m.code for m in after.members]


def test_expected_reports_take_a_fixed_number_of_queries(
    periods, three_members, django_assert_max_num_queries
):
    with django_assert_max_num_queries(8):
        rows = selectors.expected_reports(periods=periods)
    assert len(rows) == 4 * (10 + 3 * 3)
