"""A regional encounter's page lists the good practices presented there
(POA 3.1.1), to those who may read the practices."""

import datetime

from django.utils import timezone

from coalicion.cooperation import actions
from coalicion.meetings.actions.events import create_event
from coalicion.meetings.models import Event


def test_the_encounter_lists_the_practices_presented_there(plan, users, countries, client_as):
    start = timezone.make_aware(datetime.datetime(2025, 5, 20, 9))
    encounter = create_event(
        actor=users["presidency"],
        kind=Event.Kind.ENCOUNTER,
        title="Encuentro regional de buenas prácticas",
        start=start,
        end=start + datetime.timedelta(hours=8),
        country=countries["CR"],
        city="San José",
    )
    actions.save_practice(
        actor=users["secretariat"],
        title="Fiscalía especializada en trata",
        country=countries["CR"],
        area="prosecution",
        description="Sintética.",
        registered_on=datetime.date(2025, 5, 20),
        presented_at=encounter,
    )

    html = client_as("focal_point").get(f"/en/meetings/{encounter.pk}/").content.decode()
    assert "Good practices presented" in html
    assert "Fiscalía especializada en trata" in html
