"""Synthetic demo data for `make run`. Never real people: every name and
address here is invented and uses the reserved `.invalid` domain."""

import datetime
import json
import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from coalicion.membership.models import Country, Organ, OrganTerm

CREDENTIALS_FILE = Path(settings.BASE_DIR) / ".demo-credentials"
DEMO_DOMAIN = "demo.coalicion.invalid"

# Synthetic rotation of the Presidency and the Secretariat (demo only).
DEMO_TERMS = [
    ("presidency", "CR", datetime.date(2024, 7, 1), datetime.date(2026, 6, 30)),
    ("presidency", "GT", datetime.date(2026, 7, 1), datetime.date(2028, 6, 30)),
    ("secretariat", "HN", datetime.date(2024, 7, 1), datetime.date(2026, 6, 30)),
    ("secretariat", "PA", datetime.date(2026, 7, 1), datetime.date(2028, 6, 30)),
]


def _read_credentials() -> dict:
    try:
        return json.loads(CREDENTIALS_FILE.read_text())
    except (FileNotFoundError, ValueError):
        return {}


@transaction.atomic
def create_demo_data() -> dict:
    """Idempotent: returns the demo logins, creating what is missing."""
    if not OrganTerm.objects.exists():
        organs = {o.code: o for o in Organ.objects.all()}
        countries = {c.code: c for c in Country.objects.all()}
        for organ, country, start, end in DEMO_TERMS:
            if organ in organs and country in countries:
                OrganTerm.objects.create(
                    organ=organs[organ], country=countries[country], start=start, end=end
                )

    credentials = _read_credentials()
    User = get_user_model()
    login = credentials.get("secretariat") or {
        "email": f"secretaria@{DEMO_DOMAIN}",
        "password": secrets.token_urlsafe(12),
    }
    user, _created = User.objects.get_or_create(
        email=login["email"], defaults={"first_name": "Demo", "last_name": "Secretaría"}
    )
    user.is_staff = user.is_superuser = True
    user.set_password(login["password"])
    user.save()
    credentials["secretariat"] = login
    CREDENTIALS_FILE.write_text(json.dumps(credentials, indent=2) + "\n")
    CREDENTIALS_FILE.chmod(0o600)
    return credentials
