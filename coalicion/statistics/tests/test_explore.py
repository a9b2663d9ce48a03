import csv
import io
import re

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse

from coalicion.audit.models import AuditEvent
from coalicion.statistics import selectors
from coalicion.statistics.models import ReleaseCell
from coalicion.statistics.selectors import HIDDEN, SHOWN, UNAVAILABLE, Query

BY_SEX = {"measure": "tip_victims_detected", "rows": "country", "columns": "sex", "f_year": "2024"}


def cr_men(pivot):
    return pivot.cells[("CR", "M")]


def test_the_public_sees_a_small_count_hidden(regional):
    pivot = selectors.explore(
        viewer=selectors.PUBLIC,
        query=Query("tip_victims_detected", "country", "sex", {"year": "2024"}),
    )
    assert cr_men(pivot).state == HIDDEN and cr_men(pivot).value is None
    assert pivot.cells[("_T", "_T")] == selectors.Figure(148, SHOWN)
    # The value is not even stored in the release.
    cell = ReleaseCell.objects.get(
        release__is_current=True,
        country="CR",
        sex="M",
        age_group="_T",
        exploitation="_T",
        citizenship_group="_T",
        scope="_T",
        source_type="_T",
    )
    assert cell.value is None and cell.status == "primary"


def test_the_owning_country_and_the_secretariat_see_full_figures(regional, users):
    query = Query("tip_victims_detected", "country", "sex", {"year": "2024"})
    own = selectors.explore(viewer=selectors.viewer_for(users["focal_point"]), query=query)
    assert cr_men(own) == selectors.Figure(3, SHOWN, full=True)
    # Guatemala's row stays protected for Costa Rica: only what is published.
    assert not own.cells[("GT", "M")].full
    other = selectors.explore(viewer=selectors.viewer_for(users["focal_point_other"]), query=query)
    assert cr_men(other).state == HIDDEN
    secretariat = selectors.explore(viewer=selectors.viewer_for(users["secretariat"]), query=query)
    assert cr_men(secretariat).value == 3 and secretariat.cells[("_T", "M")].value == 58


@pytest.mark.parametrize("role", ["presidency", "observer", "focal_point_other", "anonymous"])
def test_everyone_else_sees_protected_figures(regional, users, role):
    viewer = selectors.viewer_for(users[role]) if users[role] else selectors.PUBLIC
    assert viewer == selectors.PUBLIC or "CR" not in viewer.full_countries


def test_three_crossed_dimensions_are_not_published_to_others(regional, users):
    query = Query("tip_victims_detected", "sex", "age_group", {"year": "2024", "country": "GT"})
    pivot = selectors.explore(viewer=selectors.PUBLIC, query=query)
    interior = [f for (r, c), f in pivot.cells.items() if "_T" not in (r, c)]
    assert {f.state for f in interior} == {UNAVAILABLE}
    # The margins cross two dimensions (country and one other): published.
    assert pivot.cells[("_T", "_T")] == selectors.Figure(60, SHOWN)
    own = selectors.explore(viewer=selectors.viewer_for(users["focal_point_other"]), query=query)
    assert own.cells[("F", "adult")] == selectors.Figure(30, SHOWN, full=True)


def test_totals_over_years_are_not_published(regional):
    query = Query("tip_victims_detected", "country", "sex", {})
    pivot = selectors.explore(viewer=selectors.PUBLIC, query=query)
    assert pivot.states() == {UNAVAILABLE}


def hidden_cell_texts(html):
    return re.findall(r'<td class="[^"]*hidden-cell[^"]*">(.*?)</td>', html)


def test_the_page_shows_a_symbol_and_a_legend_never_the_value(
    regional, client, django_assert_max_num_queries
):
    with django_assert_max_num_queries(12):
        response = client.get(reverse("statistics:explore"), BY_SEX)
    html = response.content.decode()
    texts = hidden_cell_texts(html)
    assert texts and all(">x<" in text for text in texts)
    row = re.search(r"Costa Rica</th>(.*?)</tr>", html, re.S).group(1)
    assert ">3<" not in row
    assert "x:" in html  # the legend


