"""python manage.py seed_synthetic --years 10 --scale 1

A synthetic multi-year monitoring dataset on the Coalition's real plan, for
the benchmarks (bench/) and for trying pages with a realistic volume:

- one POA per year from the plan's first year (the real POA 2018 is kept;
  the others are named "… (sintético)"), each with the operational
  objectives of POA 2018 (same codes and strategic objectives);
- about 40 activities per POA at scale 1 (40 × scale; POA 2018 keeps its real
  ones and is filled up to that number), named "Actividad sintética N" with
  codes "S-N", weights 1–3, a few cancelled; one in five is an activity of
  the national bodies (shared: every member country reports its part), the
  others have one member country responsible, spread over the nine;
- the four quarterly reporting periods of every POA, and a validated report
  for every activity in every quarter — for a shared activity, one for each
  member country's part, with about one part in eight never reported —
  percents rising through the year.

Deterministic (seeded random numbers, one generator per POA and activity)
and idempotent: a second run creates only what is missing. --reset removes
what an earlier run made first. Never in production.
"""

import datetime
import random
from decimal import Decimal

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from coalicion.core import figures
from coalicion.membership.models import Country
from coalicion.monitoring.actions import create_quarterly_periods
from coalicion.monitoring.models import ProgressReport, ReportStatus
from coalicion.plans.actions import load_plan
from coalicion.plans.models import (
    Activity,
    OperatingPlan,
    OperationalObjective,
    Plan,
    Responsible,
)
from coalicion.plans.planfile import PlanFileError, read_plan_file

ACTIVITIES_PER_POA = 40
CODE_PREFIX = "S-"
POA_MARK = "(sintético)"
NARRATIVE = "Avance sintético para pruebas de rendimiento."
CANCELLED_SHARE = 0.04
BATCH = 500


class Command(BaseCommand):
    help = "Create a synthetic multi-year monitoring dataset on the real plan (for benchmarks)."

    def add_arguments(self, parser):
        parser.add_argument("--years", type=int, default=10, help="POAs from the plan's start.")
        parser.add_argument(
            "--scale", type=float, default=1.0, help="Activities per POA = 40 × scale."
        )
        parser.add_argument("--seed", type=int, default=2018, help="Seed of the random numbers.")
        parser.add_argument(
            "--reset", action="store_true", help="Remove what an earlier run made first."
        )

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("Synthetic data is never created in production.")
        if options["years"] < 1:
            raise CommandError("--years must be 1 or more.")
        if options["scale"] <= 0:
            raise CommandError("--scale must be greater than 0.")
        plan = real_plan()
        with transaction.atomic():
            if options["reset"]:
                removed = reset(plan=plan)
                self.stdout.write(f"Removed {removed} synthetic reports and their activities.")
            created = seed(
                plan=plan, years=options["years"], scale=options["scale"], seed=options["seed"]
            )
        self.stdout.write(
            self.style.SUCCESS(
                "Synthetic data on {plan}: created {poas} POAs, {objectives} operational "
                "objectives, {activities} activities, {periods} periods, {reports} reports.".format(
                    plan=plan.code, **created
                )
            )
        )


def real_plan() -> Plan:
    """The Coalition's plan, loaded from its data file if missing."""
    path = settings.COALICION_PLAN_FILE
    try:
        code = read_plan_file(path)["plan"]["code"]
        plan = Plan.objects.filter(code=code).first()
        if plan is None:
            load_plan(path=path)
            plan = Plan.objects.get(code=code)
    except PlanFileError as exc:
        raise CommandError(str(exc)) from None
    return plan


def reset(*, plan: Plan) -> int:
    poas = plan.operating_plans.filter(name__endswith=POA_MARK)
    activities = Activity.objects.filter(
        objective__operating_plan__plan=plan, code__startswith=CODE_PREFIX
    )
    reports = ProgressReport.objects.filter(
        Q(narrative=NARRATIVE) | Q(activity__in=activities) | Q(period__operating_plan__in=poas)
    )
    removed, _ = reports.delete()
    activities.delete()
    poas.delete()
    return removed


