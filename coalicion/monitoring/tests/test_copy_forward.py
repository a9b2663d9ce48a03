"""Copying a POA forward: next year's POA gets exactly the unfinished items."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from coalicion.monitoring.poas import copy_forward_operating_plan
from coalicion.plans.models import Activity, Goal, OperatingPlan, OperationalObjective, Responsible

pytestmark = pytest.mark.django_db


def url(name, *args):
    with translation.override("es"):
        return reverse(f"monitoring:{name}", args=args)


@pytest.fixture
def request_as(users):
    def make(role="secretariat"):
        request = RequestFactory().post("/")
        request.user = users[role]
        return request

    return make


def activity(poa, code):
    return Activity.objects.get(objective__operating_plan=poa, code=code)


def test_copy_forward_takes_exactly_the_unfinished_activities_and_their_objectives(
    poa, periods, validated_report, request_as
):
    done = activity(poa, "1.1-1")  # the only activity of objective 1.1
    validated_report(done, periods[3], 100)  # validated on 15 January 2019
    halfway = activity(poa, "1.2-1")
    validated_report(halfway, periods[3], 60)
    cancelled = activity(poa, "2.1.1-1")
    cancelled.cancelled = True
    cancelled.save()
    expected = set(
        Activity.objects.filter(objective__operating_plan=poa)
        .exclude(pk__in=[done.pk, cancelled.pk])
        .values_list("code", flat=True)
    )

    new_poa = copy_forward_operating_plan(actor=request_as().user, operating_plan=poa)

    assert new_poa.year == 2019
    assert new_poa.plan_id == poa.plan_id
    assert new_poa.name == "Plan Operativo Anual 2019"
    assert new_poa.name_en == "Annual Operating Plan 2019"
    copied = set(
        Activity.objects.filter(objective__operating_plan=new_poa).values_list("code", flat=True)
    )
    assert copied == expected
    assert "1.2-1" in copied and "1.1-1" not in copied
    objective_codes = set(new_poa.objectives.values_list("code", flat=True))
    assert "1.1" not in objective_codes  # all its activities are finished
    assert objective_codes == set(
        OperationalObjective.objects.filter(
            operating_plan=poa, activities__code__in=expected
        ).values_list("code", flat=True)
    )
    # The original POA is untouched.
    assert Activity.objects.filter(objective__operating_plan=poa).count() == len(expected) + 2


def test_copy_forward_keeps_weights_goals_responsibles_and_clears_dates(
    poa, terms, request_as, cr_activity
):
    cr_activity.weight = Decimal("2.5")
    cr_activity.start = datetime.date(2018, 3, 1)
    cr_activity.end = datetime.date(2018, 11, 30)
    cr_activity.save()
    objective = cr_activity.objective
    objective.weight = Decimal("3")
    objective.save()
    Goal.objects.create(activity=cr_activity, order=1, text="Dos reuniones nacionales")
    Goal.objects.create(objective=objective, order=1, kind="indicator", text="Reuniones hechas")
    old_responsibles = sorted(
        cr_activity.responsibles.values_list("kind", "organ_id", "country_id", "committee_id"),
        key=str,
    )

    new_poa = copy_forward_operating_plan(actor=request_as().user, operating_plan=poa)

    new = Activity.objects.get(objective__operating_plan=new_poa, code="3.1.1-1")
    assert new.pk != cr_activity.pk
    assert new.weight == Decimal("2.5")
    assert (new.start, new.end) == (None, None)
    assert new.statement == cr_activity.statement
    assert new.statement_en == cr_activity.statement_en
    assert new.order == cr_activity.order
    assert new.objective.weight == Decimal("3")
    assert new.objective.code == objective.code
    assert new.objective.strategic_objective_id == objective.strategic_objective_id
    assert list(new.goals.values_list("text", flat=True)) == ["Dos reuniones nacionales"]
    assert list(new.objective.goals.values_list("kind", "text")) == [
        ("indicator", "Reuniones hechas")
    ]
    new_responsibles = sorted(
        new.responsibles.values_list("kind", "organ_id", "country_id", "committee_id"), key=str
    )
    assert new_responsibles == old_responsibles
    assert ("country", None, terms["CR"].pk, None) in new_responsibles
    # Audited: the history says who copied and why.
    record = new.history.get()
    assert record.history_user == request_as().user
    assert "2018" in record.history_change_reason


def test_copy_forward_is_refused_when_the_next_poa_exists(poa, request_as):
    copy_forward_operating_plan(actor=request_as().user, operating_plan=poa)
    activities = Activity.objects.count()

    with translation.override("en"), pytest.raises(ValidationError, match="2019 already exists"):
        copy_forward_operating_plan(actor=request_as().user, operating_plan=poa)

    assert OperatingPlan.objects.filter(plan=poa.plan, year=2019).count() == 1
    assert Activity.objects.count() == activities
    assert Responsible.objects.filter(activity__objective__operating_plan__year=2019).exists()


def test_secretariat_copies_forward_from_the_periods_page(client, users, poa):
    client.force_login(users["secretariat"])

    response = client.post(url("copy_forward", 2018), follow=True)

    assert response.status_code == 200
    assert OperatingPlan.objects.filter(plan=poa.plan, year=2019).exists()
    assert "Plan Operativo Anual 2019" in response.content.decode()

    again = client.post(url("copy_forward", 2018), follow=True)

    assert "2019" in again.content.decode()
    assert OperatingPlan.objects.filter(plan=poa.plan, year=2019).count() == 1
    assert any("2019" in str(m) for m in again.context["messages"])


@pytest.mark.parametrize("role", ["focal_point", "presidency", "observer"])
def test_only_the_secretariat_copies_a_poa_forward(client, users, poa, role):
    client.force_login(users[role])

    assert client.post(url("copy_forward", 2018)).status_code == 403
    assert not OperatingPlan.objects.filter(plan=poa.plan, year=2019).exists()
