from django.conf import settings
from django.core.checks import Error, Tags, register
from django.db import DatabaseError


@register(Tags.database, deploy=True)
def no_demo_users_in_production(app_configs=None, databases=None, **kwargs):
    """Production refuses to start while synthetic demo accounts exist."""
    if not settings.PRODUCTION or not databases:
        return []
    from coalicion.core.demo import DEMO_DOMAIN, demo_users_exist

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


def refuse_to_start_with_errors() -> None:
    """Run the database checks at start-up (wsgi.py) and stop on an error."""
    from django.core import checks
    from django.core.exceptions import ImproperlyConfigured

    errors = [
        message
        for message in checks.run_checks(
            tags=[Tags.database], databases=["default"], include_deployment_checks=True
        )
        if message.is_serious()
    ]
    if errors:
        raise ImproperlyConfigured("; ".join(str(error) for error in errors))
