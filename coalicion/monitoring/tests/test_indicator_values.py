"""The indicator page, its drill-down, and the entry and review of values."""

import datetime
import re
from decimal import Decimal

import pytest

from coalicion.core.tests.files import PDF_BYTES
from coalicion.monitoring import computations
from coalicion.monitoring.computations import Computed
from coalicion.monitoring.models import IndicatorValue, ReportStatus
from coalicion.monitoring.tests.test_indicator_status import make_manual, make_value
from coalicion.monitoring.tests.test_matrix import text, url
from coalicion.plans.models import Indicator, MilestoneStage

pytestmark = pytest.mark.django_db


@pytest.fixture
def national_strategies(plan):
    """2.1: count, disaggregated by country, made manual."""
    return make_manual(
        plan, "2.1", baseline_value=Decimal(0), baseline_year=2018, target_value=Decimal(9)
    )


@pytest.fixture
def good_practices(plan):
    """3.1: count, regional, made manual."""
    return make_manual(plan, "3.1", baseline_value=Decimal(0), target_value=Decimal(20))


@pytest.fixture
def registered():
    """Register test computations in place of any registered under the same
    name (an app's real one); restore the registry afterwards."""
    previous = {}

    def register(name, function):
        previous.setdefault(name, computations.get(name))
        computations.unregister(name)
        computations.register(name)(function)

    yield register
    for name, function in previous.items():
        computations.unregister(name)
        if function is not None:
            computations.register(name)(function)


def login(client, users, role):
    client.force_login(users[role])
    return client


# --- The indicator page -----------------------------------------------------------


def test_the_indicator_page_shows_values_achievement_pace_and_the_chart(
    client, users, national_strategies, terms
):
    make_value(
        national_strategies, 2020, country=terms["CR"], value=3, on=datetime.date(2021, 1, 5)
    )
    make_value(
        national_strategies, 2020, country=terms["GT"], value=1, on=datetime.date(2021, 1, 5)
    )
    login(client, users, "observer")

    response = client.get(url("indicator", national_strategies.pk, lang="en"))

    page = text(response)
    assert response.status_code == 200
    assert "Number of national strategies" in page
    assert "44.4 %" in page  # 3 + 1 of 9
    assert "Behind" in page
    assert f'data-vega-spec="/en/monitoring/charts/indicator-{national_strategies.pk}.json"' in page
    # Per country and year.
    assert "Values per country and year" in page
    assert "Costa Rica" in page and "Guatemala" in page


def test_the_indicator_page_for_a_country(client, users, national_strategies, terms):
    make_value(
        national_strategies, 2020, country=terms["CR"], value=3, on=datetime.date(2021, 1, 5)
    )
    make_value(
        national_strategies, 2020, country=terms["GT"], value=1, on=datetime.date(2021, 1, 5)
    )
    login(client, users, "observer")

    response = client.get(url("indicator", national_strategies.pk, lang="en", country="GT"))

    assert response.context["status"].current == Decimal(1)


def test_the_indicator_page_takes_a_fixed_number_of_queries(
    client, users, national_strategies, terms, django_assert_max_num_queries
):
    login(client, users, "observer")
    make_value(national_strategies, 2019, country=terms["CR"], value=1)
    with django_assert_max_num_queries(20) as small:
        client.get(url("indicator", national_strategies.pk))
    for year in range(2020, 2025):
        for code in ("CR", "GT", "HN", "SV"):
            make_value(national_strategies, year, country=terms[code], value=year - 2018)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(url("indicator", national_strategies.pk))


def test_anonymous_visitors_cannot_see_an_indicator(client, national_strategies, users):
    assert client.get(url("indicator", national_strategies.pk)).status_code == 302


def test_the_drill_down_explains_a_computation_not_yet_available(client, users, plan, monkeypatch):
    indicator = Indicator.objects.get(result__objective__axis__plan=plan, code="4.3a")
    monkeypatch.delitem(computations._REGISTRY, indicator.computation, raising=False)
    login(client, users, "observer")

    page = text(client.get(url("drill_down", indicator.pk, lang="en")))

    assert "“agreements_fulfilled”, which is not available yet" in page


def test_the_drill_down_lists_the_records_of_a_computation(client, users, plan, registered):
    indicator = Indicator.objects.get(result__objective__axis__plan=plan, code="4.3a")
    country = plan.operating_plans.first()  # any record with a URL will do
    registered(
        indicator.computation,
        lambda **kw: Computed(value=Decimal(2), records=[country, "Acuerdo 3/2024"]),
    )
    login(client, users, "observer")

    page = text(client.get(url("drill_down", indicator.pk, lang="en")))

    assert "2 records counted." in page
    assert f'<a href="{country.get_absolute_url()}">' in page
    assert "Acuerdo 3/2024" in page


def test_the_drill_down_of_a_manual_indicator_lists_its_validated_values(
    client, users, good_practices
):
    make_value(good_practices, 2019, value=4)
    make_value(good_practices, 2020, value=6, status=ReportStatus.SUBMITTED)
    login(client, users, "observer")

    response = client.get(url("drill_down", good_practices.pk, lang="en"))

    assert [v.year for v in response.context["values"]] == [2019]


