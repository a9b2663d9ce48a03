"""Responsible parties: one shape, and one answer to "who answers for this
on day D" (STYLE rule 13, ADR 0009).

A responsible party is the Regional Coalition as a whole, an organ of the
Coalition (Presidency, Technical Secretariat, Plenary), the national bodies
of all the member countries, one country's national body, one country, or a
working committee. The POA's activities (`plans.Responsible`) and the
meetings' agreements both have one or several; every later module that
assigns work (instruments, agreements, practices) uses the same shape.

Who answers for a party on a day:

- a country or its national body: the focal points of that country
  (its representatives in force that day);
- an organ: the representatives of the country holding it that day (the
  Plenary is every member country);
- a working committee: its members, and the focal points of its countries;
- the Coalition as a whole, and the national bodies of all member countries
  when their work is not split into countries' parts: the Presidency (the
  representatives of the country holding it).

The Technical Secretariat may act for anyone; callers decide whether that
applies (`answers_for(..., secretariat_acts=True)`).

**Shared activities** (SPEC §2): an activity whose responsible parties are
the national bodies of the member countries, or several countries, is done
by each member country on its own: each country reports *its part*. Its
part countries on a day are the member countries that day (for the
national bodies) or the named countries that are members that day.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from coalicion.core.i18n import localized
from coalicion.membership.models import Country, Organ, OrganTerm, Representation
from coalicion.membership.roles import Roles, roles_of


class PartyKind(models.TextChoices):
    COALITION = "coalition", _("The Regional Coalition")
    ORGAN = "organ", _("Organ of the Coalition")
    NATIONAL_BODIES = "national_bodies", _("The national bodies of the member countries")
    NATIONAL_BODY = "national_body", _("National body of a country")
    COUNTRY = "country", _("Member country")
    COMMITTEE = "committee", _("Working committee")


# Kinds that name one country.
COUNTRY_KINDS = frozenset({PartyKind.COUNTRY, PartyKind.NATIONAL_BODY})
# Kinds that name nothing else.
WHOLE_KINDS = frozenset({PartyKind.COALITION, PartyKind.NATIONAL_BODIES})


def party_constraint(*, name: str, kinds: Iterable[str] | None = None) -> models.CheckConstraint:
    """Exactly the reference its kind needs (organ, country or committee),
    for a model with the fields of `ResponsibleParty`."""
    allowed = set(kinds or PartyKind.values)
    shapes = {
        PartyKind.COALITION: Q(organ__isnull=True, country__isnull=True, committee__isnull=True),
        PartyKind.NATIONAL_BODIES: Q(
            organ__isnull=True, country__isnull=True, committee__isnull=True
        ),
        PartyKind.ORGAN: Q(organ__isnull=False, country__isnull=True, committee__isnull=True),
        PartyKind.NATIONAL_BODY: Q(
            organ__isnull=True, country__isnull=False, committee__isnull=True
        ),
        PartyKind.COUNTRY: Q(organ__isnull=True, country__isnull=False, committee__isnull=True),
        PartyKind.COMMITTEE: Q(organ__isnull=True, country__isnull=True, committee__isnull=False),
    }
    condition = Q()
    for kind in PartyKind.values:
        if kind in allowed:
            condition |= Q(kind=kind) & shapes[kind]
    return models.CheckConstraint(condition=condition, name=name)


class ResponsibleParty(models.Model):
    """The fields of a responsible party; a concrete model adds what it
    belongs to (an activity, an agreement…)."""

    Kind = PartyKind

    kind = models.CharField(_("responsible"), max_length=20, choices=PartyKind.choices)
    organ = models.ForeignKey(
        Organ,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="%(class)s_parties",
        verbose_name=_("organ"),
    )
    country = models.ForeignKey(
        Country,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="%(class)s_parties",
        verbose_name=_("country"),
    )
    committee = models.ForeignKey(
        "plans.WorkingCommittee",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="%(class)s_parties",
        verbose_name=_("working committee"),
    )

    class Meta:
        abstract = True

    def __str__(self):
        return self.describe()

    @property
    def party(self):
        """The organ, country or committee named, if any."""
        return self.organ or self.country or self.committee

    @property
    def names_a_country(self) -> bool:
        return self.kind in COUNTRY_KINDS

    def describe(self, localize=None) -> str:
        """A readable name; ``localize(obj, field)`` picks the language
        (`coalicion.core.i18n.localized` on pages)."""
        pick = localize or (lambda obj, field: getattr(obj, field))
        if self.kind == PartyKind.ORGAN:
            return pick(self.organ, "name")
        if self.kind == PartyKind.COMMITTEE:
            return pick(self.committee, "name")
        if self.kind == PartyKind.COUNTRY:
            return pick(self.country, "name")
        if self.kind == PartyKind.NATIONAL_BODY:
            body = next(iter(self.country.national_bodies.all()), None)
            if body is None:
                return pick(self.country, "name")
            return f"{body.acronym or pick(body, 'name')} ({pick(self.country, 'name')})"
        return str(PartyKind(self.kind).label)


def describe_localized(party) -> str:
    return party.describe(localized)


# --- Shared work: countries' parts ------------------------------------------------


def is_shared(parties: Iterable) -> bool:
    """Done by each member country on its own: the national bodies of the
    member countries, or several countries, are responsible."""
    parties = list(parties)
    if any(p.kind == PartyKind.NATIONAL_BODIES for p in parties):
        return True
    return len({p.country_id for p in parties if p.kind in COUNTRY_KINDS}) > 1


def part_country_ids(parties: Iterable, *, members: Iterable[int]) -> list[int]:
    """The countries (ids) with a part in shared work, given the ids of the
    member countries on the day asked about; [] for work that is not shared."""
    parties = list(parties)
    if not is_shared(parties):
        return []
    members = list(members)
    if any(p.kind == PartyKind.NATIONAL_BODIES for p in parties):
        return members
    named = {p.country_id for p in parties if p.kind in COUNTRY_KINDS}
    return [country_id for country_id in members if country_id in named]


def named_country_ids(parties: Iterable) -> set[int]:
    """The countries a party list names (as a country or its national body)."""
    return {p.country_id for p in parties if p.kind in COUNTRY_KINDS}


# --- Who answers ------------------------------------------------------------------


def answers_for(user, parties: Iterable, *, roles: Roles | None = None) -> bool:
    """Whether `user` answers today for any of `parties` (work reported
    once, not by countries' parts). Committees should come with their
    `members` and `countries` prefetched."""
    roles = roles or roles_of(user)
    person = getattr(user, "person", None) if user.is_authenticated else None
    for party in parties:
        kind = party.kind
        if kind in COUNTRY_KINDS and roles.is_focal_point_of(party.country_id):
            return True
        if kind == PartyKind.ORGAN and party.organ.code in roles.organs:
            return True
        if kind == PartyKind.ORGAN and party.organ.code == Organ.Code.PLENARY and roles.is_member:
            return True
        if kind in WHOLE_KINDS and roles.is_presidency:
            return True
        if kind == PartyKind.COMMITTEE:
            committee = party.committee
            if any(roles.is_focal_point_of(c.pk) for c in committee.countries.all()):
                return True
            if person is not None and any(m.pk == person.pk for m in committee.members.all()):
                return True
    return False


@dataclass(frozen=True)
class Office:
    """Who holds what on one day, read once for many parties: the people
    representing each country and the country holding each organ."""

    day: datetime.date
    people_by_country: dict
    holders: dict  # organ code -> country id
    members: list  # member country ids that day

    def people_of(self, country_id: int | None) -> list:
        return list(self.people_by_country.get(country_id, []))


def office_on(day: datetime.date) -> Office:
    """Three queries, whatever the number of parties asked about later."""
    people: dict[int, list] = {}
    for representation in (
        Representation.objects.in_force(day)
        .select_related("person__user", "person__country")
        .order_by("person__family_name", "person__given_name", "pk")
    ):
        bucket = people.setdefault(representation.country_id, [])
        if representation.person not in bucket:
            bucket.append(representation.person)
    holders = dict(OrganTerm.objects.in_force(day).values_list("organ__code", "country_id"))
    members = list(Country.objects.members(on=day).values_list("pk", flat=True))
    return Office(day=day, people_by_country=people, holders=holders, members=members)


def people_answering(parties: Iterable, *, office: Office) -> list:
    """The people (membership.Person) who answer for `parties` on the
    office's day, each once, in a stable order. Committees should come with
    `members` and `countries` prefetched."""
    found: dict[int, object] = {}

    def add(people):
        for person in people:
            found.setdefault(person.pk, person)

    for party in parties:
        kind = party.kind
        if kind in COUNTRY_KINDS:
            add(office.people_of(party.country_id))
        elif kind == PartyKind.ORGAN:
            if party.organ.code == Organ.Code.PLENARY:
                for country_id in office.members:
                    add(office.people_of(country_id))
            else:
                add(office.people_of(office.holders.get(party.organ.code)))
        elif kind == PartyKind.COMMITTEE:
            add(party.committee.members.all())
            for country in party.committee.countries.all():
                add(office.people_of(country.pk))
        else:
            add(office.people_of(office.holders.get(Organ.Code.PRESIDENCY)))
    return list(found.values())
