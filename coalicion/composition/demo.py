"""Synthetic demo data for `make run` (ADR 0014). Never real people: every
name and address is invented and uses the reserved `.invalid` domain.

`set_up_demo` creates the demo cast (`coalicion.core.demo`) — accounts and
people — with the governance records their rights come from, the way real
users get theirs: representations of countries, terms of office and an
observer membership. Then it calls the demo data of every app, in
INSTALLED_APPS order: an app contributes its own as

    # coalicion/<app>/demo.py
    def create_demo_data() -> None:
        '''Idempotent; invented names; made through the app's actions, by
        the cast (`coalicion.core.demo.demo_user("secretariat")`).'''

All of it in one transaction.
"""

import datetime
import json
import secrets
from pathlib import Path
from types import ModuleType

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from coalicion.composition.context_processors import forget_demo_data
from coalicion.composition.models import DemoData
from coalicion.core.demo import demo_email
from coalicion.core.discovery import app_modules
from coalicion.membership.models import (
    Country,
    ObserverMembership,
    ObserverOrganisation,
    Organ,
    OrganTerm,
    Person,
    Representation,
)

CREDENTIALS_FILE = Path(settings.BASE_DIR) / ".demo-credentials"

# An invented rotation of the Presidency and the Secretariat (demo only).
DEMO_TERMS = [
    ("presidency", "SV", datetime.date(2024, 7, 1), datetime.date(2026, 6, 30)),
    ("presidency", "HN", datetime.date(2026, 7, 1), datetime.date(2028, 6, 30)),
    ("secretariat", "DO", datetime.date(2024, 7, 1), datetime.date(2026, 6, 30)),
    ("secretariat", "PA", datetime.date(2026, 7, 1), datetime.date(2028, 6, 30)),
]

# login key (coalicion.core.demo.DEMO_LOGINS), given name, family name,
# country, representation role
DEMO_PEOPLE = [
    ("secretariat", "Sofía", "Demo Secretaría", "PA", "titular"),
    ("presidency", "Pablo", "Demo Presidencia", "HN", "titular"),
    ("focal_point_cr", "Carla", "Demo Costa Rica", "CR", "titular"),
    ("focal_point_gt", "Gabriel", "Demo Guatemala", "GT", "alternate"),
    ("observer", "Olga", "Demo Observadora", None, None),
]
DEMO_OBSERVER_ORGANISATION = "Organización Observadora de Demostración"


def app_demos() -> list[ModuleType]:
    """The `demo` modules of the installed apps that contribute demo data,
    in INSTALLED_APPS order."""
    return app_modules("demo", defining="create_demo_data")


@transaction.atomic
def set_up_demo() -> dict:
    """Idempotent: returns the demo logins, creating what is missing."""
    credentials = create_demo_people()
    for module in app_demos():
        module.create_demo_data()
    # Every page says so from now on (ADR 0042).
    DemoData.objects.update_or_create(pk=1)
    forget_demo_data()
    transaction.on_commit(forget_demo_data)
    CREDENTIALS_FILE.write_text(json.dumps(credentials, indent=2) + "\n")
    CREDENTIALS_FILE.chmod(0o600)
    return credentials


def create_demo_people() -> dict:
    """The cast, their accounts (passwords kept from an earlier run) and the
    governance records their rights come from."""
    countries = {c.code: c for c in Country.objects.all()}
    organs = {o.code: o for o in Organ.objects.all()}
    if not OrganTerm.objects.exists():
        for organ, country, start, end in DEMO_TERMS:
            OrganTerm.objects.create(
                organ=organs[organ], country=countries[country], start=start, end=end
            )
    observers, _ = ObserverOrganisation.objects.get_or_create(
        name=DEMO_OBSERVER_ORGANISATION,
        defaults={"kind": ObserverOrganisation.Kind.INTERNATIONAL, "acronym": "OOD"},
    )

    stored = _read_credentials()
    credentials = {}
    User = get_user_model()
    for key, given, family, country_code, role in DEMO_PEOPLE:
        email = demo_email(key)
        password = stored.get(key, {}).get("password") or secrets.token_urlsafe(12)
        user, _ = User.objects.get_or_create(
            email=email, defaults={"first_name": given, "last_name": family}
        )
        user.set_password(password)
        user.is_active = True
        user.save()
        EmailAddress.objects.get_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        country = countries.get(country_code)
        person, _ = Person.objects.get_or_create(
            user=user,
            defaults={
                "given_name": given,
                "family_name": family,
                "email": email,
                "country": country,
                "institution": "Institución de demostración",
            },
        )
        if role and not person.representations.exists():
            Representation.objects.create(
                person=person, country=country, role=role, start=datetime.date(2024, 1, 1)
            )
        if key == "observer" and not person.observer_memberships.exists():
            ObserverMembership.objects.create(
                person=person, organisation=observers, start=datetime.date(2024, 1, 1)
            )
        credentials[key] = {"email": email, "password": password}
    return credentials


def _read_credentials() -> dict:
    try:
        return json.loads(CREDENTIALS_FILE.read_text())
    except (FileNotFoundError, ValueError):
        return {}
