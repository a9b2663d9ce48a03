"""Dates read the same way to every reader: English pages and exports never
use the US numeric order (05/04/1959 for 4 May 1959)."""

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import formats, translation

pytestmark = pytest.mark.django_db

MAY_4_1959 = datetime.date(1959, 5, 4)


@pytest.mark.parametrize("name", ["DATE_FORMAT", "SHORT_DATE_FORMAT"])
def test_english_dates_are_day_month_name_year(name):
    with translation.override("en"):
        assert formats.date_format(MAY_4_1959, name) == "4 May 1959"


def test_english_date_times_keep_the_day_first():
    moment = datetime.datetime(2026, 12, 3, 14, 5)
    with translation.override("en"):
        assert formats.date_format(moment, "DATETIME_FORMAT") == "3 December 2026, 2:05 p.m."
        assert formats.date_format(moment, "SHORT_DATETIME_FORMAT") == "3 Dec 2026, 2:05 p.m."


def test_spanish_dates_keep_the_day_first():
    with translation.override("es"):
        assert formats.date_format(MAY_4_1959, "SHORT_DATE_FORMAT") == "04/05/1959"
        assert formats.date_format(MAY_4_1959, "DATE_FORMAT") == "4 de mayo de 1959"


def test_english_forms_refuse_a_numeric_date_that_reads_both_ways():
    from django import forms

    class DateForm(forms.Form):
        day = forms.DateField()

    with translation.override("en"):
        assert not DateForm({"day": "05/04/1959"}).is_valid()
        assert DateForm({"day": "1959-05-04"}).is_valid()
        named = DateForm({"day": "4 May 1959"})
        assert named.is_valid() and named.cleaned_data["day"] == MAY_4_1959


def test_the_english_legal_framework_shows_4_may_1959(client, plan):
    html = client.get("/en/legal/instruments/").content.decode()
    assert "4 May 1959" in html  # Costa Rica, ILO Convention 105
    assert "05/04/1959" not in html
    assert "04/05/1959" in client.get("/es/legal/instruments/").content.decode()


def test_dates_in_english_xlsx_exports_are_iso(client, plan, users):
    client.force_login(users["observer"])
    with translation.override("en"):
        response = client.get(reverse("monitoring:matrix_xlsx"))
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.getvalue()))
    date_cells = [
        cell
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, (datetime.date, datetime.datetime))
    ]
    assert date_cells
    for cell in date_cells:
        assert cell.number_format.startswith("yyyy-mm-dd"), (cell.coordinate, cell.number_format)


def test_dates_the_plan_prints_without_a_country_follow_the_page_language(client, plan):
    english = client.get("/en/legal/instruments/").content.decode()
    row = english[english.index('id="icrmw"') :]
    row = row[: row.index("</tr>")]
    assert "9 Aug 2005 (a)" in row and "8 Mar 1999" in row
    assert "09 /08/ 2005" not in row
    spanish = client.get("/es/legal/instruments/").content.decode()
    row = spanish[spanish.index('id="icrmw"') :]
    assert "09/08/2005 (a)" in row[: row.index("</tr>")]
