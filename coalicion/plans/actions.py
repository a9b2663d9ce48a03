"""Writes to the plan. Every write is one atomic action."""

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils import translation

from coalicion.legal.models import GlossaryTerm, Instrument, Ratification
from coalicion.membership.models import Country, NationalBody, Organ, OrganFunction
from coalicion.plans.models import (
    Activity,
    Axis,
    Goal,
    Indicator,
    MilestoneStage,
    OperatingPlan,
    OperationalObjective,
    Plan,
    PlanStatement,
    Responsible,
    Result,
    StrategicObjective,
    WorkingCommittee,
)
from coalicion.plans.planfile import read_plan_file

# The change reason of every history record written by `load_plan`: items
# loaded from the file describe the plan since its start (see
# coalicion.monitoring.selectors._states_as_of).
PLAN_FILE_REASON = "plan file"


@dataclass
class LoadReport:
    plan: Plan | None = None
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)
    not_in_file: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)


class _Sync:
    """Create or update rows so they match the file, saving only what changed.

    Saving an unchanged row would add a history record; loading the same
    file twice must change nothing.
    """

    def __init__(self, report: LoadReport):
        self.report = report

    def row(self, model, lookup: dict, values: dict):
        with translation.override(None):
            label = str(model._meta.verbose_name_plural)
        obj = model.objects.filter(**lookup).first()
        if obj is None:
            obj = model(**{**values, **lookup})
            obj._change_reason = PLAN_FILE_REASON
            obj.save()
            self.report.created[str(label)] += 1
            return obj
        changed = [name for name, value in values.items() if _differs(getattr(obj, name), value)]
        if changed:
            for name in changed:
                setattr(obj, name, values[name])
            obj._change_reason = PLAN_FILE_REASON
            obj.save(update_fields=changed)
            self.report.updated[str(label)] += 1
        else:
            self.report.unchanged[str(label)] += 1
        return obj

    def leftovers(self, queryset, keep_ids: set, describe) -> None:
        """Rows the file no longer has are kept (they may carry reports) and listed."""
        for obj in queryset.exclude(pk__in=keep_ids):
            self.report.not_in_file.append(describe(obj))


def _differs(current, new) -> bool:
    if hasattr(current, "pk") and hasattr(new, "pk"):
        return current.pk != new.pk
    return current != new


def _bilingual(name: str, pair: tuple[str, str]) -> dict:
    return {name: pair[0], f"{name}_en": pair[1]}


@transaction.atomic
def load_plan(*, path: Path | str) -> LoadReport:
    """Load a plan data file into the database, idempotently.

    The whole file is validated before anything is written; an invalid file
    raises `PlanFileError` and leaves the database as it was.
    """
    data = read_plan_file(path)
    report = LoadReport()
    sync = _Sync(report)

    countries = _load_countries(sync, data)
    organs = _load_organs(sync, data)
    plan = _load_plan_root(sync, data)
    report.plan = plan
    committees = {
        c["code"]: sync.row(
            WorkingCommittee,
            {"plan": plan, "code": c["code"]},
            {**_bilingual("name", c["name"]), **_bilingual("mandate", c["mandate"])},
        )
        for c in data["committees"]
    }
    strategic = _load_results_framework(sync, plan, data)
    _load_poas(sync, plan, data, strategic, countries, organs, committees)
    _load_glossary(sync, plan, data)
    _load_legal_framework(sync, data, countries)
    return report


def _load_countries(sync: _Sync, data: dict) -> dict[str, Country]:
    countries = {
        c["code"]: sync.row(
            Country,
            {"code": c["code"]},
            {**_bilingual("name", c["name"]), "is_member": c["is_member"]},
        )
        for c in data["countries"]
    }
    for body in data["national_bodies"]:
        values = {
            "acronym": body["acronym"],
            "kind": body["kind"],
            "member_institutions": body["member_institutions"],
            "covers_trafficking": body["covers_trafficking"],
            "covers_smuggling": body["covers_smuggling"],
            "described_in_plan": body["described_in_plan"],
            **_bilingual("name", body["name"]),
            **_bilingual("legal_basis", body["legal_basis"]),
            **_bilingual("member_institutions_note", body["member_institutions_note"]),
            **_bilingual("description", body["description"]),
        }
        country = countries[body["country"]]
        # A body is identified by its country and Spanish name; a country's
        # single body may be renamed in the file.
        existing = NationalBody.objects.filter(country=country)
        lookup = {"country": country, "name": body["name"][0]}
        if existing.count() == 1 and not existing.filter(name=body["name"][0]).exists():
            lookup = {"pk": existing.get().pk}
        sync.row(NationalBody, lookup, values)
    return countries


