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
    _create_demo_meetings()
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


def _create_demo_meetings() -> None:
    """Invented meetings of the Coalition for the demo: a meeting with its
    register, decisions, agreements and minutes approved at the next one;
    a representation of the Presidency; a seminar; the next meeting convened.
    Created through the actions, so the rules hold; no e-mail is sent."""
    from datetime import date, datetime, time

    from django.db import transaction
    from django.utils import timezone, translation

    from coalicion.meetings.actions.agenda import add_agenda_item, approve_agenda
    from coalicion.meetings.actions.agreements import add_follow_up, create_agreement
    from coalicion.meetings.actions.attendance import record_attendance, verify_quorum
    from coalicion.meetings.actions.decisions import record_decision, record_objection, record_tally
    from coalicion.meetings.actions.events import convene_event, create_event
    from coalicion.meetings.actions.minutes import approve_minutes, circulate_minutes, draft_minutes
    from coalicion.meetings.actions.reports import save_country_report
    from coalicion.meetings.models import Event, Notification

    if Event.objects.exists():
        return
    User = get_user_model()
    secretariat = User.objects.get(email=f"secretaria@{DEMO_DOMAIN}")
    presidency = User.objects.get(email=f"presidencia@{DEMO_DOMAIN}")
    focal_cr = User.objects.get(email=f"enlace.cr@{DEMO_DOMAIN}")
    countries = {c.code: c for c in Country.objects.all()}

    def moment(day: date, hour: int) -> datetime:
        return timezone.make_aware(datetime.combine(day, time(hour)))

    def meeting(number, day, code, city, **extra):
        return create_event(
            actor=presidency,
            kind=Event.Kind.ORDINARY,
            number=number,
            title=f"Reunión ordinaria {number} de la Coalición (demostración)",
            title_en=f"Ordinary meeting {number} of the Coalition (demo)",
            start=moment(day, 9),
            end=moment(day, 17),
            country=countries[code],
            city=city,
            organiser="Presidencia Pro Tempore",
            **extra,
        )

    # The demo people represent their countries in the register.
    representatives = {
        (r.country_id, r.role): r.person
        for r in Representation.objects.filter(person__email__endswith=DEMO_DOMAIN)
    }

    def delegate(country, role):
        person, _created = Person.objects.get_or_create(
            country=country, given_name="Delegación", family_name=f"{role} (demostración)"
        )
        return person

    def register(event, present, **statuses):
        rows = []
        for code, country in countries.items():
            if not country.is_member:
                continue
            status = statuses.get(code, "titular" if code in present else "absent")
            titular = representatives.get((country.pk, "titular"))
            alternate = representatives.get((country.pk, "alternate"))
            if status == "titular" and titular is None and alternate is not None:
                status = "alternate"
            # The register names whoever is present: a synthetic delegate
            # where no demo person represents the country.
            if status in ("titular", "both") and titular is None:
                titular = delegate(country, "titular")
            if status in ("alternate", "both") and alternate is None:
                alternate = delegate(country, "alternate")
            rows.append(
                {
                    "country": country,
                    "status": status,
                    "titular": titular if status in ("titular", "both") else None,
                    "alternate": alternate if status in ("alternate", "both") else None,
                }
            )
        record_attendance(actor=secretariat, event=event, rows=rows)
        verify_quorum(actor=presidency, event=event)

    with translation.override("es"), transaction.atomic():
        first = meeting(21, date(2026, 3, 10), "SV", "San Salvador", open_to_observers=True)
        convene_event(actor=presidency, event=first)
        add_agenda_item(
            actor=presidency,
            event=first,
            title="Presentación del informe de avance del POA",
            presenter="Secretaría Técnica",
            duration_minutes=45,
        )
        register(first, ("CR", "GT", "HN", "PA", "SV", "MX"), DO="both", NI="excused")
        approve_agenda(actor=presidency, event=first)
        save_country_report(
            actor=focal_cr,
            event=first,
            country=countries["CR"],
            summary="Informe de demostración: avances en la coordinación interinstitucional.",
            legal_changes="Reglamento de demostración en consulta.",
            cases="Cifras agregadas de demostración; sin datos personales.",
            actions="Dos talleres de capacitación (datos sintéticos).",
        )
        decision = record_decision(
            actor=secretariat,
            event=first,
            text="Aprobar el informe de avance del POA presentado por la Secretaría Técnica.",
            method="consensus",
        )
        record_objection(
            actor=secretariat,
            decision=decision,
            country=countries["MX"],
            kind="dissent",
            text="Deja constancia de reservas sobre el calendario (demostración).",
        )
        done = create_agreement(
            actor=secretariat,
            event=first,
            text="Compartir los protocolos nacionales de repatriación con la Secretaría Técnica.",
            responsible_kind="country",
            country=countries["CR"],
            due=date(2026, 6, 30),
            decision=decision,
        )
        create_agreement(
            actor=secretariat,
            event=first,
            text="Preparar la propuesta de estrategia de comunicación institucional.",
            responsible_kind="organ",
            organ=Organ.objects.get(code="secretariat"),
            due=date(2026, 8, 31),
        )
        add_follow_up(
            actor=focal_cr,
            agreement=done,
            date=date(2026, 6, 15),
            text="Protocolo compartido por correo oficial (demostración).",
            status="fulfilled",
        )
        minutes = draft_minutes(actor=secretariat, event=first)
        circulate_minutes(actor=secretariat, minutes=minutes)

        create_event(
            actor=presidency,
            kind=Event.Kind.REPRESENTATION,
            title="Representación de la Coalición en un foro regional (demostración)",
            title_en="Representation of the Coalition at a regional forum (demo)",
            start=moment(date(2026, 5, 20), 9),
            end=moment(date(2026, 5, 21), 17),
            country=countries["MX"],
            city="Ciudad de México",
            organiser="Presidencia Pro Tempore",
            report="La Presidencia presentó el Plan Estratégico (texto de demostración).",
        )

        second = meeting(22, date(2026, 9, 15), "HN", "Tegucigalpa")
        convene_event(actor=presidency, event=second)
        register(second, ("CR", "GT", "HN", "PA", "BZ"), SV="alternate")
        approve_agenda(actor=presidency, event=second)
        approve_minutes(actor=presidency, minutes=minutes, at_event=second)
        vote = record_decision(
            actor=secretariat,
            event=second,
            text="Celebrar un seminario regional sobre asistencia a víctimas.",
            method="vote",
            majority="simple",
        )
        present = [c for c in countries.values() if c.code in ("CR", "GT", "HN", "PA", "BZ", "SV")]
        record_tally(
            actor=secretariat,
            decision=vote,
            choices={c: ("abstain" if c.code == "BZ" else "yes") for c in present},
        )
        create_agreement(
            actor=secretariat,
            event=second,
            text="Organizar el seminario regional sobre asistencia a víctimas.",
            responsible_kind="country",
            country=countries["GT"],
            due=date(2026, 12, 10),
            decision=vote,
        )

        create_event(
            actor=presidency,
            kind=Event.Kind.SEMINAR,
            title="Seminario regional sobre asistencia a víctimas (demostración)",
            title_en="Regional seminar on assistance to victims (demo)",
            start=moment(date(2026, 12, 9), 9),
            end=moment(date(2026, 12, 9), 13),
            is_virtual=True,
            virtual_url="https://videoconferencia.demo.coalicion.invalid/seminario",
            organiser="Guatemala",
            open_to_observers=True,
        )
        third = meeting(23, date(2027, 3, 9), "PA", "Ciudad de Panamá")
        convene_event(actor=presidency, event=third)
        # Demo data sends no e-mail: the outbox rows are marked as sent.
        Notification.objects.filter(sent_at__isnull=True).update(sent_at=timezone.now())
