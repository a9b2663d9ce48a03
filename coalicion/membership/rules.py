"""Role predicates shared by every app's rules module (see roles.py), and
the permissions of the contact directory."""

import rules

from coalicion.membership.roles import roles_of


@rules.predicate
def is_secretariat(user) -> bool:
    return roles_of(user).is_secretariat


@rules.predicate
def is_presidency(user) -> bool:
    return roles_of(user).is_presidency


@rules.predicate
def is_focal_point(user) -> bool:
    return roles_of(user).is_focal_point


@rules.predicate
def is_member(user) -> bool:
    """A member country's focal point, the Presidency or the Secretariat."""
    return roles_of(user).is_member


@rules.predicate
def is_internal(user) -> bool:
    """Members and observers: the internal pages."""
    return roles_of(user).is_internal


@rules.predicate
def is_focal_point_of_objects_country(user, obj) -> bool:
    """`obj` belongs to a country (``obj.country_id``) the user represents."""
    return obj is not None and roles_of(user).is_focal_point_of(getattr(obj, "country_id", None))


# The contact directory: members read it; the Secretariat keeps it, and a
# focal point keeps their own country's contacts.
rules.add_perm("membership.view_directory", is_member)
rules.add_perm("membership.add_person", is_secretariat | is_focal_point)
rules.add_perm("membership.change_person", is_secretariat | is_focal_point_of_objects_country)
