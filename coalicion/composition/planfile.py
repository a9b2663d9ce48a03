"""The plan file's loader: one YAML document, read once, whose sections the
apps read and load themselves (ADR 0012; the contract of a part is in
`coalicion.core.planfile`, the format in docs/plan-format.md).

A part is an installed app's `planfile` module that defines `SECTIONS`;
parts are called in INSTALLED_APPS order (membership's countries and organs
before the plan that refers to them, the plan before its glossary). The
whole file is checked before anything is written, and everything is written
in one transaction: a malformed file changes nothing.
"""

from pathlib import Path
from types import ModuleType

from django.db import transaction

from coalicion.core.discovery import app_modules
from coalicion.core.planfile import LoadReport, PlanFileError, Reader, Sync, read_yaml

SUPPORTED_FORMATS = {1}
# The top-level keys that belong to the file, not to a part.
FILE_KEYS = ("format", "source", "notes")


def parts() -> list[ModuleType]:
    """The apps' plan-file parts, in INSTALLED_APPS order."""
    return app_modules("planfile", defining="SECTIONS")


def read_plan_file(path: Path | str) -> dict:
    """The whole file, normalised, or `PlanFileError` listing every problem
    with its place. Nothing is written."""
    raw = read_yaml(path)
    reader = Reader()
    root = reader.mapping(raw, "(top level)")
    if not root:
        raise PlanFileError(path, reader.problems or ["(top level): the file is empty"])
    fmt = root.get("format")
    if fmt not in SUPPORTED_FORMATS:
        reader.problem("format", f"{fmt!r} is not a supported format (supported: 1)")
        raise PlanFileError(path, reader.problems)
    found = parts()
    known = {*FILE_KEYS, *(section for part in found for section in part.SECTIONS)}
    for key in sorted(set(root) - known, key=str):
        reader.problem(str(key), "unknown section")

    data = {
        "source": reader.string(root, "source", "source", required=False),
        "notes": reader.notes(root, "notes"),
    }
    for part in found:
        part.read(reader, root, data)
    if reader.problems:
        raise PlanFileError(path, reader.problems)
    return data


@transaction.atomic
def load_plan(*, path: Path | str) -> LoadReport:
    """Load a plan data file into the database, idempotently (ADR 0002).

    The whole file is validated before anything is written; an invalid file
    raises `PlanFileError` and leaves the database as it was.
    """
    data = read_plan_file(path)
    sync = Sync(LoadReport())
    loaded: dict = {}
    for part in parts():
        part.load(sync, data, loaded)
    return sync.report
