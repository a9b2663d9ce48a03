"""Cooperation's demo data for `make run` (the contract is in
`coalicion.composition.demo`): invented instruments at several stages in
several countries (one regional strategy went back a stage, with its
reason), good practices with replications, actors, alliances, joint actions
and requests for funds, so that every indicator this app computes has a
value and a drill-down. Made through the actions; every name of a person
or document is invented."""

from datetime import date

from django.core.files.base import ContentFile

from coalicion.cooperation import actions
from coalicion.cooperation.instrument_types import add_default_types
from coalicion.cooperation.models import Instrument, InstrumentType
from coalicion.core.demo import DEMO_DOMAIN, demo_user
from coalicion.membership.models import Country
from coalicion.plans.selectors import current_plan

# (type, country or None, title, [(stage, date, reason), ...]).
INSTRUMENTS = [
    ("regional-prevention-tip", None,
     "Estrategia Regional de Prevención de la Trata (demostración)",
     [("in_preparation", "2019-03-15"), ("drafted", "2020-09-10"), ("approved", "2021-11-25"),
      ("implemented", "2023-06-01")]),
    ("regional-prevention-tim", None,
     "Estrategia Regional de Prevención del Tráfico Ilícito de Migrantes (demostración)",
     [("in_preparation", "2020-02-20"), ("drafted", "2022-05-18")]),
    ("regional-smuggled-migrants-assistance", None,
     "Estrategia Regional de Asistencia a Personas Migrantes Objeto de Tráfico (demostración)",
     [("in_preparation", "2021-04-12"), ("drafted", "2022-10-03"), ("approved", "2024-03-14"),
      ("drafted", "2024-07-02", "El Pleno pidió armonizarla con el protocolo regional de "
       "repatriación antes de su estandarización."),
      ("approved", "2025-02-20")]),
    ("communication-strategy", None, "Estrategia Institucional de Comunicación (demostración)",
     [("drafted", "2019-08-05"), ("approved", "2020-03-19"), ("implemented", "2021-01-15")]),
    ("regional-care-strategy", None, "Estrategia Regional de Atención Integral (demostración)",
     [("approved", "2018-10-04")]),
    ("regional-repatriation-protocol", None,
     "Protocolo Regional de Repatriación (demostración)", [("approved", "2018-06-21")]),
    ("resource-mobilisation-strategy", None,
     "Estrategia de Movilización de Recursos (demostración)", [("in_preparation", "2022-09-01")]),
    ("national-care-strategy", "CR", "Estrategia nacional de atención integral — Costa Rica",
     [("drafted", "2019-05-02"), ("approved", "2020-02-11"), ("implemented", "2021-03-30")]),
    ("national-care-strategy", "GT", "Estrategia nacional de atención integral — Guatemala",
     [("in_preparation", "2020-01-20"), ("drafted", "2021-06-14"), ("approved", "2022-08-08")]),
    ("national-care-strategy", "HN", "Estrategia nacional de atención integral — Honduras",
     [("drafted", "2021-09-01")]),
    ("national-care-strategy", "SV", "Estrategia nacional de atención integral — El Salvador",
     [("approved", "2022-02-10"), ("implemented", "2023-04-17")]),
    ("national-care-strategy", "PA", "Estrategia nacional de atención integral — Panamá",
     [("in_preparation", "2024-05-06")]),
    ("national-repatriation-protocol", "CR", "Protocolo nacional de repatriación — Costa Rica",
     [("drafted", "2019-11-12"), ("approved", "2020-10-01")]),
    ("national-repatriation-protocol", "GT", "Protocolo nacional de repatriación — Guatemala",
     [("approved", "2021-05-03"), ("implemented", "2022-07-26")]),
    ("national-repatriation-protocol", "HN", "Protocolo nacional de repatriación — Honduras",
     [("drafted", "2021-03-08")]),
    ("national-repatriation-protocol", "MX", "Protocolo nacional de repatriación — México",
     [("drafted", "2022-01-17"), ("approved", "2023-09-29")]),
    ("national-repatriation-protocol", "NI", "Protocolo nacional de repatriación — Nicaragua",
     [("drafted", "2022-06-06")]),
    ("national-repatriation-protocol", "DO",
     "Protocolo nacional de repatriación — República Dominicana",
     [("in_preparation", "2024-02-12")]),
    ("coordination-procedure", "CR",
     "Procedimiento de coordinación fiscalía–protección — Costa Rica",
     [("drafted", "2021-02-01"), ("approved", "2022-04-22")]),
    ("coordination-procedure", "GT",
     "Procedimiento de coordinación fiscalía–protección — Guatemala",
     [("approved", "2022-03-15"), ("implemented", "2023-05-30")]),
    ("coordination-procedure", "SV",
     "Procedimiento de coordinación fiscalía–protección — El Salvador",
     [("drafted", "2023-01-09"), ("approved", "2024-06-18")]),
    ("coordination-procedure", "PA", "Procedimiento de coordinación fiscalía–protección — Panamá",
     [("drafted", "2024-08-27")]),
]  # fmt: skip

