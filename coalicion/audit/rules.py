import rules

from coalicion.membership.rules import is_internal, is_secretariat

rules.add_perm("audit.view_auditevent", is_secretariat)
rules.add_perm("audit.view_history", is_internal)
