"""The plan file (docs/plan-format.md): the generic reader and writer, and
the contract of the parts that apps contribute.

The file is one YAML document whose top-level sections belong to different
apps (countries to membership, the results framework to plans, the legal
framework to legal). Each app that owns sections has a module
`<app>/planfile.py` that defines:

    SECTIONS = ("countries", "national_bodies", "organs")  # the top-level keys it owns

    def read(reader: Reader, root: dict, data: dict) -> None:
        '''Check the app's sections of `root` (the parsed YAML), reporting
        every problem through `reader` with its place, and put the normalised
        sections into `data` under their own keys.'''

    def load(sync: Sync, data: dict, loaded: dict) -> None:
        '''Make the database match the app's sections of `data`, writing
        only through `sync` (idempotent, history-friendly).'''

`coalicion.composition.planfile` reads the YAML once, checks the top-level
keys against every part's SECTIONS, calls every part's `read` (in
INSTALLED_APPS order), refuses the file if any problem was found, and only
then calls every part's `load` in the same order, in one transaction: all or
nothing.

What the parts share, by name:
- `data["source"]` and `data["notes"]`: the top-level `source` and `notes`
  ("Notes on the data", shown with the plan). A part may add notes about its
  own sections to `data["notes"]`, their `where` prefixed with the section.
- `data[section]`: what each part read; a later part may check its
  references against an earlier part's (plans checks responsible countries
  against `data["countries"]`).
- `loaded`: what earlier parts wrote, for the foreign keys of later ones —
  membership puts `"countries"` and `"organs"` (dicts by code), plans puts
  `"plan"`. The part that loads the plan itself sets `sync.report.plan`.

Nothing here imports an app.
"""

import datetime
import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml
from django.utils import translation

CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
NOTE_KEYS = frozenset({"where", "note"})

# The change reason of every history record written by the loader: items
# loaded from the file describe the plan since its start (see
# coalicion.monitoring.selectors._states_as_of).
PLAN_FILE_REASON = "plan file"


class PlanFileError(Exception):
    def __init__(self, path: Path | str, problems: list[str]):
        self.path = str(path)
        self.problems = problems
        listing = "\n".join(f"  - {problem}" for problem in problems)
        super().__init__(f"{self.path}: {len(problems)} problem(s):\n{listing}")


# --- Reading ----------------------------------------------------------------------


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


def read_yaml(path: Path | str) -> Any:
    """The parsed YAML of `path`, or `PlanFileError` with the line and column."""
    path = Path(path)
    try:
        raw_text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PlanFileError(path, ["the file does not exist"]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise PlanFileError(path, [f"the file cannot be read as UTF-8 text ({exc})"]) from None
    try:
        return yaml.load(raw_text, Loader=_UniqueKeyLoader)  # noqa: S506  # nosec B506
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        place = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "file"
        problem = getattr(exc, "problem", None) or str(exc)
        raise PlanFileError(path, [f"{place}: not valid YAML: {problem}"]) from None


class Reader:
    """Walks the parsed YAML, collecting problems with their places."""

    def __init__(self):
        self.problems: list[str] = []

    def problem(self, where: str, message: str) -> None:
        self.problems.append(f"{where}: {message}")

    def mapping(self, node: Any, where: str, allowed: frozenset[str] | None = None) -> dict:
        """A mapping; with `allowed`, other keys (but `note`) are problems. A
        `note` on the data is bilingual like every text a reader sees."""
        if not isinstance(node, dict):
            self.problem(where, "expected a mapping (key: value pairs)")
            return {}
        if allowed is not None:
            for key in sorted(set(node) - allowed - {"note"}, key=str):
                self.problem(f"{where}.{key}", "unknown key (a misspelling?)")
            if node.get("note") is not None:
                self.text(node, "note", where, required=False)
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
        return es.strip(), en.strip()

    def texts(self, node: dict, key: str, where: str) -> list[tuple[str, str]]:
        """An optional list of bilingual texts (an organ's functions, goals)."""
        texts = []
        for i, item in enumerate(self.items(node, key, where, required=False)):
            at = f"{where}.{key}[{i + 1}]"
            if not isinstance(item, dict):
                self.problem(at, "expected {es: ..., en: ...}")
                continue
            texts.append(self.text({"text": item}, "text", at))
        return texts

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

    def unique(self, codes: list, where: str, what: str) -> None:
        seen = set()
        for code in codes:
            if code and code in seen:
                self.problem(where, f"the {what} code {code!r} is used twice")
            seen.add(code)

    def notes(self, node: dict, key: str) -> list[dict]:
        """A list of `{where, note}`, both bilingual (the top-level notes, a
        section's notes), as `{where, where_en, note, note_en}`."""
        notes = []
        for i, item in enumerate(self.items(node, key, "(top level)", required=False)):
            where = f"{key}[{i + 1}]"
            if not isinstance(item, dict):
                self.problem(where, "expected a mapping (key: value pairs)")
                continue
            for name in sorted(set(item) - NOTE_KEYS, key=str):
                self.problem(f"{where}.{name}", "unknown key (a misspelling?)")
            notes.append(
                {
                    **bilingual("where", self.text(item, "where", where)),
                    **bilingual("note", self.text(item, "note", where)),
                }
            )
        return notes


def at(where: str, key: str, index: int, node: Any) -> str:
    """The place of the `index`-th item of a list, with its code when it has one:
    ``axes[1] (code 1)``; a top-level list when `where` is empty."""
    code = node.get("code") if isinstance(node, dict) else None
    place = f"{where}.{key}[{index + 1}]" if where else f"{key}[{index + 1}]"
    return place + (f" (code {code})" if code else "")


# --- Writing ----------------------------------------------------------------------


@dataclass
class LoadReport:
    plan: Any = None  # the plan the file describes (set by the part that loads it)
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)
    not_in_file: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)


class Sync:
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
            self.report.created[label] += 1
            return obj
        changed = [name for name, value in values.items() if _differs(getattr(obj, name), value)]
        if changed:
            for name in changed:
                setattr(obj, name, values[name])
            obj._change_reason = PLAN_FILE_REASON
            obj.save(update_fields=changed)
            self.report.updated[label] += 1
        else:
            self.report.unchanged[label] += 1
        return obj

    def leftovers(self, queryset, keep_ids: set, describe) -> None:
        """Rows the file no longer has are kept (they may carry reports) and listed."""
        for obj in queryset.exclude(pk__in=keep_ids):
            self.report.not_in_file.append(describe(obj))


def _differs(current, new) -> bool:
    if hasattr(current, "pk") and hasattr(new, "pk"):
        return current.pk != new.pk
    return current != new


def bilingual(name: str, pair: tuple[str, str]) -> dict:
    """``bilingual("name", ("Prevención", "Prevention"))`` → the two fields."""
    return {name: pair[0], f"{name}_en": pair[1]}
