"""Statistics (issue 16) in a real browser: a focal point sends a file with
one bad row (nothing is saved, the row is named), and a visitor pivots
figures with hidden cells (a symbol and a legend, never the value).

English pages (/en/), so that the texts checked are the msgids."""

import re

import pytest
from playwright.sync_api import Page, expect

from coalicion.statistics import imports
from coalicion.statistics.tests.conftest import csv_upload, regional_rows, victim

pytestmark = pytest.mark.browser

FOCAL_POINT = "focal.cr@test.invalid"
SECRETARIAT = "secretaria.pa@test.invalid"


@pytest.fixture
def people(loaded_plan, make_user, settings, tmp_path):
    from coalicion.membership.models import Country, Organ, OrganTerm

    settings.MEDIA_ROOT = tmp_path / "media"
    countries = {c.code: c for c in Country.objects.all()}
    OrganTerm.objects.create(
        organ=Organ.objects.get(code="secretariat"), country=countries["PA"], start="2020-01-01"
    )
    return {
        "focal_point": make_user(FOCAL_POINT, country=countries["CR"]),
        "secretariat": make_user(SECRETARIAT, country=countries["PA"]),
    }


def test_a_file_with_one_bad_row_saves_nothing_and_names_the_row(
    page: Page, sign_in, people, tmp_path
):
    from coalicion.statistics.models import Batch, Record

    rows = [victim() for _ in range(6)]
    rows[3] = victim(sex="Z")  # row 5 of the file (the headings are row 1)
    path = tmp_path / "victimas.csv"
    path.write_bytes(csv_upload(rows).read())
    page.set_default_timeout(15_000)
    sign_in(FOCAL_POINT, language="en")
    page.goto("/en/statistics/")
    page.get_by_role("button", name="Send figures").click()
    page.get_by_label("Measure").select_option("tip_victims_detected")
    page.get_by_label("Kind of data").select_option("records")
    page.get_by_label("Source").fill("Policía Nacional")
    page.get_by_label("File (.csv or .xlsx)").set_input_files(str(path))
    page.get_by_role("button", name="Send").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Nothing was saved: one row has a problem.")
    expect(alert).to_contain_text("Row 5, column “sex”: “Z”")
    assert not Batch.objects.exists() and not Record.objects.exists()


def test_a_pivot_shows_hidden_cells_as_a_symbol_with_a_legend(page: Page, people):
    from coalicion.statistics import actions

    actions.start_import(
        actor=people["secretariat"],
        measure="tip_victims_detected",
        kind="records",
        source="Ministerio Público",
        uploaded=csv_upload(regional_rows(), imports.columns_of("tip_victims_detected", "records")),
    )
    page.set_default_timeout(15_000)
    page.goto(
        "/en/statistics/explore/?measure=tip_victims_detected&rows=country&columns=sex&f_year=2024"
    )
    table = page.locator("#pivot")
    costa_rica = table.get_by_role("row").filter(has_text="Costa Rica")
    expect(costa_rica).to_be_visible()
    # Costa Rica's 3 men: hidden, shown as "x" with its legend.
    cells = costa_rica.get_by_role("cell")
    expect(cells.nth(1)).to_have_text("x")
    expect(page.get_by_text(re.compile(r"x: hidden to protect the people counted"))).to_be_visible()
    assert ">3<" not in costa_rica.inner_html()
    # The chart is drawn from the published figures only.
    expect(page.locator(".chart[data-vega-state='rendered']")).to_be_visible()
