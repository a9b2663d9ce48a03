"""The public plan pages, in Spanish and English."""

import pytest
from django.urls import reverse
from django.utils import translation

# Queries a page may issue, whatever the size of the plan.
MAX_QUERIES = 12


def get(client, name, args=(), language="es"):
    with translation.override(language):
        url = reverse(name, args=args)
    assert url.startswith(f"/{language}/")
    return client.get(url)


def test_home_shows_the_plan_in_spanish(client, plan, django_assert_max_num_queries):
    with django_assert_max_num_queries(MAX_QUERIES):
        response = get(client, "home")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="es">' in html
    assert "Ser referente a nivel regional" in html
    assert "Visión" in html and "Misión" in html
    for value in ["Compromiso", "Ética", "Transparencia", "Responsabilidad", "Respeto"]:
        assert value in html
    assert "Prevención" in html and "Atención integral" in html


def test_home_shows_the_plan_in_english(client, plan):
    html = get(client, "home", language="en").content.decode()
    assert '<html lang="en">' in html
    assert "Vision" in html and "Mission" in html
    assert "Strategic axes" in html
    assert plan.vision_en in html
    assert "Prevention" in html
    assert "Ser referente a nivel regional" not in html


def test_each_axis_page_shows_its_objectives_results_and_indicators(
    client, plan, django_assert_max_num_queries
):
    for axis in plan.axes.all():
        with django_assert_max_num_queries(MAX_QUERIES):
            response = get(client, "plans:axis", [plan.code, axis.code])
        assert response.status_code == 200
        html = response.content.decode()
        for objective in axis.objectives.all():
            assert objective.statement in html
            for result in objective.results.all():
                assert result.statement in html
                for indicator in result.indicators.all():
                    assert indicator.statement in html


def test_the_mislabelled_result_shows_the_documents_label_and_its_code(client, plan):
    html = get(client, "plans:axis", [plan.code, "2"]).content.decode()
    assert "Resultado 2.1" in html
    assert "2.3" in html


def test_english_pages_translate_the_word_of_the_documents_result_labels(
    client, plan, secretariat_client
):
    """The labels are data printed in Spanish ("Resultado 2.1", "Resultados
    2.2"): English pages show their word in English and their number as
    printed, Spanish pages the label as printed."""
    english = get(client, "plans:axis", [plan.code, "2"], language="en").content.decode()
    assert "Result 2.1" in english and "Result 2.2" in english
    assert "Resultado" not in english
    spanish = get(client, "plans:axis", [plan.code, "2"]).content.decode()
    assert "Resultado 2.1" in spanish and "Resultados 2.2" in spanish
    indicators = get(client, "plans:indicators", [plan.code], language="en").content.decode()
    assert "Result 3.1" in indicators and "Resultado" not in indicators
    matrix = secretariat_client.get("/en/monitoring/matrix/").content.decode()
    assert "Result 4.1" in matrix and "Resultado" not in matrix


def test_an_unknown_axis_is_not_found_in_the_active_language(client, plan):
    response = get(client, "plans:axis", [plan.code, "9"], language="en")
    assert response.status_code == 404


def test_the_indicator_list_has_every_indicator(client, plan, django_assert_max_num_queries):
    with django_assert_max_num_queries(MAX_QUERIES):
        html = get(client, "plans:indicators", [plan.code], language="en").content.decode()
    from coalicion.plans.models import Indicator

    for indicator in Indicator.objects.filter(result__objective__axis__plan=plan):
        assert indicator.statement_en in html


def test_the_poa_shows_objectives_activities_and_responsibles(
    client, plan, django_assert_max_num_queries
):
    with django_assert_max_num_queries(MAX_QUERIES):
        response = get(client, "plans:poa", [plan.code, 2018])
    html = response.content.decode()
    assert "Plan Operativo Anual 2018" in html
    poa = plan.operating_plans.get(year=2018)
    for objective in poa.objectives.all():
        assert objective.statement in html
        for activity in objective.activities.all():
            assert activity.statement in html
    assert "Presidencia" in html and "Secretaría Técnica" in html


def test_the_latest_poa_link_opens_the_last_year(client, plan):
    response = get(client, "plans:poa_latest", [plan.code])
    assert response.status_code == 200
    assert "2018" in response.content.decode()


def test_the_notes_page_lists_the_repairs(client, plan):
    html = get(client, "plans:notes", [plan.code]).content.decode()
    assert len(plan.data_notes) > 3
    assert plan.data_notes[0]["note"][:40] in html


def test_page_queries_do_not_grow_with_the_plan(client, mini_plan, django_assert_max_num_queries):
    """The same pages over a second plan with more POAs stay within the bound."""
    with django_assert_max_num_queries(MAX_QUERIES):
        assert get(client, "plans:poa", ["mini-2030", 2026]).status_code == 200
    with django_assert_max_num_queries(MAX_QUERIES):
        assert get(client, "plans:axis", ["mini-2030", "A"]).status_code == 200


@pytest.mark.parametrize("language", ["es", "en"])
def test_untranslated_content_is_marked_as_spanish(client, mini_plan, language):
    html = get(client, "plans:plan", ["mini-2030"], language=language).content.decode()
    # The mini plan's general objective has no English text.
    if language == "en":
        assert '<div lang="es"><p>Probar que el formato sirve a otra coalición.</p></div>' in html
    else:
        assert "<p>Probar que el formato sirve a otra coalición.</p>" in html
        assert '<div lang="es">' not in html
