"""Plans' part of the plan file: the plan itself, the working committees,
the results framework (axes) and the annual operating plans
(docs/plan-format.md; the contract is in `coalicion.core.planfile`).

The whole file is read and loaded by `coalicion.composition.planfile`.
"""

from coalicion.core.planfile import (
    PlanFileError,  # noqa: F401 (monitoring's seed_synthetic imports it from here)
    Reader,
    Sync,
    at,
    bilingual,
)
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

SECTIONS = ("plan", "committees", "axes", "poas")

INDICATOR_KINDS = {"count", "percentage", "milestone"}
DIRECTIONS = {"increase", "decrease"}
SOURCES = {"manual", "computed"}
RESPONSIBLE_KINDS = {
    "coalition",
    "organ",
    "national_bodies",
    "national_body",
    "country",
    "committee",
}

# The keys each kind of item may have; any item may also carry a `note`.
PLAN_KEYS = frozenset(
    {
        "code",
        "name",
        "organisation",
        "organisation_acronym",
        "period_start",
        "period_end",
        "introduction",
        "background",
        "target_population",
        "general_objective",
        "vision",
        "mission",
        "values",
        "principles",
        "approaches",
        "milestone_stages",
    }
)
STATEMENT_KEYS = frozenset({"code", "name", "text"})
STAGE_KEYS = frozenset({"code", "name", "percent"})
COMMITTEE_KEYS = frozenset({"code", "name", "mandate"})
AXIS_KEYS = frozenset({"code", "name", "title", "description", "strategic_objectives"})
OBJECTIVE_KEYS = frozenset({"code", "label", "statement", "results"})
RESULT_KEYS = frozenset({"code", "label", "statement", "target_year", "indicators"})
INDICATOR_KEYS = frozenset(
    {
        "code",
        "label",
        "statement",
        "unit",
        "kind",
        "direction",
        "baseline",
        "target",
        "means_of_verification",
        "disaggregated_by_country",
        "source",
        "computation",
    }
)
VALUE_YEAR_KEYS = frozenset({"value", "year"})
POA_KEYS = frozenset(
    {"year", "name", "presentation", "responsible_parties_text", "operational_objectives"}
)
OPERATIONAL_OBJECTIVE_KEYS = frozenset(
    {"code", "strategic_objective", "statement", "weight", "goals", "indicators", "activities"}
)
ACTIVITY_KEYS = frozenset(
    {"code", "statement", "weight", "start", "end", "goals", "indicators", "responsibles"}
)
RESPONSIBLE_KEYS = frozenset({"kind", "ref"})


def read_plan_file(path):
    """Kept for monitoring's seed_synthetic (restructured by another change):
    the whole file is read by `coalicion.composition.planfile.read_plan_file`."""
    from coalicion.composition.planfile import read_plan_file as read_whole_file

    return read_whole_file(path)


# --- Reading ----------------------------------------------------------------------


def read(reader: Reader, root: dict, data: dict) -> None:
    data["plan"] = _plan(reader, reader.mapping(root.get("plan"), "plan", PLAN_KEYS))
    data["committees"] = _committees(reader, root)
    data["axes"] = _axes(reader, root)
    data["poas"] = _poas(reader, root, data)


def _plan(reader: Reader, node: dict) -> dict:
    where = "plan"
    plan = {
        "code": reader.code(node, "code", where),
        "period_start": reader.integer(node, "period_start", where, minimum=1900, maximum=2200),
        "period_end": reader.integer(node, "period_end", where, minimum=1900, maximum=2200),
    }
    for key in ("name", "organisation", "general_objective", "vision", "mission"):
        plan[key] = reader.text(node, key, where)
    for key in ("introduction", "background", "target_population"):
        plan[key] = reader.text(node, key, where, required=False)
    if plan["period_start"] and plan["period_end"] and plan["period_end"] < plan["period_start"]:
        reader.problem(f"{where}.period_end", "is before period_start")
    for key in ("values", "principles", "approaches"):
        statements = []
        for i, item in enumerate(reader.items(node, key, where)):
            place = at(where, key, i, item)
            item = reader.mapping(item, place, STATEMENT_KEYS)
            statements.append(
                {
                    "code": reader.code(item, "code", place),
                    "name": reader.text(item, "name", place),
                    "text": reader.text(item, "text", place),
                }
            )
        reader.unique([s["code"] for s in statements], f"{where}.{key}", key[:-1])
        plan[key] = statements
    stages = []
    for i, item in enumerate(reader.items(node, "milestone_stages", where)):
        place = at(where, "milestone_stages", i, item)
        item = reader.mapping(item, place, STAGE_KEYS)
        stages.append(
            {
                "code": reader.code(item, "code", place),
                "name": reader.text(item, "name", place),
                "percent": reader.decimal(item, "percent", place, minimum=0, maximum=100),
            }
        )
    reader.unique([s["code"] for s in stages], f"{where}.milestone_stages", "stage")
    percents = [s["percent"] for s in stages if s["percent"] is not None]
    if percents != sorted(percents):
        reader.problem(f"{where}.milestone_stages", "stages must go from lowest to highest percent")
    plan["milestone_stages"] = stages
    return plan


