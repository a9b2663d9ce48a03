"""Who may read and keep the cooperation records.

Everyone with an account reads the instruments, good practices, actors,
alliances and joint actions, with two limits: a national instrument that is
not yet approved is a country's working document, seen by members only
(observers and the public see regional instruments and national ones once
approved); actors' contacts and resource mobilisation are for members.

A record of a member country (`country` set) is kept by that country's
focal points and the Secretariat; a regional record (no country) by the
Secretariat alone. A replication is the adopting country's record.
"""

import rules

from coalicion.membership.roles import roles_of
from coalicion.membership.rules import (
    is_focal_point,
    is_focal_point_of_objects_country,
    is_internal,
    is_member,
    is_secretariat,
)

# The stages from which a national instrument is public (codes of the plan
# file's milestone_stages, docs/plan-format.md).
PUBLIC_STAGES = frozenset({"approved", "implemented"})


def instrument_is_public(instrument) -> bool:
    return instrument.country_id is None or instrument.stage.code in PUBLIC_STAGES


@rules.predicate
def may_see_instrument(user, instrument) -> bool:
    """Without an instrument (the list page): everyone internal; each
    instrument is then checked on its own (`selectors.visible_instruments`)."""
    roles = roles_of(user)
    if instrument is None:
        return roles.is_internal
    return roles.is_member or instrument_is_public(instrument)


@rules.predicate
def may_see_instrument_evidence(user, evidence) -> bool:
    roles = roles_of(user)
    if evidence is None:
        return roles.is_internal
    return roles.is_internal and may_see_instrument(user, evidence.change.instrument)


@rules.predicate
def may_see_record_evidence(user, evidence) -> bool:
    """A file of a good practice, a replication or a joint action: whoever
    may see the record (a replication is seen with its practice)."""
    if evidence is None:
        return roles_of(user).is_internal
    if evidence.joint_action_id is not None:
        return user.has_perm("cooperation.view_jointaction", evidence.joint_action)
    practice = evidence.practice if evidence.practice_id else evidence.replication.practice
    return user.has_perm("cooperation.view_goodpractice", practice)


keeps_country_record = is_secretariat | is_focal_point_of_objects_country

rules.add_perm("cooperation.view_instrument", may_see_instrument)
rules.add_perm("cooperation.add_instrument", is_secretariat | is_focal_point)
rules.add_perm("cooperation.change_instrument", keeps_country_record)
rules.add_perm("cooperation.view_stageevidence", may_see_instrument_evidence)

rules.add_perm("cooperation.view_goodpractice", is_internal)
rules.add_perm("cooperation.add_goodpractice", is_secretariat | is_focal_point)
rules.add_perm("cooperation.change_goodpractice", keeps_country_record)
rules.add_perm("cooperation.add_replication", is_secretariat | is_focal_point)
rules.add_perm("cooperation.change_replication", keeps_country_record)

rules.add_perm("cooperation.view_actor", is_internal)
rules.add_perm("cooperation.view_actor_contacts", is_member)
rules.add_perm("cooperation.add_actor", is_secretariat | is_focal_point)
rules.add_perm("cooperation.change_actor", keeps_country_record)
rules.add_perm("cooperation.view_alliance", is_internal)
rules.add_perm("cooperation.add_alliance", is_secretariat | is_focal_point)
rules.add_perm("cooperation.change_alliance", keeps_country_record)
rules.add_perm("cooperation.view_jointaction", is_internal)
rules.add_perm("cooperation.add_jointaction", is_secretariat | is_focal_point)
rules.add_perm("cooperation.change_jointaction", keeps_country_record)

rules.add_perm("cooperation.view_resourcerequest", is_member)
rules.add_perm("cooperation.add_resourcerequest", is_secretariat | is_focal_point)
rules.add_perm("cooperation.change_resourcerequest", keeps_country_record)

rules.add_perm("cooperation.view_recordevidence", may_see_record_evidence)


def countries_kept_by(user) -> list | None:
    """The countries whose records `user` may write: None for all (and the
    regional ones), the Secretariat; otherwise the ids of their countries."""
    roles = roles_of(user)
    if roles.is_secretariat:
        return None
    return sorted(roles.focal_point_of)
