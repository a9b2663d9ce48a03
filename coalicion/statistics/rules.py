"""Who may do what with the regional statistics (SPEC §9, ADR 0021):

- everyone, the public included, reads the protected figures;
- a country's focal points and the Secretariat see that country's full
  figures (the selectors decide, cell by cell: `full_countries`);
- a focal point sends figures for their own country only, the Secretariat
  for any (the import checks every row's country as well);
- members see where the figures come from (batches, versions, uploads);
- the Secretariat runs the audit.
"""

import rules

from coalicion.membership.roles import roles_of
from coalicion.membership.rules import is_focal_point, is_member, is_secretariat


@rules.predicate
def may_see_upload(user, upload) -> bool:
    if upload is None:
        return False
    roles = roles_of(user)
    if roles.is_secretariat:
        return True
    from coalicion.membership.models import Country

    own = set(Country.objects.filter(pk__in=roles.focal_point_of).values_list("code", flat=True))
    allowed = set(upload.allowed_countries)
    return upload.uploaded_by_id == user.pk or (bool(allowed) and allowed <= own)


rules.add_perm("statistics.import", is_secretariat | is_focal_point)
rules.add_perm("statistics.follow_upload", may_see_upload)
rules.add_perm("statistics.view_provenance", is_member)
# The administration (no statistics model is registered there; data comes in
# only through imports).
for model in ("upload", "batch", "record", "aggregatecell", "release", "releasecell"):
    for action in ("view", "add", "change", "delete"):
        rules.add_perm(f"statistics.{action}_{model}", is_secretariat)
