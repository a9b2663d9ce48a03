"""Who may issue and read reports (SPEC §4 and "Users and what each may do"):

- the Technical Secretariat and the Presidency issue reports;
- members (any role of a member country or organ) read the archive and
  download every issued report;
- observers read the archive entries marked for them.
"""

import rules

from coalicion.membership.roles import roles_of
from coalicion.membership.rules import is_internal, is_member, is_presidency, is_secretariat


@rules.predicate
def is_observer(user) -> bool:
    return roles_of(user).observer


@rules.predicate
def report_open_to_observers(user, report) -> bool:
    return report is not None and report.open_to_observers


rules.add_perm("reports.issue", is_secretariat | is_presidency)
rules.add_perm("reports.view_archive", is_internal)
rules.add_perm("reports.view_report", is_member | (is_observer & report_open_to_observers))
