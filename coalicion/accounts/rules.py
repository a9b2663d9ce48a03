"""Role predicates shared by every app's rules module (see roles.py)."""

import rules

from coalicion.accounts.roles import roles_of


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


rules.add_perm("accounts.manage_users", is_secretariat)
