"""Meetings' demo data for `make run` (the contract is in
`coalicion.composition.demo`): invented meetings of the Coalition — a meeting
with its register, decisions, agreements and minutes approved at the next
one; a representation of the Presidency; a seminar; the next meeting
convened. Made through the actions, so the rules hold; no e-mail is sent."""

from datetime import date, datetime, time

from django.db import transaction
from django.utils import timezone, translation

from coalicion.core.demo import DEMO_DOMAIN, demo_user
from coalicion.meetings.actions.agenda import add_agenda_item, approve_agenda
from coalicion.meetings.actions.agreements import add_follow_up, create_agreement
from coalicion.meetings.actions.attendance import record_attendance, verify_quorum
from coalicion.meetings.actions.decisions import record_decision, record_objection, record_tally
from coalicion.meetings.actions.events import convene_event, create_event
from coalicion.meetings.actions.minutes import approve_minutes, circulate_minutes, draft_minutes
from coalicion.meetings.actions.reports import save_country_report
from coalicion.meetings.models import Event
from coalicion.membership.models import Country, Organ, Person, Representation
from coalicion.notifications.models import Notification


def _moment(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def create_demo_data() -> None:
    if Event.objects.exists():
        return
    secretariat = demo_user("secretariat")
    presidency = demo_user("presidency")
    focal_cr = demo_user("focal_point_cr")
    countries = {c.code: c for c in Country.objects.all()}

    def meeting(number, day, code, city, **extra):
        return create_event(
            actor=presidency,
            kind=Event.Kind.ORDINARY,
            number=number,
            title=f"Reunión ordinaria {number} de la Coalición (demostración)",
            title_en=f"Ordinary meeting {number} of the Coalition (demo)",
            start=_moment(day, 9),
            end=_moment(day, 17),
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
        for country in Country.objects.members(on=timezone.localdate(event.start)):
            code = country.code
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
            start=_moment(date(2026, 5, 20), 9),
            end=_moment(date(2026, 5, 21), 17),
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
            start=_moment(date(2026, 12, 9), 9),
            end=_moment(date(2026, 12, 9), 13),
            is_virtual=True,
            virtual_url="https://videoconferencia.demo.coalicion.invalid/seminario",
            organiser="Guatemala",
            open_to_observers=True,
        )
        third = meeting(23, date(2027, 3, 9), "PA", "Ciudad de Panamá")
        convene_event(actor=presidency, event=third)
        # Demo data sends no e-mail: the outbox rows are marked as sent.
        Notification.objects.filter(sent_at__isnull=True, kind__startswith="meetings.").update(
            sent_at=timezone.now()
        )
