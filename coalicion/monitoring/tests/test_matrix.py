"""The monitoring matrix page and the POA execution tree."""

import datetime
import re
from decimal import Decimal

import pytest
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils import timezone, translation

from coalicion.core import figures
from coalicion.monitoring import computations, formulas
from coalicion.monitoring.tests.test_indicator_status import make_manual, make_value
from coalicion.plans.models import Activity, Indicator

pytestmark = pytest.mark.django_db


def url(name, *args, lang="es", **query):
    with translation.override(lang):
        path = reverse(f"monitoring:{name}", args=args)
    if query:
        path += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return path


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.fixture
def national_strategies(plan):
    return make_manual(
        plan, "2.1", baseline_value=Decimal(0), baseline_year=2018, target_value=Decimal(9)
    )


@pytest.fixture
def observer(client, users):
    client.force_login(users["observer"])
    return client


def test_anonymous_visitors_are_sent_to_sign_in(client, users):
    response = client.get(url("matrix"))

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("role", ["observer", "focal_point", "presidency", "secretariat"])
def test_observers_and_members_read_the_matrix(client, users, role):
    client.force_login(users[role])

    assert client.get(url("matrix")).status_code == 200


def test_the_matrix_in_spanish_shows_the_plan_with_decimal_commas(
    observer, national_strategies, terms
):
    make_value(
        national_strategies, 2020, country=terms["CR"], value=4, on=datetime.date(2021, 1, 5)
    )

    page = text(observer.get(url("matrix")))

    assert 'lang="es"' in page
    assert "Número de Estrategias nacionales" in page
    assert "44,4 %" in page  # 4 of 9
    assert f'href="/es/monitoring/indicators/{national_strategies.pk}/' in page


def test_the_matrix_in_english_uses_decimal_points(observer, national_strategies, terms):
    make_value(
        national_strategies, 2020, country=terms["CR"], value=4, on=datetime.date(2021, 1, 5)
    )

    page = text(observer.get(url("matrix", lang="en")))

    assert 'lang="en"' in page
    assert "44.4 %" in page
    assert "Monitoring matrix" in page and "Means of verification" in page


def test_the_matrix_shows_every_column_of_the_plan_document(observer, national_strategies, terms):
    make_value(
        national_strategies, 2020, country=terms["CR"], value=4, on=datetime.date(2021, 1, 5)
    )

    page = text(observer.get(url("matrix", lang="en")))

    for heading in ["Axis", "Strategic objective", "Result", "Indicator", "Baseline", "Target"]:
        assert f'<th scope="col">{heading}</th>' in page
    for year in range(2018, 2028):
        assert f">{year}</th>" in page
    # The pace with its expected value (one a year from the end of 2018).
    expected = _expected_strategies()
    assert "Behind" in page and f"expected {expected.quantize(Decimal('0.01')).normalize()}" in page
    assert "Computed from records" in page  # responsible of computed indicators
    assert "Not available yet" not in page  # every computation is registered (issue 14)
    assert "How these figures are made" in page and "85 per cent" in page


def _expected_strategies() -> Decimal:
    """What the plan expects today of `national_strategies` (0 in 2018, 9 in 2027)."""
    return formulas.expected_value(
        baseline=Decimal(0),
        baseline_year=2018,
        target=Decimal(9),
        target_year=2027,
        as_of=datetime.date.today(),
    )


def _expected_in_spanish() -> str:
    with translation.override("es"):
        return floatformat(_expected_strategies(), "-2")


def test_the_pace_cell_shows_what_is_expected_before_any_value(observer, national_strategies):
    page = text(observer.get(url("matrix")))

    row = page[page.index(f'<tr id="indicator-{national_strategies.pk}">') :]
    row = row[: row.index("</tr>")]
    assert f'<td><small class="muted">esperado {_expected_in_spanish()}</small></td>' in row
    assert '<td class="number">0 (2018)</td>' in row  # the baseline and its year
    assert '<td class="number">9 (2027)</td>' in row  # the target and its year


def test_the_pace_cell_says_behind_and_what_was_expected(observer, national_strategies, terms):
    make_value(
        national_strategies, 2020, country=terms["CR"], value=1, on=datetime.date(2021, 1, 5)
    )

    page = text(observer.get(url("matrix")))

    assert (
        '<span class="pace pace-behind">Atrasado</span><br>'
        f"<small>esperado {_expected_in_spanish()}</small>"
    ) in page
    assert '<span class="indicator-state state-in_progress">' in page


def test_an_as_of_date_in_the_past_hides_later_values(observer, national_strategies, terms):
    make_value(
        national_strategies, 2019, country=terms["CR"], value=2, on=datetime.date(2020, 2, 1)
    )
    make_value(
        national_strategies, 2020, country=terms["CR"], value=7, on=datetime.date(2021, 2, 1)
    )

    now = text(observer.get(url("matrix", lang="en")))
    then = text(observer.get(url("matrix", lang="en", as_of="2020-12-31")))

    assert "77.8 %" in now  # 7 of 9
    assert "77.8 %" not in then and "22.2 %" in then  # 2 of 9
    assert "Figures as known on 31 December 2020" in then


def test_a_bad_date_gets_a_clear_message_and_today(observer):
    response = observer.get(url("matrix", lang="en", as_of="2020-13-45"))

    page = text(response)
    assert response.status_code == 200
    assert "The date “2020-13-45” was not understood" in page
    assert response.context["as_of"] == timezone.localdate()


