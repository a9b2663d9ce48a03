"""Synthetic demo data for `make run`. Never real people: every name and
address here is invented and uses the reserved `.invalid` domain.

Demo users get their rights the way real users do, from governance records:
representations of countries, terms of office and an observer membership.
"""

import datetime
import json
import secrets
from pathlib import Path

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

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
DEMO_DOMAIN = "demo.coalicion.invalid"

# An invented rotation of the Presidency and the Secretariat (demo only).
DEMO_TERMS = [
    ("presidency", "SV", datetime.date(2024, 7, 1), datetime.date(2026, 6, 30)),
    ("presidency", "HN", datetime.date(2026, 7, 1), datetime.date(2028, 6, 30)),
    ("secretariat", "DO", datetime.date(2024, 7, 1), datetime.date(2026, 6, 30)),
    ("secretariat", "PA", datetime.date(2026, 7, 1), datetime.date(2028, 6, 30)),
]

# login key, e-mail, given name, family name, country, representation role
DEMO_USERS = [
    ("secretariat", "secretaria", "Sofía", "Demo Secretaría", "PA", "titular"),
    ("presidency", "presidencia", "Pablo", "Demo Presidencia", "HN", "titular"),
    ("focal_point_cr", "enlace.cr", "Carla", "Demo Costa Rica", "CR", "titular"),
    ("focal_point_gt", "enlace.gt", "Gabriel", "Demo Guatemala", "GT", "alternate"),
    ("observer", "observador", "Olga", "Demo Observadora", None, None),
]
DEMO_OBSERVER_ORGANISATION = "Organización Observadora de Demostración"


def demo_users_exist() -> bool:
    return get_user_model().objects.filter(email__endswith=f"@{DEMO_DOMAIN}").exists()


def _read_credentials() -> dict:
    try:
        return json.loads(CREDENTIALS_FILE.read_text())
    except (FileNotFoundError, ValueError):
        return {}


@transaction.atomic
def create_demo_data() -> dict:
    """Idempotent: returns the demo logins, creating what is missing."""
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
    for key, local, given, family, country_code, role in DEMO_USERS:
        email = f"{local}@{DEMO_DOMAIN}"
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

    _create_demo_monitoring(reviewer=User.objects.get(email=f"secretaria@{DEMO_DOMAIN}"))
    CREDENTIALS_FILE.write_text(json.dumps(credentials, indent=2) + "\n")
    CREDENTIALS_FILE.chmod(0o600)
    return credentials


# Invented progress for the POA 2018, so the dashboards have something to
# show: (activity code, percent reported in quarters 1-4, None = not reported).
DEMO_PROGRESS = {
    "1.1-1": [10, 35, 60, 85],
    "1.2-1": [5, 20, 40, None],
    "2.1.1-1": [25, 50, 75, 100],
    "2.1.2-1": [0, 10, 30, 45],
    "2.1.3-1": [15, 30, None, None],
    "2.2.1-1": [20, 45, 70, 90],
    "3.1.1-1": [30, 60, 100, 100],
    "3.2.1-1": [10, 25, 40, 55],
    "4.1.1-1": [20, 40, 60, 80],
    "4.1.1-2": [0, 15, 30, None],
    "4.1.2-1": [10, 20, 35, 50],
    "4.1.3-1": [0, 0, 10, 20],
}


def _create_demo_monitoring(*, reviewer) -> None:
    from datetime import datetime, time
    from decimal import Decimal

    from django.utils import timezone

    from coalicion.monitoring.actions import create_quarterly_periods
    from coalicion.monitoring.models import ProgressReport, ReportStatus
    from coalicion.plans.models import Activity, OperatingPlan

    poa = OperatingPlan.objects.filter(year=2018).first()
    if poa is None or ProgressReport.objects.exists():
        return
    periods = create_quarterly_periods(operating_plan=poa)
    activities = {a.code: a for a in Activity.objects.filter(objective__operating_plan=poa)}
    for code, percents in DEMO_PROGRESS.items():
        activity = activities.get(code)
        if activity is None:
            continue
        for period, percent in zip(periods, percents, strict=True):
            if percent is None:
                continue
            moment = timezone.make_aware(datetime.combine(period.due, time(12)))
            ProgressReport.objects.create(
                activity=activity,
                period=period,
                percent=Decimal(percent),
                narrative="Avance de demostración (datos sintéticos).",
                status=ReportStatus.VALIDATED,
                submitted_by=reviewer,
                submitted_at=moment,
                reviewed_by=reviewer,
                reviewed_at=moment,
            )
