"""The items of a person's work, as apps contribute them to "My work"
(the page shown after sign-in, `coalicion.composition.views.my_work`).

Each app registers sections of the page "my_work" through
`coalicion.core.sections` (its `sections.py`); a section's `context(*,
user, roles, today)` returns ``{"items": [WorkItem, ...]}`` or None when
there is nothing for this person to do there. The page orders each
section's items by urgency (`urgency`): late first (the latest first),
then by due date, then the rest. Sections issue a bounded number of
queries whatever the data.
"""

import datetime
from dataclasses import dataclass


@dataclass(frozen=True)
class WorkItem:
    title: str
    url: str
    due: datetime.date | None = None
    note: str = ""  # what is to be done, or the state it is in
    late_days: int = 0  # days past `due`, 0 when not late
    urgent: bool = False  # to be done before anything else (a report returned for correction)

    @property
    def is_late(self) -> bool:
        return self.late_days > 0


def urgency(item: WorkItem) -> tuple:
    """Sort key: urgent, then late (the latest first), then due soonest, then undated."""
    return (
        not item.urgent,
        not item.is_late,
        -item.late_days,
        item.due is None,
        item.due or datetime.date.max,
        item.title,
    )


def late_days(due: datetime.date | None, today: datetime.date) -> int:
    return max((today - due).days, 0) if due else 0


def in_order(items) -> dict | None:
    """A section's context: its items by urgency, or None when there are none."""
    items = sorted(items, key=urgency)
    return {"items": items} if items else None
