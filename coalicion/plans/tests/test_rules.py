"""Who may read and change the plan."""

import pytest

ROLES = ["observer", "focal_point", "focal_point_other", "presidency"]


@pytest.mark.parametrize("model", ["axis", "activity", "indicator", "operatingplan"])
def test_everyone_reads_the_plan_and_only_the_secretariat_changes_it(users, model):
    from django.contrib.auth.models import AnonymousUser

    assert AnonymousUser().has_perm(f"plans.view_{model}")
    for role in ROLES:
        assert users[role].has_perm(f"plans.view_{model}")
        assert not users[role].has_perm(f"plans.change_{model}"), role
    assert users["secretariat"].has_perm(f"plans.change_{model}")
    assert users["secretariat"].has_perm(f"plans.add_{model}")


def test_only_the_secretariat_changes_the_legal_framework(users):
    assert users["observer"].has_perm("legal.view_instrument")
    assert not users["focal_point"].has_perm("legal.change_instrument")
    assert users["secretariat"].has_perm("legal.change_ratification")