def _committees(reader: Reader, root: dict) -> list[dict]:
    committees = []
    for i, item in enumerate(reader.items(root, "committees", "(top level)", required=False)):
        where = f"committees[{i + 1}]"
        item = reader.mapping(item, where, COMMITTEE_KEYS)
        committees.append(
            {
                "code": reader.code(item, "code", where),
                "name": reader.text(item, "name", where),
                "mandate": reader.text(item, "mandate", where, required=False),
            }
        )
    reader.unique([c["code"] for c in committees], "committees", "committee")
    return committees


def _axes(reader: Reader, root: dict) -> list[dict]:
    axes = []
    all_objectives, all_results, all_indicators = [], [], []
    for i, item in enumerate(reader.items(root, "axes", "(top level)")):
        where = f"axes[{i + 1}]"
        item = reader.mapping(item, where, AXIS_KEYS)
        axis = {
            "code": reader.code(item, "code", where),
            "name": reader.text(item, "name", where),
            "title": reader.text(item, "title", where, required=False),
            "description": reader.text(item, "description", where, required=False),
            "objectives": [],
        }
        for j, obj in enumerate(reader.items(item, "strategic_objectives", where)):
            oat = at(where, "strategic_objectives", j, obj)
            obj = reader.mapping(obj, oat, OBJECTIVE_KEYS)
            objective = {
                "code": reader.code(obj, "code", oat),
                "label": reader.string(obj, "label", oat, required=False),
                "statement": reader.text(obj, "statement", oat),
                "results": [],
            }
            all_objectives.append(objective["code"])
            for k, res in enumerate(reader.items(obj, "results", oat)):
                rat = at(oat, "results", k, res)
                res = reader.mapping(res, rat, RESULT_KEYS)
                result = {
                    "code": reader.code(res, "code", rat),
                    "label": reader.string(res, "label", rat, required=False),
                    "statement": reader.text(res, "statement", rat),
                    "target_year": reader.integer(
                        res, "target_year", rat, minimum=1900, maximum=2200
                    ),
                    "note": reader.text(res, "note", rat, required=False),
                    "indicators": [],
                }
                all_results.append(result["code"])
                for m, ind in enumerate(reader.items(res, "indicators", rat)):
                    iat = at(rat, "indicators", m, ind)
                    ind = reader.mapping(ind, iat, INDICATOR_KEYS)
                    indicator = _indicator(reader, ind, iat)
                    all_indicators.append(indicator["code"])
                    result["indicators"].append(indicator)
                objective["results"].append(result)
            axis["objectives"].append(objective)
        axes.append(axis)
    reader.unique([a["code"] for a in axes], "axes", "axis")
    reader.unique(all_objectives, "axes", "strategic objective")
    reader.unique(all_results, "axes", "result")
    reader.unique(all_indicators, "axes", "indicator")
    return axes


def _indicator(reader: Reader, ind: dict, where: str) -> dict:
    baseline = reader.mapping(ind.get("baseline") or {}, f"{where}.baseline", VALUE_YEAR_KEYS)
    target = reader.mapping(ind.get("target") or {}, f"{where}.target", VALUE_YEAR_KEYS)
    indicator = {
        "code": reader.code(ind, "code", where),
        "label": reader.string(ind, "label", where, required=False),
        "statement": reader.text(ind, "statement", where),
        "unit": reader.text(ind, "unit", where, required=False),
        "kind": reader.choice(ind, "kind", where, INDICATOR_KINDS),
        "direction": reader.choice(ind, "direction", where, DIRECTIONS, default="increase"),
        "baseline_value": reader.decimal(baseline, "value", f"{where}.baseline"),
        "baseline_year": reader.integer(
            baseline, "year", f"{where}.baseline", required=False, minimum=1900, maximum=2200
        ),
        "target_value": reader.decimal(target, "value", f"{where}.target"),
        "target_year": reader.integer(
            target, "year", f"{where}.target", required=False, minimum=1900, maximum=2200
        ),
        "means_of_verification": reader.text(ind, "means_of_verification", where, required=False),
        "disaggregated_by_country": reader.boolean(ind, "disaggregated_by_country", where, False),
        "source": reader.choice(ind, "source", where, SOURCES),
        "computation": reader.string(ind, "computation", where, required=False),
    }
    if indicator["source"] == "computed" and not indicator["computation"]:
        reader.problem(
            f"{where}.computation", "a computed indicator needs the name of its computation"
        )
    return indicator


