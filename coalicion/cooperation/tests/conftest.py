"""Cooperation fixtures: the roles of the root conftest (Presidency:
Honduras, Secretariat: Panamá, focal points of Costa Rica and Guatemala)
and a maker of instruments with a stage history. All data is invented."""

import datetime

import pytest

from coalicion.cooperation import actions
from coalicion.cooperation.models import InstrumentType
from coalicion.membership.models import Country


def day(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


@pytest.fixture
def stages(plan):
    return {s.code: s for s in plan.milestone_stages.all()}


@pytest.fixture
def countries(terms):
    return {c.code: c for c in Country.objects.all()}


@pytest.fixture
def make_instrument(users, stages, countries):
    """make_instrument(type_code, country_code or None, [(stage, "YYYY-MM-DD", reason), ...])."""

    def make(type_code, country_code, steps, title=None):
        kind = InstrumentType.objects.get(code=type_code)
        first, *rest = steps
        instrument = actions.create_instrument(
            actor=users["secretariat"],
            type=kind,
            country=countries[country_code] if country_code else None,
            title=title or f"{kind.name} {country_code or 'regional'}",
            stage=stages[first[0]],
            day=day(first[1]),
        )
        for step in rest:
            code, when, *reason = step
            actions.change_stage(
                actor=users["secretariat"],
                instrument=instrument,
                version=None,
                stage=stages[code],
                day=day(when),
                reason=reason[0] if reason else "",
            )
        instrument.refresh_from_db()
        return instrument

    return make


@pytest.fixture
def gt_practice(users, countries):
    """A good practice of Guatemala, for others to replicate."""
    return actions.save_practice(
        actor=users["secretariat"],
        title="Albergue GT",
        country=countries["GT"],
        area="care",
        description="…",
        registered_on=day("2020-01-01"),
    )