# (country, title, area, registered, [(adopting country, date), ...]).
PRACTICES = [
    ("CR", "Fiscalía especializada contra la trata con equipos mixtos", "prosecution",
     "2019-07-30", [("GT", "2021-03-10"), ("HN", "2022-05-19")]),
    ("GT", "Albergue temporal especializado para víctimas", "care", "2020-07-30",
     [("SV", "2022-09-14")]),
    ("MX", "Línea nacional gratuita de denuncia", "prevention", "2020-11-05",
     [("PA", "2023-02-27"), ("DO", "2024-04-09")]),
    ("PA", "Identificación temprana en puestos fronterizos", "investigation", "2022-03-01",
     [("CR", "2024-01-22")]),
    ("SV", "Sentencias con reparación integral del daño", "sanction", "2023-06-12", []),
]  # fmt: skip

# (key, name, acronym, level, kind, topics).
ACTORS = [
    ("sica", "Sistema de la Integración Centroamericana", "SICA", "regional", "regional_space",
     "Seguridad democrática, migración"),
    ("crm", "Conferencia Regional sobre Migración", "CRM", "regional", "regional_space",
     "Migración, protección"),
    ("io", "Organización internacional de ejemplo", "OIE", "extra_regional", "international",
     "Asistencia a víctimas, retorno"),
    ("ngo", "Red de organizaciones de ejemplo", "ROE", "regional", "ngo", "Albergues, prevención"),
    ("donor", "Fondo de cooperación de ejemplo", "FCE", "extra_regional", "donor",
     "Fortalecimiento institucional"),
]  # fmt: skip


def _d(text: str) -> date:
    return date.fromisoformat(text)


def _act_file(title: str) -> list:
    """A small invented text file as the evidence of a stage change."""
    content = ContentFile(
        f"Acta de demostración: {title}. Documento inventado para la demostración.\n".encode(),
        name="acta-demostracion.txt",
    )
    return [(content, "text/plain")]


