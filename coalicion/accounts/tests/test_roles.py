"""Rights are derived from the governance records at the moment of the request."""

import datetime

from coalicion.accounts.selectors import users as user_list
from coalicion.membership.models import Organ, OrganTerm
from coalicion.membership.roles import roles_of, roles_of_users, roles_on

D = datetime.date


def test_a_representative_is_focal_point_of_their_country(users, terms):
    roles = roles_on(users["focal_point"], D(2026, 1, 1))
    assert roles.focal_point_of == {terms["CR"].pk}
    assert roles.is_member and roles.is_internal
    assert not roles.is_secretariat and not roles.is_presidency and not roles.observer


def test_a_representative_of_the_country_holding_an_organ_gets_its_rights(users):
    assert roles_on(users["secretariat"], D(2026, 1, 1)).is_secretariat
    assert not roles_on(users["secretariat"], D(2026, 1, 1)).is_presidency
    assert roles_on(users["presidency"], D(2026, 1, 1)).is_presidency
    assert not roles_on(users["presidency"], D(2026, 1, 1)).is_secretariat


def test_an_observer_sees_internal_pages_but_is_not_a_member(users):
    roles = roles_on(users["observer"], D(2026, 1, 1))
    assert roles.observer and roles.is_internal and not roles.is_member


def test_the_secretariats_rights_pass_on_the_day_its_term_passes(make_user, terms):
    """Costa Rica holds the Secretariat until 30 June 2026, Guatemala from 1 July."""
    secretariat = Organ.objects.get(code="secretariat")
    OrganTerm.objects.filter(organ=secretariat).delete()
    OrganTerm.objects.create(
        organ=secretariat, country=terms["CR"], start=D(2024, 7, 1), end=D(2026, 6, 30)
    )
    OrganTerm.objects.create(organ=secretariat, country=terms["GT"], start=D(2026, 7, 1))
    costa_rica = make_user("cr@test.invalid", country=terms["CR"])
    guatemala = make_user("gt@test.invalid", country=terms["GT"])

    assert roles_on(costa_rica, D(2026, 6, 30)).is_secretariat
    assert not roles_on(guatemala, D(2026, 6, 30)).is_secretariat
    assert not roles_on(costa_rica, D(2026, 7, 1)).is_secretariat
    assert roles_on(guatemala, D(2026, 7, 1)).is_secretariat
    # Both stay focal points of their own country throughout.
    assert roles_on(costa_rica, D(2026, 7, 1)).focal_point_of == {terms["CR"].pk}


def test_rights_end_with_the_representation(make_user, terms):
    user = make_user(
        "past@test.invalid", country=terms["PA"], start=D(2020, 1, 1), end=D(2025, 12, 31)
    )
    assert roles_on(user, D(2025, 12, 31)).is_secretariat
    after = roles_on(user, D(2026, 1, 1))
    assert not after.is_secretariat and not after.is_focal_point and not after.is_internal


def test_a_representation_that_has_not_started_gives_no_rights(make_user, terms):
    user = make_user("future@test.invalid", country=terms["CR"], start=D(2030, 1, 1))
    assert not roles_on(user, D(2026, 1, 1)).is_focal_point


def test_a_disabled_user_has_no_rights(users):
    user = users["secretariat"]
    user.is_active = False
    assert not roles_on(user, D(2026, 1, 1)).is_secretariat


def test_a_user_without_records_has_no_rights(make_user):
    roles = roles_on(make_user("nobody@test.invalid"), D(2026, 1, 1))
    assert not roles.is_internal and not roles.labels()


def test_a_technical_superuser_has_every_right(make_user):
    roles = roles_on(make_user("root@test.invalid", superuser=True), D(2026, 1, 1))
    assert roles.is_secretariat and roles.is_presidency and roles.is_member


def test_roles_are_computed_once_per_request(users, django_assert_num_queries):
    user = users["focal_point"]
    with django_assert_num_queries(1):
        roles_of(user)
        roles_of(user)


def test_roles_of_many_users_match_one_by_one(users):
    accounts = list(user_list())
    bulk = roles_of_users(accounts, D(2026, 1, 1))
    for account in accounts:
        assert bulk[account.pk] == roles_on(account, D(2026, 1, 1)), account.email
