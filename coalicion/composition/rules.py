"""The Technical Secretariat may do everything: every model permission that
an app's own rules module did not define goes to the Secretariat.

`coalicion.composition` comes last in INSTALLED_APPS, so this runs after
every app's rules module and only fills the gaps.
"""

import rules
from django.apps import apps

from coalicion.membership.rules import is_secretariat

# Every model of the project's apps, and of these others: allauth's e-mail
# addresses and authenticators (the Secretariat resets a second factor for a
# user who lost it) and the job runner's results (only read: its admin allows
# nothing else).
OTHER_ADMINISTERED_APPS = {"account", "mfa", "django_tasks_database"}

for model in apps.get_models():
    meta = model._meta
    if not (
        meta.app_config.name.startswith("coalicion.") or meta.app_label in OTHER_ADMINISTERED_APPS
    ):
        continue
    for action in meta.default_permissions:
        name = f"{meta.app_label}.{action}_{meta.model_name}"
        if not rules.perm_exists(name):
            rules.add_perm(name, is_secretariat)
