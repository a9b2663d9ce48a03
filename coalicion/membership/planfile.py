"""Membership's part of the plan file: the countries, their national bodies
and the organs (docs/plan-format.md; the contract is in
`coalicion.core.planfile`)."""

import re

from django.conf import settings

from coalicion.core.planfile import Reader, Sync, at, bilingual
from coalicion.membership.models import Country, NationalBody, Organ, OrganFunction

SECTIONS = ("countries", "national_bodies", "organs")

COUNTRY_RE = re.compile(r"^[A-Z]{2}$")
BODY_KINDS = {"coalition", "commission", "council", "committee"}
CRIMES = {"tdp", "tim"}
ORGANS = {"plenary", "presidency", "secretariat"}

COUNTRY_KEYS = frozenset({"code", "name", "member", "language"})
NATIONAL_BODY_KEYS = frozenset(
    {
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
    }
)
LANGUAGES = frozenset(code for code, _name in settings.LANGUAGES)
ORGAN_KEYS = frozenset({"code", "name", "description", "functions"})


# --- Reading ----------------------------------------------------------------------


def _languages() -> set[str]:
    return {code for code, _name in settings.LANGUAGES}


def read(reader: Reader, root: dict, data: dict) -> None:
    data["countries"] = _countries(reader, root)
    data["organs"] = _organs(reader, root)
    data["national_bodies"] = _national_bodies(reader, root, {c["code"] for c in data["countries"]})


def _countries(reader: Reader, root: dict) -> list[dict]:
    countries = []
    for i, item in enumerate(reader.items(root, "countries", "(top level)")):
        where = at("", "countries", i, item)
        item = reader.mapping(item, where, COUNTRY_KEYS)
        countries.append(
            {
                "code": reader.code(item, "code", where, pattern=COUNTRY_RE),
                "name": reader.text(item, "name", where),
                "is_member": reader.boolean(item, "member", where, default=True),
                # The language its people read the system's e-mails in,
                # unless a person chooses another; empty: the site's.
                "language": reader.choice(
                    item, "language", where, allowed=_languages() | {""}, default=""
                ),
            }
        )
    reader.unique([c["code"] for c in countries], "countries", "country")
    return countries


def _national_bodies(reader: Reader, root: dict, country_codes: set[str]) -> list[dict]:
    bodies = []
    for i, item in enumerate(reader.items(root, "national_bodies", "(top level)")):
        where = f"national_bodies[{i + 1}]"
        item = reader.mapping(item, where, NATIONAL_BODY_KEYS)
        country = reader.code(item, "country", where, pattern=COUNTRY_RE)
        if country and country not in country_codes:
            reader.problem(f"{where}.country", f"{country!r} is not in countries")
        crimes = item.get("crimes", [])
        if not isinstance(crimes, list) or not set(crimes) <= CRIMES:
            reader.problem(f"{where}.crimes", "expected a list of tdp and/or tim")
            crimes = []
        bodies.append(
            {
                "country": country,
                "acronym": reader.string(item, "acronym", where, required=False),
                "name": reader.text(item, "name", where),
                "kind": reader.choice(item, "kind", where, BODY_KINDS),
                "legal_basis": reader.text(item, "legal_basis", where, required=False),
                "member_institutions": reader.integer(
                    item, "member_institutions", where, required=False, minimum=0, maximum=10000
                ),
                "member_institutions_note": reader.text(
                    item, "member_institutions_note", where, required=False
                ),
                "covers_trafficking": "tdp" in crimes,
                "covers_smuggling": "tim" in crimes,
                "description": reader.text(item, "description", where, required=False),
                "described_in_plan": reader.boolean(item, "described_in_plan", where, default=True),
            }
        )
    return bodies


def _organs(reader: Reader, root: dict) -> list[dict]:
    organs = []
    for i, item in enumerate(reader.items(root, "organs", "(top level)")):
        where = f"organs[{i + 1}]"
        item = reader.mapping(item, where, ORGAN_KEYS)
        organs.append(
            {
                "code": reader.choice(item, "code", where, ORGANS),
                "name": reader.text(item, "name", where),
                "description": reader.text(item, "description", where, required=False),
                "functions": reader.texts(item, "functions", where),
            }
        )
    reader.unique([o["code"] for o in organs], "organs", "organ")
    return organs


# --- Loading ----------------------------------------------------------------------


def load(sync: Sync, data: dict, loaded: dict) -> None:
    loaded["countries"] = _load_countries(sync, data)
    loaded["organs"] = _load_organs(sync, data)


def _load_countries(sync: Sync, data: dict) -> dict[str, Country]:
    countries = {
        c["code"]: sync.row(
            Country,
            {"code": c["code"]},
            {
                **bilingual("name", c["name"]),
                "is_member": c["is_member"],
                "language": c["language"],
            },
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
            **bilingual("name", body["name"]),
            **bilingual("legal_basis", body["legal_basis"]),
            **bilingual("member_institutions_note", body["member_institutions_note"]),
            **bilingual("description", body["description"]),
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


def _load_organs(sync: Sync, data: dict) -> dict[str, Organ]:
    organs = {}
    for order, item in enumerate(data["organs"], start=1):
        organ = sync.row(
            Organ,
            {"code": item["code"]},
            {
                "order": order,
                **bilingual("name", item["name"]),
                **bilingual("description", item["description"]),
            },
        )
        for number, text in enumerate(item["functions"], start=1):
            sync.row(OrganFunction, {"organ": organ, "order": number}, bilingual("text", text))
        OrganFunction.objects.filter(organ=organ, order__gt=len(item["functions"])).delete()
        organs[item["code"]] = organ
    return organs
