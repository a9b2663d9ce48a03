"""The figures of the accountability report on a period with known numbers
(see `conftest.known`), and the same figures as the pages'."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from coalicion.core import report_sections
from coalicion.monitoring import charts
from coalicion.plans.models import Indicator
from coalicion.reports import assembly

D = Decimal
AS_OF = datetime.date(2026, 12, 1)


def data_of(plan, term, as_of=AS_OF, lang="es"):
    with translation.override(lang):
        period = assembly.term_period(term, as_of=as_of)
        return assembly.accountability_data(plan=plan, period=period, as_of=as_of, lang=lang)


def test_the_execution_of_the_term_is_the_weighted_roll_up(plan, known):
    data = data_of(plan, known["term"])
    [poa] = data["poas"]
    assert poa["year"] == 2018
    shared = {row["code"]: row for row in poa["shared"]}
    # Shared activities: the plain mean over the nine member countries.
    assert shared["2.1.2-1"]["parts"]["CR"] == D(70)
    assert shared["2.1.2-1"]["parts"]["GT"] == D(20)
    assert shared["2.1.2-1"]["parts"]["HN"] == D(0)
    assert shared["2.1.2-1"]["progress"] == D(10)
    assert shared["3.2.1-1"]["progress"] == D(20)
    axes = {axis["code"]: axis for axis in poa["axes"]}
    assert axes["3"]["progress"] == D(10)  # SO 3.1 at 0, SO 3.2 at 20
    assert data["biennium"] == poa["progress"]
    countries = {c["code"]: c for c in poa["countries"]}
    assert countries["BZ"]["progress"] == D(0)


def test_agreements_and_participation_of_the_period(plan, known):
    data = data_of(plan, known["term"])
    agreements = data["agreements"]
    assert (agreements["adopted"], agreements["fulfilled"], agreements["rate"]) == (2, 1, D(50))
    assert [row["status"] for row in agreements["rows"]] == ["fulfilled", "cancelled", "pending"]
    participation = data["participation"]
    assert (participation["presences"], participation["possible"]) == (8, 18)
    by_country = {c["code"]: c for c in participation["countries"]}
    assert (by_country["CR"]["presences"], by_country["CR"]["rate"]) == (2, D(100))
    assert (by_country["GT"]["presences"], by_country["GT"]["rate"]) == (1, D(50))
    assert [m["present"] for m in participation["meetings"]] == [5, 3]
    annex = {c["code"]: c for c in data["countries"]}
    assert (annex["CR"]["agreements"], annex["CR"]["agreements_fulfilled"]) == (2, 1)


def test_a_report_as_of_an_earlier_date_shows_the_earlier_numbers(plan, known):
    data = data_of(plan, known["term"], as_of=datetime.date(2018, 4, 15))
    assert data["agreements"]["adopted"] == 3  # A2 not cancelled yet
    assert data["agreements"]["fulfilled"] == 0  # A1 fulfilled on 1 May
    assert (data["participation"]["presences"], data["participation"]["possible"]) == (5, 9)
    [poa] = data["poas"]
    assert poa["progress"] == D(0)  # no report validated yet
    later = data_of(plan, known["term"], as_of=datetime.date(2018, 8, 1))
    shared = {row["code"]: row for row in later["poas"][0]["shared"]}
    assert shared["2.1.2-1"]["parts"]["CR"] == D(40)  # Q3's 70 validated in October


def test_a_date_range_outside_the_meetings_has_none(plan, known):
    period = assembly.Period(start=datetime.date(2019, 1, 1), end=datetime.date(2019, 12, 31))
    data = assembly.accountability_data(plan=plan, period=period, as_of=AS_OF)
    assert data["poas"] == []
    assert data["agreements"]["adopted"] == 0
    assert data["participation"]["meetings"] == []


def test_years_find_the_secretariat_term_that_covers_them(known):
    period = assembly.years_period(2018, 2019)
    assert period.term == known["term"]
    assert period.start == datetime.date(2018, 1, 1)


def test_the_figures_are_the_dashboards(plan, known, secretariat_client):
    data = data_of(plan, known["term"])
    with translation.override("es"):
        url = reverse("monitoring:dashboard")
        response = secretariat_client.get(url, {"year": 2018, "as_of": AS_OF.isoformat()})
        poa = data["poas"][0]
        assert response.context["poa_text"] == charts.percent_text(poa["progress"])
        assert response.context["biennium_text"] == charts.percent_text(data["biennium"])
        page_axes = {row["code"]: row["progress"] for row in response.context["axis_rows"]}
        assert page_axes == {axis["code"]: axis["progress"] for axis in poa["axes"]}
        page_countries = {row["code"]: row["progress"] for row in response.context["country_rows"]}
        assert page_countries == {c["code"]: c["progress"] for c in poa["countries"]}


@pytest.mark.parametrize("code", ["4.3a", "4.3b"])
def test_the_indicator_figures_are_the_indicator_pages(plan, known, secretariat_client, code):
    data = data_of(plan, known["term"])
    indicator = Indicator.objects.get(result__objective__axis__plan=plan, code=code)
    row = next(r for r in data["indicators"] if r["code"] == (indicator.label or indicator.code))
    with translation.override("es"):
        url = reverse("monitoring:indicator", args=[indicator.pk])
        status = secretariat_client.get(url, {"as_of": AS_OF.isoformat()}).context["status"]
    assert (row["current"], row["achievement"], row["expected"], row["pace"]) == (
        status.current,
        status.achievement,
        status.expected,
        status.pace_label,
    )


def test_other_apps_contribute_sections_through_the_hook(plan, known):
    seen = {}

    def instruments(*, as_of, start, end, lang):
        seen.update(as_of=as_of, start=start, end=end, lang=lang)
        return {"title": "Instrumentos", "tables": [{"title": "Etapas", "columns": ["País"],
                                                    "rows": [["Costa Rica"]]}]}  # fmt: skip

    report_sections.register("accountability", key="test-instruments", order=70, data=instruments)
    report_sections.register("accountability", key="test-empty", order=80, data=lambda **k: None)
    try:
        data = data_of(plan, known["term"])
    finally:
        report_sections.unregister("accountability", key="test-instruments")
        report_sections.unregister("accountability", key="test-empty")
    assert [s["key"] for s in data["sections"]] == ["test-instruments"]
    assert seen == {"as_of": AS_OF, "start": datetime.date(2018, 1, 1),
                    "end": datetime.date(2019, 12, 31), "lang": "es"}  # fmt: skip