def _load_organs(sync: _Sync, data: dict) -> dict[str, Organ]:
    organs = {}
    for order, item in enumerate(data["organs"], start=1):
        organ = sync.row(
            Organ,
            {"code": item["code"]},
            {
                "order": order,
                **_bilingual("name", item["name"]),
                **_bilingual("description", item["description"]),
            },
        )
        for number, text in enumerate(item["functions"], start=1):
            sync.row(OrganFunction, {"organ": organ, "order": number}, _bilingual("text", text))
        OrganFunction.objects.filter(organ=organ, order__gt=len(item["functions"])).delete()
        organs[item["code"]] = organ
    return organs


def _load_plan_root(sync: _Sync, data: dict) -> Plan:
    p = data["plan"]
    values = {
        "period_start": p["period_start"],
        "period_end": p["period_end"],
        "source": data["source"],
        "data_notes": data["notes"]
        + [
            {"where": f"legal_framework: {n['where']}", "note": n["note"]}
            for n in data["legal_framework"]["notes"]
        ],
    }
    for key in (
        "name",
        "organisation",
        "introduction",
        "background",
        "target_population",
        "general_objective",
        "vision",
        "mission",
    ):
        values.update(_bilingual(key, p[key]))
    plan = sync.row(Plan, {"code": p["code"]}, values)
    for kind, key in (
        (PlanStatement.Kind.VALUE, "values"),
        (PlanStatement.Kind.PRINCIPLE, "principles"),
        (PlanStatement.Kind.APPROACH, "approaches"),
    ):
        keep = set()
        for order, item in enumerate(p[key], start=1):
            row = sync.row(
                PlanStatement,
                {"plan": plan, "kind": kind, "code": item["code"]},
                {
                    "order": order,
                    **_bilingual("name", item["name"]),
                    **_bilingual("text", item["text"]),
                },
            )
            keep.add(row.pk)
        sync.leftovers(plan.statements.filter(kind=kind), keep, lambda s: f"{s.kind} {s.code}")
    for order, stage in enumerate(p["milestone_stages"], start=1):
        sync.row(
            MilestoneStage,
            {"plan": plan, "code": stage["code"]},
            {"order": order, "percent": stage["percent"], **_bilingual("name", stage["name"])},
        )
    return plan


def _load_results_framework(sync: _Sync, plan: Plan, data: dict) -> dict[str, StrategicObjective]:
    strategic = {}
    for a_order, a in enumerate(data["axes"], start=1):
        axis = sync.row(
            Axis,
            {"plan": plan, "code": a["code"]},
            {
                "order": a_order,
                **_bilingual("name", a["name"]),
                **_bilingual("title", a["title"]),
                **_bilingual("description", a["description"]),
            },
        )
        for o_order, o in enumerate(a["objectives"], start=1):
            objective = sync.row(
                StrategicObjective,
                {"axis": axis, "code": o["code"]},
                {"order": o_order, "label": o["label"], **_bilingual("statement", o["statement"])},
            )
            strategic[o["code"]] = objective
            for r_order, r in enumerate(o["results"], start=1):
                result = sync.row(
                    Result,
                    {"objective": objective, "code": r["code"]},
                    {
                        "order": r_order,
                        "label": r["label"],
                        "target_year": r["target_year"],
                        "note": r["note"],
                        **_bilingual("statement", r["statement"]),
                    },
                )
                for i_order, ind in enumerate(r["indicators"], start=1):
                    sync.row(
                        Indicator,
                        {"result": result, "code": ind["code"]},
                        {
                            "order": i_order,
                            "label": ind["label"],
                            "kind": ind["kind"],
                            "direction": ind["direction"],
                            "baseline_value": ind["baseline_value"],
                            "baseline_year": ind["baseline_year"],
                            "target_value": ind["target_value"],
                            "target_year": ind["target_year"],
                            "disaggregated_by_country": ind["disaggregated_by_country"],
                            "source": ind["source"],
                            "computation": ind["computation"],
                            **_bilingual("statement", ind["statement"]),
                            **_bilingual("unit", ind["unit"]),
                            **_bilingual("means_of_verification", ind["means_of_verification"]),
                        },
                    )
    return strategic