# --- Entering values ---------------------------------------------------------------


def test_the_secretariat_saves_a_draft_then_submits_a_regional_value(client, users, good_practices):
    login(client, users, "secretariat")
    page = url("enter_value", good_practices.pk, lang="en")

    response = client.post(
        page, {"year": 2019, "value": "4", "narrative": "Dos", "version": 0, "save": ""}
    )
    assert response.status_code == 302
    item = IndicatorValue.objects.get(indicator=good_practices, year=2019, country=None)
    assert item.status == ReportStatus.DRAFT and item.value == 4

    client.post(
        f"{page}?year=2019",
        {"year": 2019, "value": "5", "narrative": "Tres", "version": item.version, "submit": ""},
    )
    item.refresh_from_db()
    assert item.status == ReportStatus.SUBMITTED and item.value == 5


def test_a_value_is_submitted_with_its_evidence(client, users, good_practices, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    login(client, users, "secretariat")
    page = url("enter_value", good_practices.pk, lang="en")
    pdf = SimpleUploadedFile("acta.pdf", PDF_BYTES, content_type="application/pdf")

    response = client.post(
        page, {"year": 2019, "value": "4", "version": 0, "submit": "", "evidence": [pdf]}
    )

    assert response.status_code == 302
    item = IndicatorValue.objects.get(indicator=good_practices, year=2019)
    evidence = item.evidence.get()
    assert evidence.original_name == "acta.pdf" and evidence.content_type == "application/pdf"
    assert "acta.pdf" in client.get(f"{page}?year=2019").content.decode()


def test_a_value_with_a_refused_file_saves_nothing(
    client, users, good_practices, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    login(client, users, "secretariat")
    fake = SimpleUploadedFile("acta.pdf", b"<html><script>x</script></html>")

    response = client.post(
        url("enter_value", good_practices.pk, lang="en"),
        {"year": 2019, "value": "4", "version": 0, "submit": "", "evidence": [fake]},
    )

    assert response.status_code == 200
    assert "acta.pdf is not a valid PDF file" in response.content.decode()
    assert not IndicatorValue.objects.filter(indicator=good_practices).exists()


def test_a_focal_point_enters_their_countrys_value(client, users, national_strategies, terms):
    login(client, users, "focal_point")

    response = client.post(
        url("enter_value", national_strategies.pk, lang="en"),
        {"year": 2020, "value": "2", "version": 0, "submit": ""},
    )

    assert response.status_code == 302
    item = IndicatorValue.objects.get(indicator=national_strategies)
    assert item.country == terms["CR"]
    assert item.status == ReportStatus.SUBMITTED


def test_a_focal_point_cannot_move_a_value_to_another_country(
    client, users, national_strategies, terms
):
    login(client, users, "focal_point")

    client.post(
        url("enter_value", national_strategies.pk, lang="en") + "?country=GT",
        {"year": 2020, "value": "2", "country": terms["GT"].pk, "version": 0, "save": ""},
    )

    assert list(
        IndicatorValue.objects.filter(indicator=national_strategies).values_list(
            "country__code", flat=True
        )
    ) == ["CR"]


def test_a_focal_point_cannot_enter_a_regional_value(client, users, good_practices):
    login(client, users, "focal_point")

    get = client.get(url("enter_value", good_practices.pk))
    post = client.post(url("enter_value", good_practices.pk), {"year": 2020, "value": "2"})

    assert get.status_code == 403 and post.status_code == 403
    assert not IndicatorValue.objects.exists()


def test_a_focal_point_does_not_see_another_countrys_values(
    client, users, national_strategies, terms
):
    make_value(national_strategies, 2020, country=terms["GT"], value=7, status=ReportStatus.DRAFT)
    login(client, users, "focal_point")

    response = client.get(
        url("enter_value", national_strategies.pk, lang="en") + "?year=2020&country=GT"
    )

    assert response.context["existing"] == []
    assert response.context["item"] is None


@pytest.mark.parametrize("role", ["observer", "presidency"])
def test_who_is_not_responsible_cannot_enter_values(client, users, good_practices, role):
    login(client, users, role)

    assert client.get(url("enter_value", good_practices.pk)).status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in_to_enter_values(client, users, good_practices):
    response = client.get(url("enter_value", good_practices.pk))

    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_computed_indicator_takes_no_values(client, users, plan):
    indicator = Indicator.objects.get(result__objective__axis__plan=plan, code="4.1a")
    login(client, users, "secretariat")

    response = client.get(url("enter_value", indicator.pk, lang="en"), follow=True)

    assert "computed from records; it takes no values" in text(response)


def test_a_milestone_takes_a_stage(client, users, plan):
    indicator = make_manual(plan, "1a")
    stage = MilestoneStage.objects.get(plan=plan, code="approved")
    login(client, users, "secretariat")
    page = url("enter_value", indicator.pk, lang="en")

    missing = client.post(page, {"year": 2020, "version": 0, "save": ""})
    client.post(page, {"year": 2020, "stage": stage.pk, "version": 0, "save": ""})

    assert missing.status_code == 200 and "This field is required" in text(missing)
    assert IndicatorValue.objects.get(indicator=indicator).stage == stage


def test_a_percentage_outside_0_100_is_refused_with_a_message(client, users, plan):
    indicator = make_manual(plan, "3.1", kind=Indicator.Kind.PERCENTAGE)
    login(client, users, "secretariat")

    response = client.post(
        url("enter_value", indicator.pk, lang="en"), {"year": 2020, "value": "140", "version": 0}
    )

    assert response.status_code == 200
    assert "less than or equal to 100" in text(response)
    assert not IndicatorValue.objects.exists()


def test_a_concurrent_edit_is_refused_with_a_clear_message(client, users, good_practices):
    login(client, users, "secretariat")
    page = url("enter_value", good_practices.pk, lang="en")
    client.post(page, {"year": 2019, "value": "4", "version": 0, "save": ""})
    opened = IndicatorValue.objects.get().version
    # Someone else saves first, from the same version...
    client.post(f"{page}?year=2019", {"year": 2019, "value": "5", "version": opened, "save": ""})

    # ...then this edit arrives.
    response = client.post(
        f"{page}?year=2019", {"year": 2019, "value": "6", "version": opened, "save": ""}
    )

    assert "Someone else saved this in the meantime" in text(response)
    assert IndicatorValue.objects.get().value == 5


def test_a_new_value_for_a_year_that_has_one_is_refused(client, users, good_practices):
    login(client, users, "secretariat")
    page = url("enter_value", good_practices.pk, lang="en")
    client.post(page, {"year": 2019, "value": "4", "version": 0, "save": ""})

    response = client.post(page, {"year": 2019, "value": "9", "version": 0, "save": ""})

    assert "A value for 2019 already exists" in text(response)
    assert IndicatorValue.objects.get().value == 4


def test_a_submitted_value_is_told_beside_a_bad_number(client, users, good_practices):
    """Issue 12: the value's state and the form's rules in one round."""
    login(client, users, "secretariat")
    page = url("enter_value", good_practices.pk, lang="en")
    client.post(page, {"year": 2019, "value": "4", "version": 0, "submit": ""})
    item = IndicatorValue.objects.get()
    assert item.status == ReportStatus.SUBMITTED

    response = client.post(
        f"{page}?year=2019", {"year": 2019, "value": "cinco", "version": item.version, "save": ""}
    )

    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["value"] == ["Enter a number."]
    assert form.non_field_errors() == ["This value was already submitted and can no longer change."]
    item.refresh_from_db()
    assert item.value == 4


# --- Review ---------------------------------------------------------------------------


def test_the_secretariat_validates_a_submitted_value_and_it_counts(client, users, good_practices):
    item = make_value(good_practices, 2020, value=5, status=ReportStatus.SUBMITTED)
    login(client, users, "secretariat")

    queue = text(client.get(url("value_review_queue", lang="en")))
    assert f'action="/en/monitoring/values/{item.pk}/review/"' in queue

    client.post(url("review_value", item.pk), {"decision": "validate", "version": item.version})

    item.refresh_from_db()
    assert item.status == ReportStatus.VALIDATED
    matrix = client.get(url("matrix", lang="en"))
    status = next(s for s in matrix.context["indicators"] if s.indicator.pk == good_practices.pk)
    assert status.current == Decimal(5)


def test_returning_a_value_needs_a_comment(client, users, good_practices):
    item = make_value(good_practices, 2020, value=5, status=ReportStatus.SUBMITTED)
    login(client, users, "secretariat")

    response = client.post(
        url("review_value", item.pk, lang="en"),
        {"decision": "return", "version": item.version},
        follow=True,
    )

    assert "Say what must be corrected" in text(response)
    item.refresh_from_db()
    assert item.status == ReportStatus.SUBMITTED

    client.post(
        url("review_value", item.pk),
        {"decision": "return", "comment": "Falta la fuente.", "version": item.version},
    )
    item.refresh_from_db()
    assert item.status == ReportStatus.RETURNED and item.review_comment == "Falta la fuente."


@pytest.mark.parametrize("role", ["observer", "focal_point", "presidency"])
def test_only_the_secretariat_reviews_values(client, users, good_practices, role):
    item = make_value(good_practices, 2020, value=5, status=ReportStatus.SUBMITTED)
    login(client, users, role)

    assert client.get(url("value_review_queue")).status_code == 403
    assert client.post(url("review_value", item.pk), {"decision": "validate"}).status_code == 403
    item.refresh_from_db()
    assert item.status == ReportStatus.SUBMITTED


def test_the_review_queue_takes_a_fixed_number_of_queries(
    client, users, good_practices, national_strategies, terms, django_assert_max_num_queries
):
    login(client, users, "secretariat")
    make_value(good_practices, 2019, value=5, status=ReportStatus.SUBMITTED)
    with django_assert_max_num_queries(15) as small:
        client.get(url("value_review_queue"))
    for code in ("CR", "GT", "HN"):
        make_value(national_strategies, 2020, country=terms[code], value=1, status="submitted")
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(url("value_review_queue"))
    assert len(re.findall(r'name="decision" value="validate"', text(response))) == 4
