"""The country profile's statistics summary: the country's released totals
per measure and year, the same figures as the releases hold (so only what
passed disclosure control), for every reader."""

import re

from django.test import Client
from django.urls import reverse

from coalicion.statistics import selectors
from coalicion.statistics.models import ReleaseCell

TOTALS = dict.fromkeys(
    ("sex", "age_group", "citizenship_group", "exploitation", "scope", "source_type"), "_T"
)


def released_total(country: str) -> int | None:
    return ReleaseCell.objects.get(release__is_current=True, country=country, **TOTALS).value


def profile_text(client, code: str) -> str:
    response = client.get(reverse("membership:country", args=[code]))
    assert response.status_code == 200
    return re.sub(r"\s+", " ", response.content.decode())


def test_the_profile_shows_the_countrys_released_totals(regional, users):
    rows = selectors.overview(country="CR")
    assert [row["measure"].value for row in rows] == ["tip_victims_detected"]
    assert rows[0]["years"] == [(2024, released_total("CR"))]
    value = released_total("CR")
    assert value is not None  # 43 victims: a total large enough to publish
    text = profile_text(Client(), "CR")
    assert "Estadísticas: cifras publicadas" in text
    assert f"2024: {value}" in text


def test_the_profile_shows_the_same_figures_to_the_country_and_to_others(
    regional, users, client_as
):
    own = profile_text(client_as("focal_point"), "CR")
    other = profile_text(client_as("focal_point_other"), "CR")
    section = re.compile(r'<section id="section-statistics".*?</section>')
    assert section.search(own).group(0) == section.search(other).group(0)


def test_a_country_that_reported_nothing_has_no_statistics_section(regional, users):
    assert selectors.overview(country="PA") == []
    assert 'id="section-statistics"' not in profile_text(Client(), "PA")


def test_a_withheld_total_is_never_shown(regional, users, monkeypatch):
    ReleaseCell.objects.filter(release__is_current=True, country="GT", **TOTALS).update(
        value=None, status="secondary"
    )
    assert selectors.overview(country="GT")[0]["years"] == [(2024, None)]
    text = profile_text(Client(), "GT")
    assert re.search(r"2024: <abbr[^>]*>x</abbr>", text)
    assert "2024: 60" not in text
