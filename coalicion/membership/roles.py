"""What a signed-in person may do, derived at the moment of the request from
the governance records (SPEC, "Users and what each may do"):

- a representation of a country (titular or alternate, in force that day)
  makes the person a focal point of that country;
- the Presidency or the Technical Secretariat held by that country that day
  gives the person the rights of that organ;
- an observer membership in force that day makes the person an observer.

No role is stored on the user: when a term passes to another country, the
rights pass with it on that date. A technical superuser has every right.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import CharField, F, IntegerField, Value
from django.utils import timezone

from coalicion.membership.models import ObserverMembership, Organ, OrganTerm, Representation


@dataclass(frozen=True)
class Roles:
    day: datetime.date
    focal_point_of: frozenset[int] = field(default_factory=frozenset)  # country ids
    organs: frozenset[str] = field(default_factory=frozenset)  # organ codes
    observer: bool = False
    superuser: bool = False

    @property
    def is_secretariat(self) -> bool:
        return self.superuser or Organ.Code.SECRETARIAT in self.organs

    @property
    def is_presidency(self) -> bool:
        return self.superuser or Organ.Code.PRESIDENCY in self.organs

    @property
    def is_focal_point(self) -> bool:
        return bool(self.focal_point_of)

    @property
    def is_member(self) -> bool:
        """Any role of a member country or organ (all internal pages)."""
        return self.superuser or self.is_focal_point or bool(self.organs)

    @property
    def is_internal(self) -> bool:
        """May see the internal pages: members and observers."""
        return self.is_member or self.observer

    def is_focal_point_of(self, country_id: int | None) -> bool:
        return country_id is not None and country_id in self.focal_point_of

    def labels(self) -> list[str]:
        """Readable role names, for pages that show who may do what."""
        from django.utils.translation import gettext as _

        names = []
        if self.superuser:
            names.append(_("Technical administrator"))
        if Organ.Code.SECRETARIAT in self.organs:
            names.append(_("Technical Secretariat"))
        if Organ.Code.PRESIDENCY in self.organs:
            names.append(_("Presidency"))
        if self.focal_point_of:
            names.append(_("Country focal point"))
        if self.observer:
            names.append(_("Observer"))
        return names


NO_ROLES = Roles(day=datetime.date.min)


def roles_on(user, day: datetime.date) -> Roles:
    """The roles of `user` on `day`, from the governance records: the
    countries they represent, the organs those countries hold, and whether
    they are an observer, read together (one query)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Roles(day=day)
    representations = Representation.objects.in_force(day).filter(person__user=user)
    no_code = Value("", output_field=CharField())
    countries = (
        representations.annotate(tag=Value("country"), code=no_code)
        .order_by()
        .values_list("tag", "country_id", "code")
    )
    organs = (
        OrganTerm.objects.in_force(day)
        .filter(country_id__in=representations.values("country_id"))
        .annotate(tag=Value("organ"), code=F("organ__code"))
        .order_by()
        .values_list("tag", "country_id", "code")
    )
    observer = (
        ObserverMembership.objects.in_force(day)
        .filter(person__user=user)
        .annotate(tag=Value("observer"), nobody=Value(None, IntegerField()), code=no_code)
        .order_by()
        .values_list("tag", "nobody", "code")
    )
    rows = list(countries.union(organs, observer, all=True))
    return Roles(
        day=day,
        focal_point_of=frozenset(pk for tag, pk, _code in rows if tag == "country"),
        organs=frozenset(code for tag, _pk, code in rows if tag == "organ"),
        observer=any(tag == "observer" for tag, _pk, _code in rows),
        superuser=user.is_superuser,
    )


def roles_of(user) -> Roles:
    """Today's roles of `user`, computed once per request and kept on the user."""
    today = timezone.localdate()
    cached = getattr(user, "_coalicion_roles", None)
    if cached is not None and cached.day == today:
        return cached
    roles = roles_on(user, today)
    if user is not None and user.is_authenticated:
        user._coalicion_roles = roles
    return roles


def _in_force_on(record, day: datetime.date) -> bool:
    return record.start <= day and (record.end is None or record.end >= day)


def roles_of_users(users, day: datetime.date) -> dict[int, Roles]:
    """Roles of many users at once (one query), for lists. The users must come
    with ``person__representations`` and ``person__observer_memberships``
    prefetched."""
    organs_by_country: dict[int, set[str]] = {}
    for country_id, code in OrganTerm.objects.in_force(day).values_list(
        "country_id", "organ__code"
    ):
        organs_by_country.setdefault(country_id, set()).add(code)
    result = {}
    for user in users:
        person = getattr(user, "person", None)
        countries, observer = frozenset(), False
        if person is not None and user.is_active:
            countries = frozenset(
                r.country_id for r in person.representations.all() if _in_force_on(r, day)
            )
            observer = any(_in_force_on(m, day) for m in person.observer_memberships.all())
        organs = frozenset(code for c in countries for code in organs_by_country.get(c, ()))
        result[user.pk] = Roles(
            day=day,
            focal_point_of=countries,
            organs=organs,
            observer=observer,
            superuser=user.is_superuser and user.is_active,
        )
    return result
