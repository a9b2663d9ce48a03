from django.conf import settings
from django.core.checks import Error, Tags, register
from django.db import DatabaseError

from coalicion.core.demo import DEMO_DOMAIN, demo_users_exist


@register(Tags.database, deploy=True)
def no_demo_users_in_production(app_configs=None, databases=None, **kwargs):
    """Production refuses to start while synthetic demo accounts exist."""
    if not settings.PRODUCTION or not databases:
        return []
    try:
        found = demo_users_exist()
    except DatabaseError:
        return []  # not migrated yet: `migrate` itself must be able to run
    if found:
        return [
            Error(
                f"Demo users (@{DEMO_DOMAIN}) exist in a production database.",
                hint="Remove them (python manage.py remove_demo_users) before starting.",
                id="coalicion.E001",
            )
        ]
    return []
