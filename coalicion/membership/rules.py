import rules

from coalicion.accounts.rules import (
    is_focal_point,
    is_focal_point_of_objects_country,
    is_member,
    is_secretariat,
)

# The contact directory: members read it; the Secretariat keeps it, and a
# focal point keeps their own country's contacts.
rules.add_perm("membership.view_directory", is_member)
rules.add_perm("membership.add_person", is_secretariat | is_focal_point)
rules.add_perm("membership.change_person", is_secretariat | is_focal_point_of_objects_country)