def create_demo_data() -> None:
    if Instrument.objects.exists() or current_plan() is None:
        return
    add_default_types(InstrumentType)  # a flushed database has lost the migration's
    secretariat = demo_user("secretariat")
    focal = {"CR": demo_user("focal_point_cr"), "GT": demo_user("focal_point_gt")}
    countries = {c.code: c for c in Country.objects.all()}
    stages = {s.code: s for s in current_plan().milestone_stages.all()}
    types = {t.code: t for t in InstrumentType.objects.all()}

    for type_code, code, title, steps in INSTRUMENTS:
        actor = focal.get(code, secretariat)
        (first, first_day), rest = steps[0], steps[1:]
        instrument = actions.create_instrument(
            actor=actor,
            type=types[type_code],
            country=countries[code] if code else None,
            title=title,
            stage=stages[first],
            day=_d(first_day),
            act="Acta de demostración",
        )
        for stage, when, *reason in rest:
            actions.change_stage(
                actor=actor,
                instrument=instrument,
                version=None,
                stage=stages[stage],
                day=_d(when),
                reason=reason[0] if reason else "",
                act=f"Resolución de demostración {when[:4]}",
                evidence=_act_file(title) if stage in ("approved", "implemented") else (),
            )

    for code, title, area, registered, replications in PRACTICES:
        practice = actions.save_practice(
            actor=focal.get(code, secretariat),
            title=title,
            country=countries[code],
            area=area,
            description="Práctica inventada para la demostración.",
            registered_on=_d(registered),
        )
        for adopter, when in replications:
            actions.record_replication(
                actor=focal.get(adopter, secretariat),
                practice=practice,
                country=countries[adopter],
                day=_d(when),
                description="Adopción inventada para la demostración.",
            )

    made = {}
    for key, name, acronym, level, kind, topics in ACTORS:
        made[key] = actions.save_actor(
            actor=secretariat,
            name=name,
            acronym=acronym,
            level=level,
            kind=kind,
            topics=topics,
            contact_name="Enlace de demostración",
            contact_email=f"{key}@{DEMO_DOMAIN}",
        )
    made["cr"] = actions.save_actor(
        actor=focal["CR"],
        name="Ministerio de ejemplo de Costa Rica",
        level="national",
        kind="government",
        country=countries["CR"],
        topics="Protección de víctimas",
    )
    for key, kind, status, start, end, country in [
        ("sica", "mou", "active", "2019-05-10", None, None),
        ("crm", "letter", "active", "2021-03-01", None, None),
        ("io", "agreement", "ended", "2020-02-03", "2023-02-02", None),
        ("ngo", "informal", "negotiation", None, None, None),
        ("donor", "agreement", "active", "2022-01-12", None, None),
        ("cr", "mou", "active", "2021-08-16", None, "CR"),
    ]:
        actions.save_alliance(
            actor=focal["CR"] if country == "CR" else secretariat,
            actor_id=made[key].pk,
            kind=kind,
            status=status,
            start=_d(start) if start else None,
            end=_d(end) if end else None,
            country=countries[country] if country else None,
            instrument="Instrumento de demostración" if kind != "informal" else "",
        )
    for title, when, keys in [
        ("Campaña regional del Día Mundial contra la Trata (demostración)", "2020-07-30",
         ["sica"]),
        ("Taller regional sobre identificación de víctimas (demostración)", "2021-10-20",
         ["io"]),
        ("Foro conjunto sobre migración y trata (demostración)", "2022-11-15", ["sica", "crm"]),
        ("Curso virtual para fiscales (demostración)", "2023-04-25", ["crm", "donor"]),
    ]:  # fmt: skip
        actions.record_joint_action(
            actor=secretariat, title=title, day=_d(when), actors=[made[k] for k in keys]
        )

    for purpose, status, requested_on, requested, obtained, obtained_on, donor in [
        ("Movilización para la estrategia de comunicación", "obtained", "2021-02-01",
         "60000", "50000", "2021-06-30", "donor"),
        ("Capacitación regional de fiscales", "obtained", "2022-03-10", "25000", "20000",
         "2022-07-01", "io"),
        ("Observatorio regional de datos", "submitted", "2024-09-02", "80000", None, None,
         "donor"),
        ("Intercambio de buenas prácticas", "refused", "2023-01-15", "15000", None, None, "io"),
    ]:  # fmt: skip
        actions.save_resource_request(
            actor=secretariat,
            donor=made[donor],
            purpose=purpose,
            status=status,
            requested_on=_d(requested_on),
            amount_requested=requested,
            amount_obtained=obtained,
            obtained_on=_d(obtained_on) if obtained_on else None,
            currency="USD",
        )
