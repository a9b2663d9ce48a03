"""The Technical Secretariat may do everything: every model permission that
an app's own rules module did not define goes to the Secretariat.

`coalicion.core` comes last in INSTALLED_APPS so this runs after the other
rules modules and only fills the gaps.
"""

import rules
from django.apps import apps

from coalicion.membership.rules import is_secretariat

# allauth's e-mail addresses and authenticators too: the Secretariat resets a
# second factor for a user who lost it.
DOMAIN_APPS = {
    "accounts",
    "membership",
    "plans",
    "legal",
    "monitoring",
    "meetings",
    "audit",
    "account",
    "mfa",
}

for model in apps.get_models():
    meta = model._meta
    if meta.app_label not in DOMAIN_APPS:
        continue
    for action in meta.default_permissions:
        name = f"{meta.app_label}.{action}_{meta.model_name}"
        if not rules.perm_exists(name):
            rules.add_perm(name, is_secretariat)
