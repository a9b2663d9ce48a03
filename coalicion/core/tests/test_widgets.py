"""QuickSelect writes the same HTML as Django's select."""

import pytest
from django import forms
from django.utils import translation
from django.utils.safestring import mark_safe
from hypothesis import given, settings
from hypothesis import strategies as st

from coalicion.core.widgets import QuickSelect

CHOICES = [
    ("", "Todos los países"),
    ("CR", "Costa Rica"),
    ("RD", "República Dominicana <Santo Domingo> & “más”"),
    (2018, 2018),
    ("safe", mark_safe("<b>ya escapado</b>")),
]
GROUPED = [("", "—"), ("Eje 1", [("1.1", "Prevención"), ("1.2", "Atención")]), ("x", "X")]


def both(choices, name, value, attrs):
    django = forms.Select(choices=choices).render(name, value, attrs=attrs)
    quick = QuickSelect(choices=choices).render(name, value, attrs=attrs)
    return django, quick


@pytest.mark.parametrize("value", [None, "", "CR", 2018, "2018", "missing", "safe"])
@pytest.mark.parametrize(
    "attrs",
    [
        None,
        {"id": "id_country"},
        {"id": "id_c", "required": True, "disabled": False, "aria-describedby": 'h "1"'},
        {"data-x": mark_safe("a&amp;b"), "aria-invalid": "true"},
    ],
)
def test_the_quick_select_writes_what_djangos_select_writes(value, attrs):
    django, quick = both(CHOICES, "country", value, attrs)

    assert quick == django


@pytest.mark.parametrize("value", ["", "1.2", "x"])
def test_option_groups_are_written_the_same(value):
    django, quick = both(GROUPED, "axis", value, {"id": "id_axis"})

    assert quick == django


@pytest.mark.parametrize("language", ["es", "en"])
def test_numbers_as_labels_follow_the_language_as_in_django(language, settings):
    settings.USE_THOUSAND_SEPARATOR = True
    with translation.override(language):
        django, quick = both([(1, 12345.5), (2, 2018)], "n", 1, None)

    assert quick == django


@pytest.mark.parametrize("language", ["es", "en"])
def test_dates_as_labels_are_shown_in_local_time_as_in_django(language):
    import datetime

    moment = datetime.datetime(2024, 1, 1, 3, 0, tzinfo=datetime.UTC)
    with translation.override(language):
        django, quick = both([(1, moment), (2, datetime.date(2024, 5, 1))], "d", 1, None)

    assert quick == django


def test_number_group_labels_follow_the_language_as_in_django(settings):
    settings.USE_THOUSAND_SEPARATOR = True
    with translation.override("es"):
        django, quick = both([(20245, [(1, "a"), (2, "b")])], "g", 2, None)

    assert quick == django


@settings(max_examples=60)
@given(
    labels=st.lists(st.text(max_size=12), min_size=1, max_size=6),
    name=st.text(min_size=1, max_size=8),
    chosen=st.integers(min_value=0, max_value=7),
)
def test_any_labels_and_name_are_escaped_as_django_escapes_them(labels, name, chosen):
    choices = list(enumerate(labels))

    django, quick = both(choices, name, chosen, {"id": name})

    assert quick == django
