import datetime

import pytest
from django.core.exceptions import ValidationError

from coalicion.membership.models import Country, Organ, OrganTerm


@pytest.fixture
def secretariat(plan):
    return Organ.objects.get(code="secretariat")


def test_the_holder_changes_on_the_day_the_term_passes(secretariat):
    cr, pa = Country.objects.get(code="CR"), Country.objects.get(code="PA")
    OrganTerm.objects.create(organ=secretariat, country=cr, start="2024-07-01", end="2026-06-30")
    OrganTerm.objects.create(organ=secretariat, country=pa, start="2026-07-01")
    assert secretariat.holder_on(datetime.date(2026, 6, 30)) == cr
    assert secretariat.holder_on(datetime.date(2026, 7, 1)) == pa
    assert secretariat.holder_on(datetime.date(2020, 1, 1)) is None


def test_two_terms_of_one_organ_cannot_overlap(secretariat):
    cr, pa = Country.objects.get(code="CR"), Country.objects.get(code="PA")
    OrganTerm.objects.create(organ=secretariat, country=cr, start="2024-07-01", end="2026-06-30")
    overlapping = OrganTerm(organ=secretariat, country=pa, start="2026-06-01")
    with pytest.raises(ValidationError, match="already has a holder"):
        overlapping.full_clean()


def test_the_plenary_has_no_term(plan):
    term = OrganTerm(
        organ=Organ.objects.get(code="plenary"),
        country=Country.objects.get(code="CR"),
        start="2024-01-01",
    )
    with pytest.raises(ValidationError, match="not held by one country"):
        term.full_clean()
