"""Reading and validating a plan data file (format documented in
docs/plan-format.md).

`read_plan_file` returns a normalised dictionary or raises `PlanFileError`
listing every problem found, each with the place in the file. Nothing here
touches the database: `coalicion.plans.actions.load_plan` writes.
"""

import datetime
import re
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

SUPPORTED_FORMATS = {1}
CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
COUNTRY_RE = re.compile(r"^[A-Z]{2}$")
INDICATOR_KINDS = {"count", "percentage", "milestone"}
DIRECTIONS = {"increase", "decrease"}
SOURCES = {"manual", "computed"}
BODY_KINDS = {"coalition", "commission", "council", "committee"}
CRIMES = {"tdp", "tim"}
ORGANS = {"plenary", "presidency", "secretariat"}
RESPONSIBLE_KINDS = {
    "coalition",
    "organ",
    "national_bodies",
    "national_body",
    "country",
    "committee",
}
INSTRUMENT_SCOPES = {"international", "regional", "regional_agreement"}
RATIFICATION_KINDS = {"ratification", "adhesion"}

# The keys each kind of item may have; any item may also carry a `note`.
ALLOWED_KEYS = {
    "plan": {
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
    },
    "statement": {"code", "name", "text"},
    "stage": {"code", "name", "percent"},
    "country": {"code", "name", "member"},
    "national_body": {
        "country",
        "acronym",
        "name",
        "kind",
        "legal_basis",
        "member_institutions",
        "member_institutions_note",
        "crimes",
        "description",
        "described_in_plan",
    },
    "organ": {"code", "name", "description", "functions"},
    "committee": {"code", "name", "mandate"},
    "axis": {"code", "name", "title", "description", "strategic_objectives"},
    "objective": {"code", "label", "statement", "results"},
    "result": {"code", "label", "statement", "target_year", "indicators"},
    "indicator": {
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
    },
    "value_year": {"value", "year"},
    "poa": {"year", "name", "presentation", "responsible_parties_text", "operational_objectives"},
    "operational_objective": {
        "code",
        "strategic_objective",
        "statement",
        "weight",
        "goals",
        "indicators",
        "activities",
    },
    "activity": {
        "code",
        "statement",
        "weight",
        "start",
        "end",
        "goals",
        "indicators",
        "responsibles",
    },
    "responsible": {"kind", "ref"},
    "glossary": {"code", "term", "definition", "source"},
    "legal_framework": {"format", "notes", "instruments"},
    "instrument": {
        "code",
        "scope",
        "name",
        "year",
        "source",
        "description",
        "parties",
        "ratifications",
        "unmapped_dates",
    },
    "ratification": {"country", "date", "kind", "deposit_date", "deposit_kind"},
    "note": {"where", "note"},
}


class PlanFileError(Exception):
    def __init__(self, path: Path | str, problems: list[str]):
        self.path = str(path)
        self.problems = problems
        listing = "\n".join(f"  - {problem}" for problem in problems)
        super().__init__(f"{self.path}: {len(problems)} problem(s):\n{listing}")


class _UniqueKeyLoader(yaml.SafeLoader):
    """A YAML loader that refuses a key written twice in one mapping."""

    def construct_mapping(self, node, deep=False):
        seen = set()
        for key_node, _value in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"the key {key!r} appears twice", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


