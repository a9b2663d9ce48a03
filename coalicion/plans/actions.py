"""Writes to the plan.

The plan's sections of the plan file are read and loaded by
`coalicion.plans.planfile`, one part of the whole file's loader
(`coalicion.composition.planfile.load_plan`, ADR 0012).

`load_plan` and `PLAN_FILE_REASON` stay importable from here only for
`coalicion.monitoring` (`seed_synthetic`, `selectors`), which another change
is restructuring: new code imports them from `coalicion.composition.planfile`
and `coalicion.core.planfile`. Remove both once monitoring does.
"""

from pathlib import Path

from coalicion.core.planfile import PLAN_FILE_REASON, LoadReport

__all__ = ["PLAN_FILE_REASON", "load_plan"]


def load_plan(*, path: Path | str) -> LoadReport:
    from coalicion.composition.planfile import load_plan as load_whole_file

    return load_whole_file(path=path)