def _poas(reader: Reader, root: dict, data: dict) -> list[dict]:
    objective_codes = {o["code"] for a in data["axes"] for o in a["objectives"]}
    country_codes = {c["code"] for c in data["countries"]}
    valid_refs = {
        "organ": {o["code"] for o in data["organs"]},
        "national_body": country_codes,
        "country": country_codes,
        "committee": {c["code"] for c in data["committees"]},
    }
    poas = []
    for i, item in enumerate(reader.items(root, "poas", "(top level)", required=False)):
        where = f"poas[{i + 1}]"
        item = reader.mapping(item, where, POA_KEYS)
        poa = {
            "year": reader.integer(item, "year", where, minimum=1900, maximum=2200),
            "name": reader.text(item, "name", where),
            "presentation": reader.text(item, "presentation", where, required=False),
            "responsible_parties_text": reader.text(
                item, "responsible_parties_text", where, required=False
            ),
            "objectives": [],
        }
        activity_codes = []
        for j, obj in enumerate(reader.items(item, "operational_objectives", where)):
            oat = at(where, "operational_objectives", j, obj)
            obj = reader.mapping(obj, oat, OPERATIONAL_OBJECTIVE_KEYS)
            strategic = reader.code(obj, "strategic_objective", oat)
            if strategic and strategic not in objective_codes:
                reader.problem(
                    f"{oat}.strategic_objective",
                    f"{strategic!r} is not a strategic objective of the plan",
                )
            objective = {
                "code": reader.code(obj, "code", oat),
                "strategic_objective": strategic,
                "statement": reader.text(obj, "statement", oat),
                "weight": reader.decimal(obj, "weight", oat, default=1, minimum=0),
                "goals": _goals(reader, obj, oat),
                "activities": [],
            }
            for k, act in enumerate(reader.items(obj, "activities", oat)):
                activity = _activity(reader, act, at(oat, "activities", k, act), valid_refs)
                activity_codes.append(activity["code"])
                objective["activities"].append(activity)
            poa["objectives"].append(objective)
        reader.unique([o["code"] for o in poa["objectives"]], where, "operational objective")
        reader.unique(activity_codes, where, "activity")
        poas.append(poa)
    reader.unique([p["year"] for p in poas], "poas", "POA year")
    return poas


def _activity(reader: Reader, act, where: str, valid_refs: dict[str, set[str]]) -> dict:
    act = reader.mapping(act, where, ACTIVITY_KEYS)
    activity = {
        "code": reader.code(act, "code", where),
        "statement": reader.text(act, "statement", where),
        "weight": reader.decimal(act, "weight", where, default=1, minimum=0),
        "start": reader.date(act, "start", where),
        "end": reader.date(act, "end", where),
        "note": reader.text(act, "note", where, required=False),
        "goals": _goals(reader, act, where),
        "responsibles": [],
    }
    if activity["start"] and activity["end"] and activity["end"] < activity["start"]:
        reader.problem(f"{where}.end", "is before start")
    for m, resp in enumerate(reader.items(act, "responsibles", where, required=False)):
        rat = f"{where}.responsibles[{m + 1}]"
        resp = reader.mapping(resp, rat, RESPONSIBLE_KEYS)
        kind = reader.choice(resp, "kind", rat, RESPONSIBLE_KINDS)
        ref = resp.get("ref")
        refs = valid_refs.get(kind)
        if refs is None and ref is not None:
            reader.problem(f"{rat}.ref", f"a responsible of kind {kind!r} takes no ref")
        elif refs is not None and ref not in refs:
            reader.problem(f"{rat}.ref", f"{ref!r} is not a known {kind.replace('_', ' ')}")
        activity["responsibles"].append({"kind": kind, "ref": ref})
    return activity


def _goals(reader: Reader, node: dict, where: str) -> list[dict]:
    return [
        {"kind": kind, "text": text}
        for key, kind in (("goals", "goal"), ("indicators", "indicator"))
        for text in reader.texts(node, key, where)
    ]


# --- Loading ----------------------------------------------------------------------