def test_a_date_in_the_future_is_refused(observer):
    response = observer.get(url("matrix", lang="en", as_of="2999-01-01"))

    assert "cannot be known yet" in text(response)
    assert response.context["as_of"] == timezone.localdate()


def test_the_axis_filter_keeps_that_axis_only(observer, plan):
    response = observer.get(url("matrix", lang="en", axis="4"))

    codes = {s.indicator.code for s in response.context["indicators"]}
    assert codes == set(
        Indicator.objects.filter(result__objective__axis__code="4").values_list("code", flat=True)
    )
    assert {row.code for row in response.context["rows"] if row.level == 1} <= {"4"}


def test_the_country_filter_shows_that_countrys_values(observer, national_strategies, terms):
    make_value(
        national_strategies, 2020, country=terms["CR"], value=4, on=datetime.date(2021, 1, 5)
    )
    make_value(
        national_strategies, 2020, country=terms["GT"], value=1, on=datetime.date(2021, 1, 5)
    )

    response = observer.get(url("matrix", lang="en", country="GT"))

    status = next(
        s for s in response.context["indicators"] if s.indicator.pk == national_strategies.pk
    )
    assert status.current == Decimal(1)


def test_an_unknown_filter_value_is_reported_and_ignored(observer):
    response = observer.get(url("matrix", lang="en", country="XX", year="1999"))

    page = text(response)
    assert "Country “XX” is not available" in page
    assert response.context["poa"].year == 2018


def test_the_execution_tree_shows_weights_progress_status_and_responsibles(
    observer, poa, periods, cr_activity, validated_report
):
    validated_report(cr_activity, periods[1], "45.5")

    page = text(observer.get(url("matrix", year=2018)))

    row = re.search(
        r'<tr class="tree-level-4">\s*<th scope="row">.{0,80}3\.1\.1-1</th>.*?</tr>', page
    )
    assert row, "the activity row"
    assert "45,5 %" in row.group(0)
    assert "Costa Rica" in row.group(0)
    assert "In progress" in row.group(0) or "En curso" in row.group(0)


def test_cancelled_items_are_struck_and_a_parent_without_counted_children_has_no_progress(
    observer, poa, periods
):
    objective = poa.objectives.order_by("order").first()
    objective.activities.update(cancelled=True)

    page = text(observer.get(url("matrix", lang="en", year=2018)))

    assert "<del>" in page and "not counted" in page
    objective_row = re.search(
        r'<tr class="tree-level-3">\s*<th scope="row">.{0,80}'
        + re.escape(objective.code)
        + "</th>.*?</tr>",
        page,
    )
    assert objective_row and "No progress" in objective_row.group(0)


def test_the_tree_page_shows_one_poa(observer, poa, periods, cr_activity, validated_report):
    validated_report(cr_activity, periods[0], 30)

    response = observer.get(url("tree", 2018, lang="en"))

    assert response.status_code == 200
    assert "30.0 %" in text(response)
    assert observer.get(url("tree", 1999)).status_code == 404


def test_the_tree_page_needs_an_account(client, users):
    response = client.get(url("tree", 2018))

    assert response.status_code == 302


def _grow(plan, poa, periods, terms, validated_report, *, codes, years, activities, quarters):
    """More indicators with values, more reports: the page must not notice."""
    for code in codes:
        indicator = make_manual(plan, code, baseline_value=0, target_value=10)
        for year in years:
            for country in ("CR", "GT", "HN"):
                make_value(indicator, year, country=terms[country], value=year - 2016)
                if not indicator.disaggregated_by_country:
                    break
    for activity in Activity.objects.filter(objective__operating_plan=poa)[activities]:
        for period in periods[quarters]:
            validated_report(activity, period, 10 * period.number)


def recompute():
    """The next read computes its figures again, as after a write (ADR 0055):
    these tests count the queries of the computation, not of the cache."""
    figures.changed(*computations.SOURCES)


def test_the_matrix_takes_a_fixed_number_of_queries(
    observer, plan, poa, periods, terms, validated_report, django_assert_max_num_queries
):
    grow = {"plan": plan, "poa": poa, "periods": periods, "terms": terms}
    _grow(
        **grow,
        validated_report=validated_report,
        codes=["2.1"],
        years=[2018],
        activities=slice(0, 2),
        quarters=slice(0, 1),
    )
    observer.get(url("matrix", year=2018))  # the session's first save is not the page's
    recompute()
    # The computed indicators read their own records (cooperation's ten, meetings' two).
    with django_assert_max_num_queries(46) as small:
        observer.get(url("matrix", year=2018))
    _grow(
        **grow,
        validated_report=validated_report,
        codes=["2.2", "3.1", "3.2.1", "4.1a"],
        years=range(2018, 2025),
        activities=slice(2, 30),
        quarters=slice(0, 4),
    )
    recompute()
    with django_assert_max_num_queries(len(small.captured_queries)):
        observer.get(url("matrix", year=2018))
    # A past date reads the history of the plan and of the indicators: three
    # more queries, still fixed.
    with django_assert_max_num_queries(len(small.captured_queries) + 3):
        observer.get(url("matrix", year=2018, as_of="2019-01-01", country="CR"))
