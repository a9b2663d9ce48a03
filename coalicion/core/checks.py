from django.core.checks import Tags


def refuse_to_start_with_errors() -> None:
    """Run the database checks at start-up (wsgi.py) and stop on an error
    (production refuses to start with demo accounts, see
    `coalicion.composition.checks`)."""
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