class _Reader:
    """Walks the parsed YAML, collecting problems with their places."""

    def __init__(self):
        self.problems: list[str] = []

    def problem(self, where: str, message: str) -> None:
        self.problems.append(f"{where}: {message}")

    # Scalars -------------------------------------------------------------

    def mapping(self, node: Any, where: str, kind: str | None = None) -> dict:
        """A mapping; with ``kind``, keys outside ALLOWED_KEYS[kind] are problems."""
        if not isinstance(node, dict):
            self.problem(where, "expected a mapping (key: value pairs)")
            return {}
        if kind is not None:
            for key in sorted(set(node) - ALLOWED_KEYS[kind] - {"note"}, key=str):
                self.problem(f"{where}.{key}", "unknown key (a misspelling?)")
        return node

    def items(self, node: dict, key: str, where: str, required: bool = True) -> list:
        value = node.get(key)
        if value is None:
            if required:
                self.problem(f"{where}.{key}", "is missing (expected a list)")
            return []
        if not isinstance(value, list):
            self.problem(f"{where}.{key}", "expected a list")
            return []
        return value

    def string(self, node: dict, key: str, where: str, required: bool = True) -> str:
        value = node.get(key)
        if value is None or value == "":
            if required:
                self.problem(f"{where}.{key}", "is missing")
            return ""
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return str(value)
        if not isinstance(value, str):
            self.problem(f"{where}.{key}", "expected text")
            return ""
        return value.strip()

    def code(self, node: dict, key: str, where: str, pattern=CODE_RE) -> str:
        value = self.string(node, key, where)
        if value and not pattern.match(value):
            self.problem(f"{where}.{key}", f"{value!r} is not a valid code")
        return value

    def text(self, node: dict, key: str, where: str, required: bool = True) -> tuple[str, str]:
        """A bilingual text: ``{es: ..., en: ...}``; Spanish required."""
        value = node.get(key)
        if value is None:
            if required:
                self.problem(f"{where}.{key}", "is missing (expected {es: ..., en: ...})")
            return "", ""
        if not isinstance(value, dict):
            self.problem(f"{where}.{key}", "expected {es: ..., en: ...}")
            return "", ""
        unknown = set(value) - {"es", "en"}
        if unknown:
            self.problem(
                f"{where}.{key}", f"unknown language(s): {', '.join(sorted(map(str, unknown)))}"
            )
        es = value.get("es")
        en = value.get("en") or ""
        if not isinstance(es, str) or not es.strip():
            self.problem(f"{where}.{key}.es", "the Spanish text is missing")
            es = ""
        if not isinstance(en, str):
            self.problem(f"{where}.{key}.en", "expected text")
            en = ""
        return _clean(es), _clean(en)

    def integer(self, node: dict, key: str, where: str, required=True, minimum=None, maximum=None):
        value = node.get(key)
        if value is None:
            if required:
                self.problem(f"{where}.{key}", "is missing (expected a whole number)")
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.problem(f"{where}.{key}", f"{value!r} is not a whole number")
            return None
        if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
            self.problem(f"{where}.{key}", f"{value} is out of range ({minimum}–{maximum})")
            return None
        return value

    def decimal(self, node: dict, key: str, where: str, default=None, minimum=None, maximum=None):
        value = node.get(key, default)
        if value is None:
            return None
        if isinstance(value, bool):
            self.problem(f"{where}.{key}", f"{value!r} is not a number")
            return None
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            self.problem(f"{where}.{key}", f"{value!r} is not a number")
            return None
        if not number.is_finite():
            self.problem(f"{where}.{key}", f"{value!r} is not a number")
            return None
        if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
            self.problem(f"{where}.{key}", f"{value} is out of range ({minimum}–{maximum})")
            return None
        return number

    def date(self, node: dict, key: str, where: str):
        value = node.get(key)
        if value is None:
            return None
        if isinstance(value, datetime.date):
            return value
        try:
            return datetime.date.fromisoformat(str(value))
        except ValueError:
            self.problem(f"{where}.{key}", f"{value!r} is not a date (YYYY-MM-DD)")
            return None

    def choice(self, node: dict, key: str, where: str, allowed: set[str], default=None) -> str:
        value = node.get(key, default)
        if value not in allowed:
            self.problem(f"{where}.{key}", f"{value!r} is not one of: {', '.join(sorted(allowed))}")
            return default or ""
        return value

    def boolean(self, node: dict, key: str, where: str, default: bool) -> bool:
        value = node.get(key, default)
        if not isinstance(value, bool):
            self.problem(f"{where}.{key}", "expected true or false")
            return default
        return value

    def unique(self, codes: list[str], where: str, what: str) -> None:
        seen = set()
        for code in codes:
            if code and code in seen:
                self.problem(where, f"the {what} code {code!r} is used twice")
            seen.add(code)


def _clean(text: str) -> str:
    return text.strip()


def _at(where: str, key: str, index: int, node: Any) -> str:
    code = node.get("code") if isinstance(node, dict) else None
    return f"{where}.{key}[{index + 1}]" + (f" (code {code})" if code else "")


