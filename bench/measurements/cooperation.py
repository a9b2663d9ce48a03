"""Cooperation (issue 14): the country profile with every app's sections,
and the monitoring matrix with all 12 indicators live, as a focal point sees
them.

The dataset is seeded here through `coalicion.cooperation.actions` when the
database has no instrument yet: for each member country a national care
strategy, repatriation protocol and coordination procedure, each with three
stage changes over the plan's years; the regional strategies of indicators
1, 2, 2.3 and 4.2; two good practices per country, each replicated by three
other countries; ten actors (four regional spaces) with an alliance each and
five joint actions each. All names are synthetic."""

import datetime

from django.test import Client
from django.urls import reverse
from django.utils import translation

from bench import Context, Measured, Skip, measurement, time_it
from bench.measurements.monitoring import internal_user

NATIONAL = ("national-care-strategy", "national-repatriation-protocol", "coordination-procedure")
REGIONAL = (
    "regional-prevention-tip",
    "regional-prevention-tim",
    "regional-smuggled-migrants-assistance",
    "communication-strategy",
)
STEPS = (("in_preparation", 0), ("drafted", 1), ("approved", 2))


def _seed(plan) -> None:
    from coalicion.cooperation import actions
    from coalicion.cooperation.instrument_types import add_default_types
    from coalicion.cooperation.models import Instrument, InstrumentType
    from coalicion.membership.models import Country

    if Instrument.objects.exists():
        return
    add_default_types(InstrumentType)
    actor = internal_user()
    stages = {s.code: s for s in plan.milestone_stages.all()}
    types = {t.code: t for t in InstrumentType.objects.all()}
    countries = list(Country.objects.filter(is_member=True).order_by("code"))
    first = datetime.date(plan.period_start, 3, 1)

    def instrument(type_code, country, offset):
        made = None
        for code, years in STEPS:
            day = first.replace(year=first.year + years + offset % 3)
            if made is None:
                made = actions.create_instrument(
                    actor=actor,
                    type=types[type_code],
                    country=country,
                    title=f"Instrumento sintético {type_code} {country or ''}",
                    stage=stages[code],
                    day=day,
                )
            else:
                actions.change_stage(
                    actor=actor, instrument=made, version=None, stage=stages[code], day=day
                )

    for index, country in enumerate(countries):
        for type_code in NATIONAL:
            instrument(type_code, country, index)
    for index, type_code in enumerate(REGIONAL):
        instrument(type_code, None, index)
    for index, country in enumerate(countries):
        for n in range(2):
            practice = actions.save_practice(
                actor=actor,
                title=f"Práctica sintética {country.code}-{n}",
                country=country,
                area="care",
                description="Sintética.",
                registered_on=first,
            )
            for step in (1, 2, 3):
                adopter = countries[(index + step) % len(countries)]
                actions.record_replication(
                    actor=actor,
                    practice=practice,
                    country=adopter,
                    day=first.replace(year=first.year + step),
                )
    for n in range(10):
        record = actions.save_actor(
            actor=actor,
            name=f"Actor sintético {n}",
            level="regional",
            kind="regional_space" if n < 4 else "international",
        )
        actions.save_alliance(
            actor=actor,
            actor_id=record.pk,
            kind="mou",
            status="active",
            start=first.replace(year=first.year + n % 5),
        )
        for k in range(5):
            actions.record_joint_action(
                actor=actor,
                title=f"Acción sintética {n}-{k}",
                day=first.replace(year=first.year + k),
                actors=[record],
            )


def _client() -> Client:
    client = Client()
    client.force_login(internal_user())
    return client


@measurement("country_profile")
def country_profile(context: Context) -> list[Measured]:
    if context.plan is None:
        raise Skip("no plan loaded")
    _seed(context.plan)
    client = _client()
    with translation.override("es"):
        url = reverse("membership:country", args=["CR"])
    median, queries, response = time_it(lambda: client.get(url), context.runs)
    if response.status_code != 200:
        raise Skip(f"the profile answered {response.status_code}")
    return [Measured("country_profile", median, queries)]
