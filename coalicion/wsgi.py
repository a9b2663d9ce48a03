"""WSGI entry point (gunicorn coalicion.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coalicion.settings")

application = get_wsgi_application()

from django.conf import settings  # noqa: E402

if settings.PRODUCTION:
    from coalicion.core.checks import refuse_to_start_with_errors

    refuse_to_start_with_errors()

from coalicion.core.heap import settle_after_start  # noqa: E402

settle_after_start()
