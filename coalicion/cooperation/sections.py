"""What cooperation contributes to shared pages (`coalicion.core.sections`):
the country profile's instruments, good practices, and alliances and
joint actions. Each section reads a fixed number of queries and shows
only what the reader may see (saying how many instruments are hidden)."""

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from coalicion.cooperation import selectors
from coalicion.cooperation.models import (
    Alliance,
    GoodPractice,
    Instrument,
    JointAction,
    Replication,
)
from coalicion.core.sections import register


def _instruments(*, user, country, as_of, **params) -> dict | None:
    instruments = list(
        selectors.with_history(Instrument.objects.filter(country=country)).order_by(
            "type__order", "title"
        )
    )
    if not instruments:
        return None
    shown, hidden = selectors.visible(user, instruments)
    return {"instruments": shown, "hidden": hidden}


def _practices(*, user, country, as_of, **params) -> dict | None:
    given = list(
        GoodPractice.objects.filter(country=country).prefetch_related(
            Prefetch("replications", queryset=Replication.objects.select_related("country"))
        )
    )
    adopted = list(Replication.objects.filter(country=country).select_related("practice__country"))
    if not given and not adopted:
        return None
    return {
        "given": given,
        "adopted": adopted,
        "may_open": user.has_perm("cooperation.view_goodpractice"),
    }


def _alliances(*, user, country, as_of, **params) -> dict | None:
    alliances = list(Alliance.objects.filter(country=country).select_related("actor"))
    joint_actions = list(
        JointAction.objects.filter(country=country).prefetch_related("actors").order_by("-day")
    )
    if not alliances and not joint_actions:
        return None
    return {
        "alliances": alliances,
        "joint_actions": joint_actions,
        "may_open": user.has_perm("cooperation.view_actor"),
    }


register(
    "country_profile",
    key="instruments",
    order=30,
    title=_("Instruments and their stages"),
    template="cooperation/sections/country_instruments.html",
    context=_instruments,
)
register(
    "country_profile",
    key="good_practices",
    order=40,
    title=_("Good practices given and adopted"),
    template="cooperation/sections/country_practices.html",
    context=_practices,
)
register(
    "country_profile",
    key="alliances",
    order=50,
    title=_("Alliances and joint actions"),
    template="cooperation/sections/country_alliances.html",
    context=_alliances,
)


def _practices_presented(*, user, event, **params) -> dict | None:
    """The good practices exchanged at a regional encounter (POA 3.1.1),
    for those who may read the practices. One query."""
    if not user.has_perm("cooperation.view_goodpractice"):
        return None
    practices = list(
        GoodPractice.objects.filter(presented_at=event).select_related("country").order_by("title")
    )
    return {"practices": practices} if practices else None


register(
    "event",
    key="practices",
    order=50,
    title=_("Good practices presented"),
    template="cooperation/sections/event_practices.html",
    context=_practices_presented,
)
