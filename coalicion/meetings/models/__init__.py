"""Events and meetings of the Coalition, their agenda, attendance, quorum,
country reports, decisions, minutes and agreements (SPEC §6; plan section
VIII, functions of the Presidency and the Technical Secretariat), one module
per area.

Every write goes through `coalicion.meetings.actions`; the counting rules
(quorum, votes) live in `coalicion.meetings.counting`.
"""

from coalicion.meetings.models.agreements import Agreement, Attachment, FollowUp
from coalicion.meetings.models.calendar import CalendarFeed
from coalicion.meetings.models.decisions import Ballot, Decision, Objection, Tally
from coalicion.meetings.models.events import AgendaItem, Event
from coalicion.meetings.models.minutes import Minutes, MinutesComment
from coalicion.meetings.models.records import FrozenError, RecordedInMinutes, records_frozen
from coalicion.meetings.models.registers import (
    Attendance,
    CountryReport,
    ObserverAttendance,
    QuorumCheck,
)

__all__ = [
    "AgendaItem",
    "Agreement",
    "Attachment",
    "Attendance",
    "Ballot",
    "CalendarFeed",
    "CountryReport",
    "Decision",
    "Event",
    "FollowUp",
    "FrozenError",
    "Minutes",
    "MinutesComment",
    "Objection",
    "ObserverAttendance",
    "QuorumCheck",
    "RecordedInMinutes",
    "Tally",
    "records_frozen",
]
