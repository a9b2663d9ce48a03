"""Who may report, validate and read monitoring data.

A report on an activity is submitted by its responsible party: the focal
points of a responsible country (or of the country of a responsible national
body), the representatives of the country holding a responsible organ, the
members of a responsible working committee; for activities of the whole
Coalition or of all national bodies, the Presidency or the Secretariat. The
Secretariat may report on anything, and alone validates, returns, manages
periods and POAs. Everyone with an account reads the monitoring pages.
"""

import rules

from coalicion.membership.roles import roles_of
from coalicion.membership.rules import is_internal, is_member, is_secretariat


def responsible_for(user, activity) -> bool:
    """`activity.responsibles` should be prefetched with their committees' members."""
    roles = roles_of(user)
    if roles.is_secretariat:
        return True
    person = getattr(user, "person", None) if user.is_authenticated else None
    for responsible in activity.responsibles.all():
        kind = responsible.kind
        if kind in ("country", "national_body") and roles.is_focal_point_of(responsible.country_id):
            return True
        if kind == "organ" and responsible.organ.code in roles.organs:
            return True
        if kind in ("coalition", "national_bodies") and roles.is_presidency:
            return True
        if kind == "committee" and person is not None:
            committee = responsible.committee
            if person in committee.members.all():
                return True
            if any(c.pk in roles.focal_point_of for c in committee.countries.all()):
                return True
    return False


@rules.predicate
def is_responsible_for_activity(user, activity) -> bool:
    return activity is not None and responsible_for(user, activity)


@rules.predicate
def is_responsible_for_report(user, report) -> bool:
    return report is not None and responsible_for(user, report.activity)


@rules.predicate
def may_enter_indicator_value(user, item) -> bool:
    """Manual indicator values: the Secretariat, or a focal point for their
    own country's value of a disaggregated indicator."""
    roles = roles_of(user)
    if roles.is_secretariat:
        return True
    return item is not None and roles.is_focal_point_of(getattr(item, "country_id", None))


@rules.predicate
def may_view_evidence(user, evidence) -> bool:
    """The Secretariat; those responsible for the report (or the focal points
    of the value's country); everyone internal once the item is validated."""
    if evidence is None:
        return False
    roles = roles_of(user)
    if roles.is_secretariat:
        return True
    item = evidence.report or evidence.indicator_value
    if item.status == "validated" and roles.is_internal:
        return True
    if evidence.report is not None:
        return responsible_for(user, evidence.report.activity)
    return roles.is_focal_point_of(evidence.indicator_value.country_id)


rules.add_perm("monitoring.view_monitoring", is_internal)
rules.add_perm("monitoring.report_on_activity", is_responsible_for_activity)
rules.add_perm("monitoring.change_progressreport", is_responsible_for_report)
rules.add_perm("monitoring.view_progressreport", is_internal)
rules.add_perm("monitoring.review_report", is_secretariat)
rules.add_perm("monitoring.enter_indicator_value", is_member & may_enter_indicator_value)
rules.add_perm("monitoring.review_indicator_value", is_secretariat)
rules.add_perm("monitoring.manage_periods", is_secretariat)
rules.add_perm("monitoring.manage_poas", is_secretariat)
rules.add_perm("monitoring.view_evidence", is_internal & may_view_evidence)