def load(sync: Sync, data: dict, loaded: dict) -> None:
    plan = _load_plan_root(sync, data)
    sync.report.plan = loaded["plan"] = plan
    committees = {
        c["code"]: sync.row(
            WorkingCommittee,
            {"plan": plan, "code": c["code"]},
            {**bilingual("name", c["name"]), **bilingual("mandate", c["mandate"])},
        )
        for c in data["committees"]
    }
    strategic = _load_results_framework(sync, plan, data)
    refs = {"countries": loaded["countries"], "organs": loaded["organs"], "committees": committees}
    _load_poas(sync, plan, data, strategic, refs)


def _load_plan_root(sync: Sync, data: dict) -> Plan:
    p = data["plan"]
    values = {
        "period_start": p["period_start"],
        "period_end": p["period_end"],
        "source": data["source"],
        "data_notes": data["notes"],
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
        values.update(bilingual(key, p[key]))
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
                    **bilingual("name", item["name"]),
                    **bilingual("text", item["text"]),
                },
            )
            keep.add(row.pk)
        sync.leftovers(plan.statements.filter(kind=kind), keep, lambda s: f"{s.kind} {s.code}")
    for order, stage in enumerate(p["milestone_stages"], start=1):
        sync.row(
            MilestoneStage,
            {"plan": plan, "code": stage["code"]},
            {"order": order, "percent": stage["percent"], **bilingual("name", stage["name"])},
        )
    return plan


def _load_results_framework(sync: Sync, plan: Plan, data: dict) -> dict[str, StrategicObjective]:
    strategic = {}
    for a_order, a in enumerate(data["axes"], start=1):
        axis = sync.row(
            Axis,
            {"plan": plan, "code": a["code"]},
            {
                "order": a_order,
                **bilingual("name", a["name"]),
                **bilingual("title", a["title"]),
                **bilingual("description", a["description"]),
            },
        )
        for o_order, o in enumerate(a["objectives"], start=1):
            objective = sync.row(
                StrategicObjective,
                {"axis": axis, "code": o["code"]},
                {"order": o_order, "label": o["label"], **bilingual("statement", o["statement"])},
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
                        **bilingual("note", r["note"]),
                        **bilingual("statement", r["statement"]),
                    },
                )
                for i_order, ind in enumerate(r["indicators"], start=1):
                    _load_indicator(sync, result, i_order, ind)
    return strategic


def _load_indicator(sync: Sync, result: Result, order: int, ind: dict) -> None:
    sync.row(
        Indicator,
        {"result": result, "code": ind["code"]},
        {
            "order": order,
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
            **bilingual("statement", ind["statement"]),
            **bilingual("unit", ind["unit"]),
            **bilingual("means_of_verification", ind["means_of_verification"]),
        },
    )


def _load_poas(sync: Sync, plan: Plan, data: dict, strategic: dict, refs: dict) -> None:
    for p in data["poas"]:
        poa = sync.row(
            OperatingPlan,
            {"plan": plan, "year": p["year"]},
            {
                **bilingual("name", p["name"]),
                **bilingual("presentation", p["presentation"]),
                **bilingual("responsible_parties_text", p["responsible_parties_text"]),
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
                    **bilingual("statement", o["statement"]),
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
                        **bilingual("note", a["note"]),
                        **bilingual("statement", a["statement"]),
                    },
                )
                _load_goals(sync, {"activity": activity}, a["goals"])
                _load_responsibles(sync, activity, a["responsibles"], refs)


def _load_goals(sync: Sync, owner: dict, goals: list[dict]) -> None:
    for kind in (Goal.Kind.GOAL, Goal.Kind.INDICATOR):
        texts = [g["text"] for g in goals if g["kind"] == kind]
        for order, text in enumerate(texts, start=1):
            sync.row(Goal, {**owner, "kind": kind, "order": order}, bilingual("text", text))
        Goal.objects.filter(**owner, kind=kind, order__gt=len(texts)).delete()


def _load_responsibles(sync: Sync, activity: Activity, responsibles: list, refs: dict) -> None:
    keep = set()
    for r in responsibles:
        kind, ref = r["kind"], r["ref"]
        values = {
            "kind": kind,
            "organ": refs["organs"].get(ref) if kind == "organ" else None,
            "country": refs["countries"].get(ref) if kind in ("country", "national_body") else None,
            "committee": refs["committees"].get(ref) if kind == "committee" else None,
        }
        keep.add(sync.row(Responsible, {"activity": activity, **values}, {}).pk)
    # Responsibles are plain references: the file is the whole list.
    Responsible.objects.filter(activity=activity).exclude(pk__in=keep).delete()
