"""The monitoring matrix as XLSX."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.utils import timezone

from coalicion.monitoring.exports import sheet_title
from coalicion.monitoring.tests.test_indicator_status import make_manual, make_value
from coalicion.monitoring.tests.test_matrix import url
from coalicion.plans.models import Activity

pytestmark = pytest.mark.django_db


@pytest.fixture
def national_strategies(plan):
    return make_manual(
        plan, "2.1", baseline_value=Decimal(0), baseline_year=2018, target_value=Decimal(9)
    )


@pytest.fixture
def observer(client, users):
    client.force_login(users["observer"])
    return client


def workbook(response):
    """The workbook of a response, which streams it (read once, then kept)."""
    assert response.status_code == 200
    if not hasattr(response, "xlsx_bytes"):
        assert response.streaming
        response.xlsx_bytes = response.getvalue()
    return openpyxl.load_workbook(io.BytesIO(response.xlsx_bytes))


def header(sheet) -> list:
    return [cell.value for cell in sheet[1]]


def column(sheet, title) -> int:
    return header(sheet).index(title) + 1


def row_of(sheet, code_column, code):
    for row in sheet.iter_rows(min_row=2):
        if row[code_column - 1].value == code:
            return row
    raise AssertionError(f"no row {code}")


def test_the_workbook_has_a_sheet_per_poa_and_one_of_indicators(observer):
    response = observer.get(url("matrix_xlsx", lang="en"))

    book = workbook(response)
    assert book.sheetnames == ["Summary", "POA 2018", "Indicators", "Method"]
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2"
        assert all(cell.font.bold for cell in sheet[1] if cell.value)
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == (
        f'attachment; filename="monitoring-matrix-{today}.xlsx"'
    )


def test_the_tree_sheet_has_numbers_percentages_and_dates(
    observer, poa, periods, cr_activity, validated_report
):
    validated_report(cr_activity, periods[1], "45.5")
    cr_activity.start, cr_activity.end = datetime.date(2018, 3, 1), datetime.date(2018, 11, 30)
    cr_activity.save()

    sheet = workbook(observer.get(url("matrix_xlsx", lang="en")))["POA 2018"]

    assert header(sheet)[:7] == [
        "Level",
        "Code",
        "Text",
        "Weight",
        "Progress",
        "Counted",
        "Status",
    ]
    row = row_of(sheet, column(sheet, "Code"), "3.1.1-1")
    progress = row[column(sheet, "Progress") - 1]
    assert progress.value == pytest.approx(0.455) and progress.number_format == "0.0%"
    assert row[column(sheet, "Weight") - 1].value == 1
    start = row[column(sheet, "Start") - 1]
    assert start.is_date and start.value.date() == datetime.date(2018, 3, 1)
    assert "Costa Rica" in row[column(sheet, "Responsible parties") - 1].value
    assert row[0].value == "Activity"


def test_the_indicator_sheet_has_the_matrix_columns(observer, national_strategies, terms):
    make_value(
        national_strategies, 2020, country=terms["CR"], value=4, on=datetime.date(2021, 1, 5)
    )

    sheet = workbook(observer.get(url("matrix_xlsx", lang="en")))["Indicators"]

    titles = header(sheet)
    for title in ["Axis", "Strategic objective", "Result", "Indicator", "Baseline", "Target"]:
        assert title in titles
    assert [str(year) for year in range(2018, 2028)] == titles[11:21]
    for title in ["Current value", "Achievement", "Pace", "Responsible", "Means of verification"]:
        assert title in titles
    row = row_of(sheet, column(sheet, "Indicator code"), "2.1")
    assert row[column(sheet, "2020") - 1].value == 4
    achievement = row[column(sheet, "Achievement") - 1]
    assert achievement.value == pytest.approx(4 / 9) and achievement.number_format == "0.0%"
    assert row[column(sheet, "Target") - 1].value == 9


def test_the_xlsx_follows_the_as_of_date(observer, national_strategies, terms):
    make_value(
        national_strategies, 2020, country=terms["CR"], value=4, on=datetime.date(2021, 1, 5)
    )

    response = observer.get(url("matrix_xlsx", lang="en", as_of="2020-12-31"))

    sheet = workbook(response)["Indicators"]
    row = row_of(sheet, column(sheet, "Indicator code"), "2.1")
    assert row[column(sheet, "2020") - 1].value is None
    assert "monitoring-matrix-2020-12-31.xlsx" in response["Content-Disposition"]
    method = workbook(response)["Method"]
    assert method["B2"].value.date() == datetime.date(2020, 12, 31)


def test_text_that_could_run_as_a_formula_is_neutralised(observer, plan, poa):
    activity = Activity.objects.filter(objective__operating_plan=poa).first()
    activity.statement = activity.statement_en = '=HYPERLINK("http://evil.invalid","x")'
    activity.save()
    make_manual(plan, "3.1", means_of_verification_en="=1+1", means_of_verification="=1+1")

    book = workbook(observer.get(url("matrix_xlsx", lang="en")))

    tree = book["POA 2018"]
    row = row_of(tree, 2, activity.code)
    assert row[2].value == "'" + activity.statement and row[2].data_type == "s"
    indicators = book["Indicators"]
    row = row_of(indicators, column(indicators, "Indicator code"), "3.1")
    cell = row[column(indicators, "Means of verification") - 1]
    assert cell.value == "'=1+1" and cell.data_type == "s"


def test_the_year_filter_exports_that_poa_only(observer):
    book = workbook(observer.get(url("matrix_xlsx", lang="en", year=2018, axis="2")))

    sheet = book["POA 2018"]
    axes = {row[1].value for row in sheet.iter_rows(min_row=2) if row[0].value == "Axis"}
    assert axes == {"2"}


def test_headers_follow_the_active_language(observer):
    book = workbook(observer.get(url("matrix_xlsx", lang="es")))

    assert book.sheetnames == ["Resumen", "POA 2018", "Indicadores", "Método"]
    assert all(len(name) <= 31 for name in book.sheetnames)


def test_sheet_titles_are_valid_and_unique():
    taken = set()

    first = sheet_title("Plan operativo: [2018/2019] " + "x" * 40, taken)
    second = sheet_title("Plan operativo: [2018/2019] " + "x" * 40, taken)

    assert len(first) <= 31 and len(second) <= 31
    assert not set("[]:*?/\\") & set(first)
    assert first != second


def test_the_xlsx_needs_an_account(client, users):
    response = client.get(url("matrix_xlsx"))

    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_xlsx_takes_a_fixed_number_of_queries(
    observer, plan, poa, periods, terms, validated_report, django_assert_max_num_queries
):
    # 46: the computed indicators read their records; an indicator whose
    # values are entered brings one query for all of them. The point is
    # that the count does not grow with the values and the reports.
    indicator = make_manual(plan, "2.1", baseline_value=0, target_value=9)
    with django_assert_max_num_queries(46) as small:
        observer.get(url("matrix_xlsx"))
    for year in range(2018, 2025):
        for code in ("CR", "GT", "HN"):
            make_value(indicator, year, country=terms[code], value=1)
    for activity in Activity.objects.filter(objective__operating_plan=poa)[:20]:
        for period in periods:
            validated_report(activity, period, 25 * period.number)
    with django_assert_max_num_queries(len(small.captured_queries)):
        observer.get(url("matrix_xlsx"))
