"""Who may do what with meetings (issue 5, SPEC "Users and what each may do"):

- the Presidency convenes and runs meetings: events, agenda, quorum, and
  the approval of the agenda and of the previous minutes;
- the Technical Secretariat keeps the registers, votes, minutes and
  agreements (and may do everything the Presidency does);
- focal points submit their country's situation report, comment on
  circulated minutes and add follow-up to the agreements their country (or
  the organ it holds, or a committee they sit on) answers for;
- observers read the events marked for them, their approved minutes and
  their agreements; members read everything else but draft minutes, which
  stay with the Secretariat until circulated.
"""

import rules

from coalicion.membership.roles import roles_of
from coalicion.membership.rules import is_internal, is_member, is_presidency, is_secretariat
from coalicion.plans.parties import answers_for


@rules.predicate
def may_see_event(user, event) -> bool:
    if event is None:
        return False
    roles = roles_of(user)
    return roles.is_member or (roles.observer and event.open_to_observers)


@rules.predicate
def may_see_minutes(user, minutes) -> bool:
    if minutes is None:
        return False
    roles = roles_of(user)
    if roles.is_secretariat:
        return True
    if minutes.status == "draft":
        return False
    if minutes.status == "circulated":
        return roles.is_member
    return roles.is_member or (roles.observer and minutes.event.open_to_observers)


@rules.predicate
def may_report_for_country(user, country) -> bool:
    if country is None:
        return False
    roles = roles_of(user)
    return roles.is_secretariat or roles.is_focal_point_of(country.pk)


@rules.predicate
def may_follow_up(user, agreement) -> bool:
    if agreement is None:
        return False
    roles = roles_of(user)
    return roles.is_secretariat or answers_for(user, [agreement], roles=roles)


@rules.predicate
def may_see_agreement(user, agreement) -> bool:
    return agreement is not None and may_see_event(user, agreement.event)


@rules.predicate
def may_see_attachment(user, attachment) -> bool:
    """Files of agenda items follow their event; country reports and the
    evidence of follow-up are for members."""
    if attachment is None:
        return False
    roles = roles_of(user)
    if roles.is_member:
        return True
    return attachment.agenda_item_id is not None and may_see_event(user, attachment.event)


is_chair = is_presidency | is_secretariat

rules.add_perm("meetings.view_meetings", is_internal)
rules.add_perm("meetings.view_event", is_internal & may_see_event)
rules.add_perm("meetings.manage_event", is_chair)  # convene, edit, agenda, quorum
rules.add_perm("meetings.keep_register", is_secretariat)  # attendance, votes, agreements
rules.add_perm("meetings.keep_minutes", is_secretariat)
rules.add_perm("meetings.approve_minutes", is_chair)
rules.add_perm("meetings.submit_country_report", is_member & may_report_for_country)
rules.add_perm("meetings.view_country_reports", is_member)
rules.add_perm("meetings.view_minutes", is_internal & may_see_minutes)
rules.add_perm("meetings.comment_minutes", is_member)
rules.add_perm("meetings.view_agreement", is_internal & may_see_agreement)
rules.add_perm("meetings.follow_up_agreement", is_member & may_follow_up)
rules.add_perm("meetings.view_attachment", is_internal & may_see_attachment)
rules.add_perm("meetings.use_calendar", is_internal)
