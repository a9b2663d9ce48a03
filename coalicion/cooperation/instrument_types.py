"""The kinds of instrument the Coalition follows, as the plan names them
(sections IV, VII and X), created by the app's first migration; the
Secretariat adds others in the administration. `indicator` is the code of
the plan indicator that counts the instruments of a type (ADR 0030)."""

INSTRUMENT_TYPES = [
    (
        "regional-prevention-tip",
        "regional",
        "1a",
        "Estrategia Regional para la prevención de la trata de personas",
        "Regional strategy for the prevention of trafficking in persons",
    ),
    (
        "regional-prevention-tim",
        "regional",
        "1b",
        "Estrategia Regional para la prevención del tráfico ilícito de migrantes",
        "Regional strategy for the prevention of the smuggling of migrants",
    ),
    (
        "regional-care-strategy",
        "regional",
        "",
        "Estrategia Regional de atención integral a víctimas de trata de personas",
        "Regional strategy for comprehensive care of victims of trafficking in persons",
    ),
    (
        "national-care-strategy",
        "national",
        "2.1",
        "Estrategia nacional de atención integral a víctimas (derivada de la regional)",
        "National strategy for comprehensive care of victims (derived from the regional one)",
    ),
    (
        "regional-repatriation-protocol",
        "regional",
        "",
        "Protocolo Regional para la repatriación de víctimas de trata de personas",
        "Regional protocol for the repatriation of victims of trafficking in persons",
    ),
    (
        "national-repatriation-protocol",
        "national",
        "2.2",
        "Protocolo nacional de repatriación de víctimas de trata de personas",
        "National protocol for the repatriation of victims of trafficking in persons",
    ),
    (
        "regional-smuggled-migrants-assistance",
        "regional",
        "2.3",
        "Estrategia Regional de asistencia a personas objeto de tráfico ilícito de migrantes",
        "Regional strategy for assistance to persons subject to smuggling of migrants",
    ),
    (
        "coordination-procedure",
        "national",
        "3.2.1",
        "Procedimiento estándar de coordinación entre investigación y protección a víctimas",
        "Standard coordination procedure between prosecution and victim protection",
    ),
    (
        "communication-strategy",
        "regional",
        "4.2",
        "Estrategia Institucional de Comunicación",
        "Institutional communication strategy",
    ),
    (
        "resource-mobilisation-strategy",
        "regional",
        "",
        "Estrategia de movilización de recursos",
        "Resource mobilisation strategy",
    ),
]


def add_default_types(InstrumentType) -> None:
    """Create the types that are missing (`InstrumentType`: the model, or
    its historical version in a migration)."""
    for order, (code, scope, indicator, name, name_en) in enumerate(INSTRUMENT_TYPES, start=1):
        InstrumentType.objects.get_or_create(
            code=code,
            defaults={
                "scope": scope,
                "indicator_code": indicator,
                "name": name,
                "name_en": name_en,
                "order": order,
            },
        )