def _aware(day: datetime.date, hour: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _rng(*parts) -> random.Random:
    # Synthetic data, not security. A string seed is hashed with SHA-512: the
    # same numbers on every machine.
    return random.Random("-".join(str(part) for part in parts))  # noqa: S311  # nosec B311


def seed(*, plan: Plan, years: int, scale: float, seed: int) -> dict[str, int]:
    created = dict.fromkeys(["poas", "objectives", "activities", "periods", "reports"], 0)
    first_year = plan.period_start
    template = plan.operating_plans.get(year=first_year)
    template_objectives = list(template.objectives.order_by("order"))
    countries = list(Country.objects.order_by("code"))
    per_poa = max(1, round(ACTIVITIES_PER_POA * scale))

    poas = []
    existing_poas = {p.year: p for p in plan.operating_plans.all()}
    for year in range(first_year, first_year + years):
        poa = existing_poas.get(year)
        if poa is None:
            poa = OperatingPlan.objects.create(
                plan=plan,
                year=year,
                name=f"Plan Operativo Anual {year} {POA_MARK}",
                name_en=f"Annual Operating Plan {year} (synthetic)",
                presentation="Datos sintéticos para medir el rendimiento.",
                presentation_en="Synthetic data for measuring performance.",
            )
            created["poas"] += 1
        poas.append(poa)

    for poa in poas:
        created["objectives"] += _copy_objectives(poa, template_objectives, seed)
        created["activities"] += _add_activities(poa, per_poa, countries, seed)
        before = poa.periods.count()
        create_quarterly_periods(operating_plan=poa)
        created["periods"] += poa.periods.count() - before

    created["reports"] = _add_reports(poas, seed)
    figures.changed("plans", "monitoring")  # written in bulk: no signals (ADR 0055)
    return created


def _copy_objectives(poa, template_objectives, seed) -> int:
    have = set(poa.objectives.values_list("code", flat=True))
    rng = _rng(seed, poa.year, "objectives")
    new = []
    for source in template_objectives:
        weight = Decimal(rng.choice([1, 1, 2]))
        if source.code in have:
            continue
        new.append(
            OperationalObjective(
                operating_plan=poa,
                strategic_objective_id=source.strategic_objective_id,
                code=source.code,
                order=source.order,
                statement=f"Objetivo operativo sintético {source.code}",
                statement_en=f"Synthetic operational objective {source.code}",
                weight=weight,
            )
        )
    # Known to the history from the start of the POA's year, so that "as of"
    # a past date finds them.
    bulk_create_with_history(
        new,
        OperationalObjective,
        batch_size=BATCH,
        default_date=_aware(datetime.date(poa.year, 1, 1)),
    )
    return len(new)


def _add_activities(poa, per_poa, countries, seed) -> int:
    objectives = list(poa.objectives.order_by("order"))
    codes = set(
        Activity.objects.filter(objective__operating_plan=poa).values_list("code", flat=True)
    )
    real = sum(1 for code in codes if not code.startswith(CODE_PREFIX))
    new = []
    for number in range(1, max(0, per_poa - real) + 1):
        code = f"{CODE_PREFIX}{number}"
        if code in codes:
            continue
        rng = _rng(seed, poa.year, code)
        start = datetime.date(poa.year, 1, 1) + datetime.timedelta(days=rng.randint(0, 150))
        end = min(
            start + datetime.timedelta(days=rng.randint(60, 240)), datetime.date(poa.year, 12, 31)
        )
        new.append(
            Activity(
                objective=objectives[(number - 1) % len(objectives)],
                code=code,
                order=1000 + number,
                statement=f"Actividad sintética {number}",
                statement_en=f"Synthetic activity {number}",
                weight=Decimal(rng.choice([1, 1, 1, 2, 2, 3])),
                start=start,
                end=end,
                cancelled=rng.random() < CANCELLED_SHARE,
            )
        )
    activities = bulk_create_with_history(
        new, Activity, batch_size=BATCH, default_date=_aware(datetime.date(poa.year, 1, 1))
    )
    Responsible.objects.bulk_create(
        (
            Responsible(activity=activity, kind=Responsible.Kind.NATIONAL_BODIES)
            if _shared(activity.code)
            else Responsible(
                activity=activity,
                kind=Responsible.Kind.COUNTRY,
                country=countries[_number(activity.code) % len(countries)],
            )
            for activity in activities
        ),
        batch_size=BATCH,
    )
    return len(new)


def _number(code: str) -> int:
    return int(code.removeprefix(CODE_PREFIX))


def _shared(code: str) -> bool:
    """One synthetic activity in five is of the national bodies."""
    return code.startswith(CODE_PREFIX) and _number(code) % 5 == 0


def _add_reports(poas, seed) -> int:
    periods_by_poa = {}
    for poa in poas:
        periods_by_poa[poa.pk] = list(poa.periods.order_by("number"))
    have = set(
        ProgressReport.objects.filter(period__operating_plan__in=poas).values_list(
            "activity_id", "period_id", "country_id"
        )
    )
    shared = set(
        Responsible.objects.filter(
            activity__objective__operating_plan__in=poas, kind=Responsible.Kind.NATIONAL_BODIES
        ).values_list("activity_id", flat=True)
    )
    members = list(Country.objects.members(on=timezone.localdate()).order_by("code"))
    activities = Activity.objects.filter(objective__operating_plan__in=poas).values_list(
        "pk", "code", "objective__operating_plan_id", "objective__operating_plan__year"
    )
    new = []
    for activity_id, code, poa_id, year in activities.order_by("pk"):
        parts = [None]
        if activity_id in shared:
            parts = [c for c in members if _rng(seed, year, code, c.code).random() >= 0.125]
        for country in parts:
            suffix = country.code if country else ""
            rng = (
                _rng(seed, year, code, "reports", suffix)
                if country
                else _rng(seed, year, code, "reports")
            )
            percent = 0
            for period in periods_by_poa[poa_id]:
                percent = min(100, percent + rng.randint(5, 40))
                cents = rng.randint(0, 99)
                submitted = period.end + datetime.timedelta(days=rng.randint(1, 20))
                reviewed = submitted + datetime.timedelta(days=rng.randint(1, 10))
                if (activity_id, period.pk, country and country.pk) in have:
                    continue
                new.append(
                    ProgressReport(
                        activity_id=activity_id,
                        period=period,
                        country=country,
                        percent=Decimal(100)
                        if percent == 100
                        else Decimal(percent) + Decimal(cents) / 100,
                        narrative=NARRATIVE,
                        status=ReportStatus.VALIDATED,
                        submitted_at=_aware(submitted, 10),
                        reviewed_at=_aware(reviewed, 12),
                        version=3,
                    )
                )
    ProgressReport.objects.bulk_create(new, batch_size=BATCH)
    return len(new)