def test_the_chart_data_leaves_hidden_cells_out(regional, client):
    spec = client.get(reverse("statistics:chart"), BY_SEX).json()
    from coalicion.core import vega

    assert vega.problems(spec) == []  # requests do not validate it; the test does
    points = sorted(v["value"] for v in spec["data"]["values"] if v["row"] == "Costa Rica")
    pivot = selectors.explore(
        viewer=selectors.PUBLIC,
        query=Query("tip_victims_detected", "country", "sex", {"year": "2024"}),
    )
    shown = sorted(
        figure.value
        for (row, column), figure in pivot.cells.items()
        if row == "CR" and column != "_T" and figure.state == SHOWN
    )
    assert points == shown
    assert 3 not in points


def test_exports_are_protected_even_for_the_secretariat_and_are_audited(regional, client, users):
    client.force_login(users["secretariat"])
    response = client.get(reverse("statistics:export", args=["csv"]), BY_SEX)
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    costa_rica = next(row for row in rows if row and row[0] == "Costa Rica")
    assert costa_rica[2] == "x"  # F, M, X, U, total: men second
    event = AuditEvent.objects.get(action=AuditEvent.Action.DOWNLOAD)
    assert event.detail["what"] == "statistics export" and event.detail["format"] == "csv"
    response = client.get(reverse("statistics:export", args=["xlsx"]), BY_SEX)
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    costa_rica = next(row for row in values if row and row[0] == "Costa Rica")
    assert costa_rica[2] == "x"
    assert AuditEvent.objects.filter(action=AuditEvent.Action.DOWNLOAD).count() == 2


def test_the_public_overview_shows_protected_regional_totals(regional, client):
    response = client.get(reverse("statistics:index"))
    assert response.status_code == 200
    assert "148" in response.content.decode()


def test_the_audit_command_passes_on_the_live_data(regional):
    out = io.StringIO()
    call_command("audit_statistics", stdout=out)
    assert "0 failures" in out.getvalue()


def test_the_audit_command_fails_when_a_release_was_tampered_with(regional):
    # Publish the true value of every cell hidden to protect the small one:
    # the audit must find the small count exposed.
    from coalicion.statistics import actions, disclosure
    from coalicion.statistics.codes import CHARACTERISTICS, characteristics_of

    dimensions = ("country", *characteristics_of("tip_victims_detected"))
    counts = actions.inner_counts(measure="tip_victims_detected", year=2024)
    tables = disclosure.linked_tables(disclosure.Table(dimensions, counts))
    for cell in ReleaseCell.objects.filter(release__is_current=True, status="secondary"):
        key = (
            cell.country,
            *(getattr(cell, name) for name in CHARACTERISTICS if name in dimensions),
        )
        cell.status = "published"
        cell.value = int(tables.values[tables.index[key]])
        cell.save()
    from django.core.management.base import CommandError

    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("audit_statistics", stdout=out)
    assert "FAIL" in out.getvalue()


def test_protect_statistics_does_nothing_when_the_data_did_not_change(regional):
    out = io.StringIO()
    before = ReleaseCell.objects.count()
    call_command("protect_statistics", stdout=out)
    assert ReleaseCell.objects.count() == before
    call_command("protect_statistics", "--force", stdout=out)
    assert "tip_victims_detected 2024" in out.getvalue()


def test_a_time_series_shows_each_years_published_figure(regional, send, users):
    from coalicion.statistics.tests.conftest import victim

    send(users["secretariat"], [victim(country="GT", year=2023) for _ in range(25)])
    query = Query("tip_victims_detected", "year", "country", {})
    pivot = selectors.explore(viewer=selectors.PUBLIC, query=query)
    assert pivot.cells[("2023", "GT")] == selectors.Figure(25, SHOWN)
    assert pivot.cells[("2024", "GT")] == selectors.Figure(60, SHOWN)
    # No total over several years is published.
    assert pivot.cells[("_T", "GT")].state == UNAVAILABLE