def _load_poas(sync, plan, data, strategic, countries, organs, committees) -> None:
    for p in data["poas"]:
        poa = sync.row(
            OperatingPlan,
            {"plan": plan, "year": p["year"]},
            {
                **_bilingual("name", p["name"]),
                **_bilingual("presentation", p["presentation"]),
                **_bilingual("responsible_parties_text", p["responsible_parties_text"]),
            },
        )
        for o_order, o in enumerate(p["objectives"], start=1):
            objective = sync.row(
                OperationalObjective,
                {"operating_plan": poa, "code": o["code"]},
                {
                    "order": o_order,
                    "strategic_objective": strategic[o["strategic_objective"]],
                    "weight": o["weight"],
                    **_bilingual("statement", o["statement"]),
                },
            )
            _load_goals(sync, {"objective": objective}, o["goals"])
            for a_order, a in enumerate(o["activities"], start=1):
                activity = sync.row(
                    Activity,
                    {"objective": objective, "code": a["code"]},
                    {
                        "order": a_order,
                        "weight": a["weight"],
                        "start": a["start"],
                        "end": a["end"],
                        "note": a["note"],
                        **_bilingual("statement", a["statement"]),
                    },
                )
                _load_goals(sync, {"activity": activity}, a["goals"])
                _load_responsibles(sync, activity, a["responsibles"], countries, organs, committees)


def _load_goals(sync: _Sync, owner: dict, goals: list[dict]) -> None:
    for kind in (Goal.Kind.GOAL, Goal.Kind.INDICATOR):
        texts = [g["text"] for g in goals if g["kind"] == kind]
        for order, text in enumerate(texts, start=1):
            sync.row(Goal, {**owner, "kind": kind, "order": order}, _bilingual("text", text))
        Goal.objects.filter(**owner, kind=kind, order__gt=len(texts)).delete()


def _load_responsibles(sync, activity, responsibles, countries, organs, committees) -> None:
    wanted = []
    for r in responsibles:
        kind, ref = r["kind"], r["ref"]
        wanted.append(
            {
                "kind": kind,
                "organ": organs.get(ref) if kind == "organ" else None,
                "country": countries.get(ref) if kind in ("country", "national_body") else None,
                "committee": committees.get(ref) if kind == "committee" else None,
            }
        )
    keep = set()
    for values in wanted:
        keep.add(sync.row(Responsible, {"activity": activity, **values}, {}).pk)
    # Responsibles are plain references: the file is the whole list.
    Responsible.objects.filter(activity=activity).exclude(pk__in=keep).delete()


def _load_glossary(sync: _Sync, plan: Plan, data: dict) -> None:
    for order, t in enumerate(data["glossary"], start=1):
        sync.row(
            GlossaryTerm,
            {"plan": plan, "code": t["code"]},
            {
                "order": order,
                "source": t["source"],
                **_bilingual("term", t["term"]),
                **_bilingual("definition", t["definition"]),
            },
        )


def _load_legal_framework(sync: _Sync, data: dict, countries: dict[str, Country]) -> None:
    order_in_scope: Counter = Counter()
    for item in data["legal_framework"]["instruments"]:
        order_in_scope[item["scope"]] += 1
        instrument = sync.row(
            Instrument,
            {"code": item["code"]},
            {
                "scope": item["scope"],
                "order": order_in_scope[item["scope"]],
                "year": item["year"],
                "source": item["source"],
                "note": item["note"],
                "unmapped_dates": item["unmapped_dates"],
                **_bilingual("name", item["name"]),
                **_bilingual("description", item["description"]),
            },
        )
        parties = {countries[code].pk for code in item["parties"]}
        if set(instrument.parties.values_list("pk", flat=True)) != parties:
            instrument.parties.set(parties)
        for r in item["ratifications"]:
            sync.row(
                Ratification,
                {"instrument": instrument, "country": countries[r["country"]]},
                {
                    "date": r["date"],
                    "kind": r["kind"],
                    "deposit_date": r["deposit_date"],
                    "deposit_kind": r["deposit_kind"],
                },
            )
