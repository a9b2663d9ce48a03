"""Account administration is the Technical Secretariat's."""

import rules

from coalicion.membership.rules import is_secretariat

rules.add_perm("accounts.manage_users", is_secretariat)
