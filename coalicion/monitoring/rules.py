"""Who may report, validate and read monitoring data.

A report on an activity is submitted by those who answer for it
(`coalicion.plans.parties`): for a shared activity, each country's focal
points report their country's part; otherwise the focal points of a
responsible country (or of the country of a responsible national body), the
representatives of the country holding a responsible organ, the members of a
responsible working committee, and the Presidency for the Coalition's own
activities. The Secretariat may report on anything, and alone validates,
returns, manages periods and POAs. Everyone with an account reads the
monitoring pages; a report and its evidence are seen by those who may
report it and the Secretariat, and by everyone internal once validated.
"""

from typing import NamedTuple

import rules

from coalicion.membership.roles import roles_of
from coalicion.membership.rules import is_internal, is_member, is_secretariat
from coalicion.plans.parties import answers_for, is_shared


class ReportTarget(NamedTuple):
    """What a report is about: an activity, and for a shared one the
    country whose part it is."""

    activity: object
    country: object = None


def _target(obj) -> ReportTarget | None:
    if obj is None:
        return None
    if isinstance(obj, ReportTarget):
        return obj
    if hasattr(obj, "activity") and hasattr(obj, "period"):  # a report
        return ReportTarget(obj.activity, obj.country)
    return ReportTarget(obj)


def may_report(user, target: ReportTarget) -> bool:
    """`target.activity.responsibles` should be prefetched with their
    committees' members and countries. Whether the country has a part in
    the activity is the action's check (`actions.save_report`)."""
    roles = roles_of(user)
    if roles.is_secretariat:
        return True
    responsibles = list(target.activity.responsibles.all())
    if target.country is not None:
        return is_shared(responsibles) and roles.is_focal_point_of(target.country.pk)
    if is_shared(responsibles):
        return False
    return answers_for(user, responsibles, roles=roles)


@rules.predicate
def is_responsible_for(user, obj) -> bool:
    target = _target(obj)
    return target is not None and may_report(user, target)


@rules.predicate
def may_see_report(user, report) -> bool:
    """A report as its evidence: those who may report it and the
    Secretariat; everyone internal once it is validated. Without a report
    (the model-level question, e.g. the administration's list), yes: each
    report is then checked on its own."""
    if report is None:
        return True
    if report.status == "validated" and roles_of(user).is_internal:
        return True
    return may_report(user, _target(report))


@rules.predicate
def may_enter_indicator_value(user, item) -> bool:
    """Manual indicator values: the Secretariat, or a focal point for their
    own country's value of a disaggregated indicator."""
    roles = roles_of(user)
    if roles.is_secretariat:
        return True
    return item is not None and roles.is_focal_point_of(getattr(item, "country_id", None))


@rules.predicate
def may_see_value(user, item) -> bool:
    """An indicator value: the Secretariat and the focal points of its
    country; everyone internal once it is validated."""
    if item is None:
        return False
    roles = roles_of(user)
    if roles.is_secretariat or (item.status == "validated" and roles.is_internal):
        return True
    return roles.is_focal_point_of(item.country_id)


@rules.predicate
def may_view_evidence(user, evidence) -> bool:
    """Evidence is exactly as visible as the report or value it belongs to."""
    if evidence is None:
        return False
    if evidence.report is not None:
        return may_see_report(user, evidence.report)
    return may_see_value(user, evidence.indicator_value)


rules.add_perm("monitoring.view_monitoring", is_internal)
rules.add_perm("monitoring.report_on_activity", is_responsible_for)
rules.add_perm("monitoring.change_progressreport", is_responsible_for)
rules.add_perm("monitoring.view_progressreport", is_internal & may_see_report)
rules.add_perm("monitoring.review_report", is_secretariat)
rules.add_perm("monitoring.enter_indicator_value", is_member & may_enter_indicator_value)
rules.add_perm("monitoring.review_indicator_value", is_secretariat)
rules.add_perm("monitoring.manage_periods", is_secretariat)
rules.add_perm("monitoring.manage_poas", is_secretariat)
rules.add_perm("monitoring.view_evidence", is_internal & may_view_evidence)