def read_plan_file(path: Path | str) -> dict:
    path = Path(path)
    try:
        raw_text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PlanFileError(path, ["the file does not exist"]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise PlanFileError(path, [f"the file cannot be read as UTF-8 text ({exc})"]) from None
    try:
        raw = yaml.load(raw_text, Loader=_UniqueKeyLoader)  # noqa: S506  # nosec B506
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        place = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "file"
        problem = getattr(exc, "problem", None) or str(exc)
        raise PlanFileError(path, [f"{place}: not valid YAML: {problem}"]) from None
    data = parse_plan(raw)
    return data if not isinstance(data, PlanFileError) else _raise(path, data)


def _raise(path, error):
    raise PlanFileError(path, error.problems)


def parse_plan(raw: Any) -> "dict | PlanFileError":
    reader = _Reader()
    root = reader.mapping(raw, "(top level)")
    if not root:
        return PlanFileError("", reader.problems or ["(top level): the file is empty"])
    fmt = root.get("format")
    if fmt not in SUPPORTED_FORMATS:
        reader.problem("format", f"{fmt!r} is not a supported format (supported: 1)")
        return PlanFileError("", reader.problems)
    known = {
        "format",
        "source",
        "notes",
        "plan",
        "countries",
        "national_bodies",
        "organs",
        "committees",
        "axes",
        "poas",
        "glossary",
        "legal_framework",
    }
    for key in sorted(set(root) - known, key=str):
        reader.problem(str(key), "unknown section")

    data = {
        "source": reader.string(root, "source", "source", required=False),
        "notes": _notes(reader, root, "notes"),
        "plan": _plan(reader, reader.mapping(root.get("plan"), "plan", "plan")),
        "countries": _countries(reader, root),
        "organs": _organs(reader, root),
    }
    country_codes = {c["code"] for c in data["countries"]}
    data["national_bodies"] = _national_bodies(reader, root, country_codes)
    data["committees"] = _committees(reader, root)
    data["axes"] = _axes(reader, root)
    data["poas"] = _poas(reader, root, data, country_codes)
    data["glossary"] = _glossary(reader, root)
    data["legal_framework"] = _legal_framework(reader, root, country_codes)
    if reader.problems:
        return PlanFileError("", reader.problems)
    return data


def _notes(reader: _Reader, node: dict, key: str) -> list[dict]:
    notes = []
    for i, item in enumerate(reader.items(node, key, "(top level)", required=False)):
        where = f"{key}[{i + 1}]"
        item = reader.mapping(item, where, "note")
        notes.append(
            {
                "where": reader.string(item, "where", where),
                "note": reader.string(item, "note", where),
            }
        )
    return notes


def _plan(reader: _Reader, node: dict) -> dict:
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
            at = _at(where, key, i, item)
            item = reader.mapping(item, at, "statement")
            statements.append(
                {
                    "code": reader.code(item, "code", at),
                    "name": reader.text(item, "name", at),
                    "text": reader.text(item, "text", at),
                }
            )
        reader.unique([s["code"] for s in statements], f"{where}.{key}", key[:-1])
        plan[key] = statements
    stages = []
    for i, item in enumerate(reader.items(node, "milestone_stages", where)):
        at = _at(where, "milestone_stages", i, item)
        item = reader.mapping(item, at, "stage")
        stages.append(
            {
                "code": reader.code(item, "code", at),
                "name": reader.text(item, "name", at),
                "percent": reader.decimal(item, "percent", at, minimum=0, maximum=100),
            }
        )
    reader.unique([s["code"] for s in stages], f"{where}.milestone_stages", "stage")
    percents = [s["percent"] for s in stages if s["percent"] is not None]
    if percents != sorted(percents):
        reader.problem(f"{where}.milestone_stages", "stages must go from lowest to highest percent")
    plan["milestone_stages"] = stages
    return plan


def _countries(reader: _Reader, root: dict) -> list[dict]:
    countries = []
    for i, item in enumerate(reader.items(root, "countries", "(top level)")):
        at = _at("", "countries", i, item).lstrip(".")
        item = reader.mapping(item, at, "country")
        countries.append(
            {
                "code": reader.code(item, "code", at, pattern=COUNTRY_RE),
                "name": reader.text(item, "name", at),
                "is_member": reader.boolean(item, "member", at, default=True),
            }
        )
    reader.unique([c["code"] for c in countries], "countries", "country")
    return countries


def _national_bodies(reader: _Reader, root: dict, country_codes: set[str]) -> list[dict]:
    bodies = []
    for i, item in enumerate(reader.items(root, "national_bodies", "(top level)")):
        at = f"national_bodies[{i + 1}]"
        item = reader.mapping(item, at, "national_body")
        country = reader.code(item, "country", at, pattern=COUNTRY_RE)
        if country and country not in country_codes:
            reader.problem(f"{at}.country", f"{country!r} is not in countries")
        crimes = item.get("crimes", [])
        if not isinstance(crimes, list) or not set(crimes) <= CRIMES:
            reader.problem(f"{at}.crimes", "expected a list of tdp and/or tim")
            crimes = []
        bodies.append(
            {
                "country": country,
                "acronym": reader.string(item, "acronym", at, required=False),
                "name": reader.text(item, "name", at),
                "kind": reader.choice(item, "kind", at, BODY_KINDS),
                "legal_basis": reader.text(item, "legal_basis", at, required=False),
                "member_institutions": reader.integer(
                    item, "member_institutions", at, required=False, minimum=0, maximum=10000
                ),
                "member_institutions_note": reader.text(
                    item, "member_institutions_note", at, required=False
                ),
                "covers_trafficking": "tdp" in crimes,
                "covers_smuggling": "tim" in crimes,
                "description": reader.text(item, "description", at, required=False),
                "described_in_plan": reader.boolean(item, "described_in_plan", at, default=True),
            }
        )
    return bodies


def _organs(reader: _Reader, root: dict) -> list[dict]:
    organs = []
    for i, item in enumerate(reader.items(root, "organs", "(top level)")):
        at = f"organs[{i + 1}]"
        item = reader.mapping(item, at, "organ")
        functions = []
        for j, function in enumerate(reader.items(item, "functions", at, required=False)):
            fat = f"{at}.functions[{j + 1}]"
            if not isinstance(function, dict):
                reader.problem(fat, "expected {es: ..., en: ...}")
                continue
            functions.append(reader.text({"text": function}, "text", fat))
        organs.append(
            {
                "code": reader.choice(item, "code", at, ORGANS),
                "name": reader.text(item, "name", at),
                "description": reader.text(item, "description", at, required=False),
                "functions": functions,
            }
        )
    reader.unique([o["code"] for o in organs], "organs", "organ")
    return organs


def _committees(reader: _Reader, root: dict) -> list[dict]:
    committees = []
    for i, item in enumerate(reader.items(root, "committees", "(top level)", required=False)):
        at = f"committees[{i + 1}]"
        item = reader.mapping(item, at, "committee")
        committees.append(
            {
                "code": reader.code(item, "code", at),
                "name": reader.text(item, "name", at),
                "mandate": reader.text(item, "mandate", at, required=False),
            }
        )
    reader.unique([c["code"] for c in committees], "committees", "committee")
    return committees


def _axes(reader: _Reader, root: dict) -> list[dict]:
    axes = []
    all_objectives, all_results, all_indicators = [], [], []
    for i, item in enumerate(reader.items(root, "axes", "(top level)")):
        at = f"axes[{i + 1}]"
        item = reader.mapping(item, at, "axis")
        axis = {
            "code": reader.code(item, "code", at),
            "name": reader.text(item, "name", at),
            "title": reader.text(item, "title", at, required=False),
            "description": reader.text(item, "description", at, required=False),
            "objectives": [],
        }
        for j, obj in enumerate(reader.items(item, "strategic_objectives", at)):
            oat = _at(at, "strategic_objectives", j, obj)
            obj = reader.mapping(obj, oat, "objective")
            objective = {
                "code": reader.code(obj, "code", oat),
                "label": reader.string(obj, "label", oat, required=False),
                "statement": reader.text(obj, "statement", oat),
                "results": [],
            }
            all_objectives.append(objective["code"])
            for k, res in enumerate(reader.items(obj, "results", oat)):
                rat = _at(oat, "results", k, res)
                res = reader.mapping(res, rat, "result")
                result = {
                    "code": reader.code(res, "code", rat),
                    "label": reader.string(res, "label", rat, required=False),
                    "statement": reader.text(res, "statement", rat),
                    "target_year": reader.integer(
                        res, "target_year", rat, minimum=1900, maximum=2200
                    ),
                    "note": reader.string(res, "note", rat, required=False),
                    "indicators": [],
                }
                all_results.append(result["code"])
                for m, ind in enumerate(reader.items(res, "indicators", rat)):
                    iat = _at(rat, "indicators", m, ind)
                    ind = reader.mapping(ind, iat, "indicator")
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


def _indicator(reader: _Reader, ind: dict, at: str) -> dict:
    baseline = reader.mapping(ind.get("baseline") or {}, f"{at}.baseline", "value_year")
    target = reader.mapping(ind.get("target") or {}, f"{at}.target", "value_year")
    indicator = {
        "code": reader.code(ind, "code", at),
        "label": reader.string(ind, "label", at, required=False),
        "statement": reader.text(ind, "statement", at),
        "unit": reader.text(ind, "unit", at, required=False),
        "kind": reader.choice(ind, "kind", at, INDICATOR_KINDS),
        "direction": reader.choice(ind, "direction", at, DIRECTIONS, default="increase"),
        "baseline_value": reader.decimal(baseline, "value", f"{at}.baseline"),
        "baseline_year": reader.integer(
            baseline, "year", f"{at}.baseline", required=False, minimum=1900, maximum=2200
        ),
        "target_value": reader.decimal(target, "value", f"{at}.target"),
        "target_year": reader.integer(
            target, "year", f"{at}.target", required=False, minimum=1900, maximum=2200
        ),
        "means_of_verification": reader.text(ind, "means_of_verification", at, required=False),
        "disaggregated_by_country": reader.boolean(ind, "disaggregated_by_country", at, False),
        "source": reader.choice(ind, "source", at, SOURCES),
        "computation": reader.string(ind, "computation", at, required=False),
    }
    if indicator["source"] == "computed" and not indicator["computation"]:
        reader.problem(
            f"{at}.computation", "a computed indicator needs the name of its computation"
        )
    return indicator


def _poas(reader: _Reader, root: dict, data: dict, country_codes: set[str]) -> list[dict]:
    objective_codes = {o["code"] for a in data["axes"] for o in a["objectives"]}
    organ_codes = {o["code"] for o in data["organs"]}
    committee_codes = {c["code"] for c in data["committees"]}
    poas = []
    for i, item in enumerate(reader.items(root, "poas", "(top level)", required=False)):
        at = f"poas[{i + 1}]"
        item = reader.mapping(item, at, "poa")
        poa = {
            "year": reader.integer(item, "year", at, minimum=1900, maximum=2200),
            "name": reader.text(item, "name", at),
            "presentation": reader.text(item, "presentation", at, required=False),
            "responsible_parties_text": reader.text(
                item, "responsible_parties_text", at, required=False
            ),
            "objectives": [],
        }
        activity_codes = []
        for j, obj in enumerate(reader.items(item, "operational_objectives", at)):
            oat = _at(at, "operational_objectives", j, obj)
            obj = reader.mapping(obj, oat, "operational_objective")
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
                aat = _at(oat, "activities", k, act)
                act = reader.mapping(act, aat, "activity")
                activity = {
                    "code": reader.code(act, "code", aat),
                    "statement": reader.text(act, "statement", aat),
                    "weight": reader.decimal(act, "weight", aat, default=1, minimum=0),
                    "start": reader.date(act, "start", aat),
                    "end": reader.date(act, "end", aat),
                    "note": reader.string(act, "note", aat, required=False),
                    "goals": _goals(reader, act, aat),
                    "responsibles": [],
                }
                if activity["start"] and activity["end"] and activity["end"] < activity["start"]:
                    reader.problem(f"{aat}.end", "is before start")
                for m, resp in enumerate(reader.items(act, "responsibles", aat, required=False)):
                    rat = f"{aat}.responsibles[{m + 1}]"
                    resp = reader.mapping(resp, rat, "responsible")
                    kind = reader.choice(resp, "kind", rat, RESPONSIBLE_KINDS)
                    ref = resp.get("ref")
                    valid_refs = {
                        "organ": organ_codes,
                        "national_body": country_codes,
                        "country": country_codes,
                        "committee": committee_codes,
                    }.get(kind)
                    if valid_refs is None and ref is not None:
                        reader.problem(f"{rat}.ref", f"a responsible of kind {kind!r} takes no ref")
                    elif valid_refs is not None and ref not in valid_refs:
                        reader.problem(
                            f"{rat}.ref", f"{ref!r} is not a known {kind.replace('_', ' ')}"
                        )
                    activity["responsibles"].append({"kind": kind, "ref": ref})
                activity_codes.append(activity["code"])
                objective["activities"].append(activity)
            poa["objectives"].append(objective)
        reader.unique([o["code"] for o in poa["objectives"]], at, "operational objective")
        reader.unique(activity_codes, at, "activity")
        poas.append(poa)
    reader.unique([p["year"] for p in poas], "poas", "POA year")
    return poas


def _goals(reader: _Reader, node: dict, where: str) -> list[dict]:
    goals = []
    for key, kind in (("goals", "goal"), ("indicators", "indicator")):
        for i, goal in enumerate(reader.items(node, key, where, required=False)):
            at = f"{where}.{key}[{i + 1}]"
            if not isinstance(goal, dict):
                reader.problem(at, "expected {es: ..., en: ...}")
                continue
            goals.append({"kind": kind, "text": reader.text({"text": goal}, "text", at)})
    return goals


def _glossary(reader: _Reader, root: dict) -> list[dict]:
    terms = []
    for i, item in enumerate(reader.items(root, "glossary", "(top level)", required=False)):
        at = _at("", "glossary", i, item).lstrip(".")
        item = reader.mapping(item, at, "glossary")
        terms.append(
            {
                "code": reader.code(item, "code", at),
                "term": reader.text(item, "term", at),
                "definition": reader.text(item, "definition", at),
                "source": reader.string(item, "source", at, required=False),
            }
        )
    reader.unique([t["code"] for t in terms], "glossary", "term")
    return terms


def _legal_framework(reader: _Reader, root: dict, country_codes: set[str]) -> dict:
    node = root.get("legal_framework")
    if node is None:
        return {"notes": [], "instruments": []}
    node = reader.mapping(node, "legal_framework", "legal_framework")
    instruments = []
    for i, item in enumerate(reader.items(node, "instruments", "legal_framework")):
        at = _at("legal_framework", "instruments", i, item)
        item = reader.mapping(item, at, "instrument")
        parties = item.get("parties") or []
        if not isinstance(parties, list) or not set(parties) <= country_codes:
            reader.problem(f"{at}.parties", "expected a list of codes from countries")
            parties = []
        ratifications = []
        for j, rat in enumerate(reader.items(item, "ratifications", at, required=False)):
            rat_at = f"{at}.ratifications[{j + 1}]"
            rat = reader.mapping(rat, rat_at, "ratification")
            country = rat.get("country")
            if country not in country_codes:
                reader.problem(f"{rat_at}.country", f"{country!r} is not in countries")
            deposit_kind = rat.get("deposit_kind")
            ratifications.append(
                {
                    "country": country,
                    "date": reader.date(rat, "date", rat_at),
                    "kind": reader.choice(rat, "kind", rat_at, RATIFICATION_KINDS),
                    "deposit_date": reader.date(rat, "deposit_date", rat_at),
                    "deposit_kind": (
                        reader.choice(rat, "deposit_kind", rat_at, RATIFICATION_KINDS)
                        if deposit_kind is not None
                        else ""
                    ),
                }
            )
        reader.unique([r["country"] for r in ratifications], at, "ratifying country")
        unmapped = item.get("unmapped_dates") or []
        if not isinstance(unmapped, list):
            reader.problem(f"{at}.unmapped_dates", "expected a list")
            unmapped = []
        instruments.append(
            {
                "code": reader.code(item, "code", at),
                "scope": reader.choice(item, "scope", at, INSTRUMENT_SCOPES),
                "name": reader.text(item, "name", at),
                "year": reader.integer(
                    item, "year", at, required=False, minimum=1800, maximum=2200
                ),
                "description": reader.text(item, "description", at, required=False),
                "source": reader.string(item, "source", at, required=False),
                "note": reader.string(item, "note", at, required=False),
                "parties": parties,
                "ratifications": ratifications,
                "unmapped_dates": [str(d) for d in unmapped],
            }
        )
    reader.unique([i["code"] for i in instruments], "legal_framework.instruments", "instrument")
    return {"notes": _notes(reader, node, "notes"), "instruments": instruments}
