"""Making next year's POA by copying forward this year's unfinished items
(SPEC §2: "A new POA is made by copying forward the previous year's
unfinished items"); the Secretariat then edits it in the administration."""

import datetime
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from coalicion.core import figures
from coalicion.monitoring.formulas import HUNDRED, ActivityStatus
from coalicion.monitoring.rollup import execution_trees
from coalicion.plans.models import Activity, Goal, OperatingPlan, OperationalObjective, Responsible


def unfinished_activities(*, operating_plan: OperatingPlan) -> list[Activity]:
    """The POA's activities that are neither cancelled (nor their objective)
    nor completed at the end of its year.

    Completion is the roll-up's own figure (`rollup.execution_trees`; for a
    shared activity, the mean of the countries' parts) over the reports of
    the year's periods as validated by today: the fourth quarter is usually
    validated in January, after the year ended. The plan is taken as it is
    now, not as it was on 31 December, so that items added or cancelled
    since then are honoured.
    """
    year_end = datetime.date(operating_plan.year, 12, 31)
    known_by = max(year_end, timezone.localdate())
    [tree] = execution_trees(
        poas=[operating_plan], as_of=year_end, known_by=known_by, plan_of_today=True
    )
    unfinished = {
        node.activity.pk
        for node in tree.activities()
        if node.status != ActivityStatus.CANCELLED and (node.progress or 0) < HUNDRED
    }
    return list(Activity.objects.filter(pk__in=unfinished).order_by("objective__order", "order"))


@transaction.atomic
def copy_forward_operating_plan(*, actor, operating_plan: OperatingPlan) -> OperatingPlan:
    """Create the POA of the next year with the unfinished operational
    objectives of ``operating_plan`` and their unfinished activities: codes,
    order, statements, weights, goals and responsible parties are kept;
    dates are cleared. Refused if the next year's POA exists."""
    year = operating_plan.year + 1
    plan = operating_plan.plan
    if OperatingPlan.objects.filter(plan=plan, year=year).exists():
        raise ValidationError(
            _(
                "The POA %(year)s already exists, so nothing was copied into it. "
                "Edit it in the administration instead."
            )
            % {"year": year}
        )
    activities = unfinished_activities(operating_plan=operating_plan)
    by_objective: dict[int, list[Activity]] = defaultdict(list)
    for activity in activities:
        by_objective[activity.objective_id].append(activity)
    objectives = list(
        OperationalObjective.objects.filter(pk__in=by_objective.keys()).order_by("order")
    )
    reason = f"Copied forward from POA {operating_plan.year}"

    try:
        with transaction.atomic():
            new_poa = OperatingPlan.objects.create(
                plan=plan,
                year=year,
                name=f"Plan Operativo Anual {year}",
                name_en=f"Annual Operating Plan {year}",
            )
    except IntegrityError as error:  # created meanwhile by somebody else
        raise ValidationError(
            _("The POA %(year)s already exists, so nothing was copied into it.") % {"year": year}
        ) from error

    new_objectives = bulk_create_with_history(
        [
            OperationalObjective(
                operating_plan=new_poa,
                strategic_objective_id=o.strategic_objective_id,
                code=o.code,
                order=o.order,
                statement=o.statement,
                statement_en=o.statement_en,
                weight=o.weight,
            )
            for o in objectives
        ],
        OperationalObjective,
        default_user=actor,
        default_change_reason=reason,
    )
    objective_map = {old.pk: new for old, new in zip(objectives, new_objectives, strict=True)}
    new_activities = bulk_create_with_history(
        [
            Activity(
                objective=objective_map[a.objective_id],
                code=a.code,
                order=a.order,
                statement=a.statement,
                statement_en=a.statement_en,
                weight=a.weight,
                note=a.note,
                note_en=a.note_en,
            )
            for a in activities
        ],
        Activity,
        default_user=actor,
        default_change_reason=reason,
    )
    activity_map = {old.pk: new for old, new in zip(activities, new_activities, strict=True)}

    goals = Goal.objects.filter(objective_id__in=objective_map.keys()) | Goal.objects.filter(
        activity_id__in=activity_map.keys()
    )
    bulk_create_with_history(
        [
            Goal(
                objective=objective_map.get(g.objective_id),
                activity=activity_map.get(g.activity_id),
                kind=g.kind,
                order=g.order,
                text=g.text,
                text_en=g.text_en,
            )
            for g in goals.order_by("pk")
        ],
        Goal,
        default_user=actor,
        default_change_reason=reason,
    )
    bulk_create_with_history(
        [
            Responsible(
                activity=activity_map[r.activity_id],
                kind=r.kind,
                organ_id=r.organ_id,
                country_id=r.country_id,
                committee_id=r.committee_id,
            )
            for r in Responsible.objects.filter(activity_id__in=activity_map.keys()).order_by("pk")
        ],
        Responsible,
        default_user=actor,
        default_change_reason=reason,
    )
    figures.changed("plans")  # bulk_create sends no signal
    return new_poa
