"""Legal's part of the plan file: the glossary (the plan's conceptual
framework) and the legal framework — instruments and ratifications
(docs/plan-format.md; the contract is in `coalicion.core.planfile`)."""

from collections import Counter

from coalicion.core.planfile import Reader, Sync, at, bilingual
from coalicion.legal.models import GlossaryTerm, Instrument, Ratification

SECTIONS = ("glossary", "legal_framework")

INSTRUMENT_SCOPES = {"international", "regional", "regional_agreement"}
RATIFICATION_KINDS = {"ratification", "adhesion"}

GLOSSARY_KEYS = frozenset({"code", "term", "definition", "source"})
LEGAL_FRAMEWORK_KEYS = frozenset({"format", "notes", "instruments"})
INSTRUMENT_KEYS = frozenset(
    {
        "code",
        "scope",
        "name",
        "year",
        "source",
        "description",
        "parties",
        "ratifications",
        "unmapped_dates",
    }
)
RATIFICATION_KEYS = frozenset({"country", "date", "kind", "deposit_date", "deposit_kind"})


# --- Reading ----------------------------------------------------------------------


def read(reader: Reader, root: dict, data: dict) -> None:
    data["glossary"] = _glossary(reader, root)
    data["legal_framework"] = _legal_framework(reader, root, {c["code"] for c in data["countries"]})
    # The legal framework's notes are shown with the plan's "Notes on the data"
    # (their `where` names the table they are about).
    data["notes"] += data["legal_framework"]["notes"]


def _glossary(reader: Reader, root: dict) -> list[dict]:
    terms = []
    for i, item in enumerate(reader.items(root, "glossary", "(top level)", required=False)):
        where = at("", "glossary", i, item)
        item = reader.mapping(item, where, GLOSSARY_KEYS)
        terms.append(
            {
                "code": reader.code(item, "code", where),
                "term": reader.text(item, "term", where),
                "definition": reader.text(item, "definition", where),
                "source": reader.string(item, "source", where, required=False),
            }
        )
    reader.unique([t["code"] for t in terms], "glossary", "term")
    return terms


def _legal_framework(reader: Reader, root: dict, country_codes: set[str]) -> dict:
    node = root.get("legal_framework")
    if node is None:
        return {"notes": [], "instruments": []}
    node = reader.mapping(node, "legal_framework", LEGAL_FRAMEWORK_KEYS)
    instruments = []
    for i, item in enumerate(reader.items(node, "instruments", "legal_framework")):
        where = at("legal_framework", "instruments", i, item)
        item = reader.mapping(item, where, INSTRUMENT_KEYS)
        parties = item.get("parties") or []
        if not isinstance(parties, list) or not set(parties) <= country_codes:
            reader.problem(f"{where}.parties", "expected a list of codes from countries")
            parties = []
        ratifications = [
            _ratification(reader, rat, f"{where}.ratifications[{j + 1}]", country_codes)
            for j, rat in enumerate(reader.items(item, "ratifications", where, required=False))
        ]
        reader.unique([r["country"] for r in ratifications], where, "ratifying country")
        unmapped = item.get("unmapped_dates") or []
        if not isinstance(unmapped, list):
            reader.problem(f"{where}.unmapped_dates", "expected a list")
            unmapped = []
        instruments.append(
            {
                "code": reader.code(item, "code", where),
                "scope": reader.choice(item, "scope", where, INSTRUMENT_SCOPES),
                "name": reader.text(item, "name", where),
                "year": reader.integer(
                    item, "year", where, required=False, minimum=1800, maximum=2200
                ),
                "description": reader.text(item, "description", where, required=False),
                "source": reader.string(item, "source", where, required=False),
                "note": reader.text(item, "note", where, required=False),
                "parties": parties,
                "ratifications": ratifications,
                "unmapped_dates": [str(d) for d in unmapped],
            }
        )
    reader.unique([i["code"] for i in instruments], "legal_framework.instruments", "instrument")
    return {"notes": reader.notes(node, "notes"), "instruments": instruments}


def _ratification(reader: Reader, rat, where: str, country_codes: set[str]) -> dict:
    rat = reader.mapping(rat, where, RATIFICATION_KEYS)
    country = rat.get("country")
    if country not in country_codes:
        reader.problem(f"{where}.country", f"{country!r} is not in countries")
    deposit_kind = rat.get("deposit_kind")
    return {
        "country": country,
        "date": reader.date(rat, "date", where),
        "kind": reader.choice(rat, "kind", where, RATIFICATION_KINDS),
        "deposit_date": reader.date(rat, "deposit_date", where),
        "deposit_kind": (
            reader.choice(rat, "deposit_kind", where, RATIFICATION_KINDS)
            if deposit_kind is not None
            else ""
        ),
    }


# --- Loading ----------------------------------------------------------------------


def load(sync: Sync, data: dict, loaded: dict) -> None:
    _load_glossary(sync, loaded["plan"], data["glossary"])
    _load_instruments(sync, data["legal_framework"]["instruments"], loaded["countries"])


def _load_glossary(sync: Sync, plan, terms: list[dict]) -> None:
    for order, t in enumerate(terms, start=1):
        sync.row(
            GlossaryTerm,
            {"plan": plan, "code": t["code"]},
            {
                "order": order,
                "source": t["source"],
                **bilingual("term", t["term"]),
                **bilingual("definition", t["definition"]),
            },
        )


def _load_instruments(sync: Sync, instruments: list[dict], countries: dict) -> None:
    order_in_scope: Counter = Counter()
    for item in instruments:
        order_in_scope[item["scope"]] += 1
        instrument = sync.row(
            Instrument,
            {"code": item["code"]},
            {
                "scope": item["scope"],
                "order": order_in_scope[item["scope"]],
                "year": item["year"],
                "source": item["source"],
                **bilingual("note", item["note"]),
                "unmapped_dates": item["unmapped_dates"],
                **bilingual("name", item["name"]),
                **bilingual("description", item["description"]),
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
