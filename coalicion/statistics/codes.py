"""The code lists of the regional statistics and the measures that use them.

Grounded in the Human Trafficking Case Data Standard (HTCDS, IOM/Polaris/
Liberty Asia) and in the categories of UNODC's Global Report on Trafficking
in Persons (GLOTIP) and its data collection form (UN-CTS / GLOTIP
questionnaire); docs/statistics-codes.md gives each code its source. These
are international standards, not plan data: they live in code, their labels
are interface strings translated like the rest of the interface.

A *dimension* is a characteristic a figure can be broken down by. The
published ones are the reporting country, the year and the characteristics
of each measure (sex, age group, citizenship group, form of exploitation,
scope, type of source). Finer codes kept on the records (the age band, the
citizenship, the countries of detection and exploitation) are never
published as such: they are validated, kept for the owning country and
folded into the published groups.
"""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

# The code a published cell carries for a dimension it sums over.
TOTAL = "_T"


class Sex(models.TextChoices):
    FEMALE = "F", _("Female")
    MALE = "M", _("Male")
    OTHER = "X", _("Other or non-binary")
    UNKNOWN = "U", _("Sex unknown")


class AgeBand(models.TextChoices):
    """Age at detection, in the bands kept on the records (HTCDS asks for the
    age at identification; GLOTIP publishes child / adult)."""

    AGE_0_11 = "0-11", _("0 to 11 years")
    AGE_12_17 = "12-17", _("12 to 17 years")
    AGE_18_24 = "18-24", _("18 to 24 years")
    AGE_25_34 = "25-34", _("25 to 34 years")
    AGE_35_49 = "35-49", _("35 to 49 years")
    AGE_50_PLUS = "50+", _("50 years or more")
    UNKNOWN = "unknown", _("Age unknown")


class AgeGroup(models.TextChoices):
    """The published age groups (GLOTIP: children under 18 and adults)."""

    CHILD = "child", _("Child (under 18)")
    ADULT = "adult", _("Adult (18 or more)")
    UNKNOWN = "unknown", _("Age unknown")


AGE_GROUP_OF_BAND = {
    AgeBand.AGE_0_11: AgeGroup.CHILD,
    AgeBand.AGE_12_17: AgeGroup.CHILD,
    AgeBand.AGE_18_24: AgeGroup.ADULT,
    AgeBand.AGE_25_34: AgeGroup.ADULT,
    AgeBand.AGE_35_49: AgeGroup.ADULT,
    AgeBand.AGE_50_PLUS: AgeGroup.ADULT,
    AgeBand.UNKNOWN: AgeGroup.UNKNOWN,
}


class CitizenshipGroup(models.TextChoices):
    """Citizenship as published: relative to the reporting country (GLOTIP
    distinguishes domestic and foreign victims and their region of origin)."""

    NATIONAL = "national", _("Citizen of the reporting country")
    COALITION = "coalition", _("Citizen of another Coalition country")
    OTHER = "other", _("Citizen of another country")
    UNKNOWN = "unknown", _("Citizenship unknown")


class Exploitation(models.TextChoices):
    """Form of exploitation (GLOTIP's categories; HTCDS "type of exploitation")."""

    SEXUAL = "sexual", _("Sexual exploitation")
    FORCED_LABOUR = "forced_labour", _("Forced labour or services")
    CRIMINAL_ACTIVITY = "criminal_activity", _("Forced criminal activity")
    BEGGING = "begging", _("Forced begging")
    FORCED_MARRIAGE = "forced_marriage", _("Forced marriage")
    ORGAN_REMOVAL = "organ_removal", _("Removal of organs")
    SLAVERY = "slavery", _("Slavery or practices similar to slavery")
    MIXED = "mixed", _("Mixed forms of exploitation")
    OTHER = "other", _("Other form of exploitation")
    UNKNOWN = "unknown", _("Form of exploitation unknown")


class Scope(models.TextChoices):
    """Internal (within the victim's own country) or transnational (GLOTIP:
    domestic / cross-border flows; HTCDS "internal vs international")."""

    INTERNAL = "internal", _("Internal (within one country)")
    TRANSNATIONAL = "transnational", _("Transnational (across borders)")
    UNKNOWN = "unknown", _("Scope unknown")


class SourceType(models.TextChoices):
    """The kind of organisation that recorded the case (HTCDS "data source")."""

    POLICE = "police", _("Police or law enforcement")
    PROSECUTION = "prosecution", _("Public prosecution")
    JUDICIARY = "judiciary", _("Courts")
    MIGRATION = "migration", _("Migration authority")
    LABOUR = "labour", _("Labour inspection")
    VICTIM_SERVICES = "victim_services", _("Government victim services")
    CHILD_PROTECTION = "child_protection", _("Child protection authority")
    NGO = "ngo", _("Non-governmental organisation")
    INTERNATIONAL = "international", _("International organisation")
    OTHER = "other", _("Other source")


class Crime(models.TextChoices):
    TRAFFICKING = "tip", _("Trafficking in persons")
    SMUGGLING = "som", _("Smuggling of migrants")


class Measure(models.TextChoices):
    """What is counted. The criminal-justice measures exist for both crimes."""

    TIP_VICTIMS_DETECTED = "tip_victims_detected", _("Victims of trafficking detected")
    TIP_VICTIMS_IDENTIFIED = "tip_victims_identified", _("Victims of trafficking identified")
    TIP_VICTIMS_ASSISTED = "tip_victims_assisted", _("Victims of trafficking assisted")
    TIP_OFFENCES = "tip_offences", _("Trafficking offences recorded")
    TIP_INVESTIGATED = "tip_investigated", _("Persons investigated for trafficking")
    TIP_PROSECUTED = "tip_prosecuted", _("Persons prosecuted for trafficking")
    TIP_CONVICTED = "tip_convicted", _("Persons convicted of trafficking")
    SOM_MIGRANTS = "som_migrants", _("Smuggled migrants identified")
    SOM_OFFENCES = "som_offences", _("Smuggling offences recorded")
    SOM_INVESTIGATED = "som_investigated", _("Persons investigated for smuggling")
    SOM_PROSECUTED = "som_prosecuted", _("Persons prosecuted for smuggling")
    SOM_CONVICTED = "som_convicted", _("Persons convicted of smuggling")


@dataclass(frozen=True)
class Dimension:
    """A published dimension: its code, label, and the codes it takes (None:
    the reporting countries, from the data)."""

    code: str
    label: str
    choices: type[models.TextChoices] | None


COUNTRY = "country"
YEAR = "year"
DIMENSIONS = {
    COUNTRY: Dimension(COUNTRY, _("Reporting country"), None),
    YEAR: Dimension(YEAR, _("Year"), None),
    "sex": Dimension("sex", _("Sex"), Sex),
    "age_group": Dimension("age_group", _("Age group"), AgeGroup),
    "citizenship_group": Dimension("citizenship_group", _("Citizenship"), CitizenshipGroup),
    "exploitation": Dimension("exploitation", _("Form of exploitation"), Exploitation),
    "scope": Dimension("scope", _("Internal or transnational"), Scope),
    "source_type": Dimension("source_type", _("Type of source"), SourceType),
}
# Every characteristic a record or an aggregate row may carry, in a fixed order
# (the columns of the tables and of the protected cells).
CHARACTERISTICS = (
    "sex",
    "age_group",
    "citizenship_group",
    "exploitation",
    "scope",
    "source_type",
)

_PERSONS = ("sex", "age_group", "citizenship_group", "source_type")
_VICTIMS = ("sex", "age_group", "citizenship_group", "exploitation", "scope", "source_type")
_OFFENDERS = ("sex", "age_group", "citizenship_group")


@dataclass(frozen=True)
class MeasureInfo:
    crime: str
    characteristics: tuple[str, ...]  # the published dimensions besides country and year
    unit: str  # "persons" or "offences"


MEASURES: dict[str, MeasureInfo] = {
    Measure.TIP_VICTIMS_DETECTED: MeasureInfo(Crime.TRAFFICKING, _VICTIMS, "persons"),
    Measure.TIP_VICTIMS_IDENTIFIED: MeasureInfo(Crime.TRAFFICKING, _VICTIMS, "persons"),
    Measure.TIP_VICTIMS_ASSISTED: MeasureInfo(Crime.TRAFFICKING, _VICTIMS, "persons"),
    Measure.TIP_OFFENCES: MeasureInfo(
        Crime.TRAFFICKING, ("exploitation", "source_type"), "offences"
    ),
    Measure.TIP_INVESTIGATED: MeasureInfo(Crime.TRAFFICKING, _OFFENDERS, "persons"),
    Measure.TIP_PROSECUTED: MeasureInfo(Crime.TRAFFICKING, _OFFENDERS, "persons"),
    Measure.TIP_CONVICTED: MeasureInfo(Crime.TRAFFICKING, _OFFENDERS, "persons"),
    Measure.SOM_MIGRANTS: MeasureInfo(Crime.SMUGGLING, _PERSONS, "persons"),
    Measure.SOM_OFFENCES: MeasureInfo(Crime.SMUGGLING, ("source_type",), "offences"),
    Measure.SOM_INVESTIGATED: MeasureInfo(Crime.SMUGGLING, _OFFENDERS, "persons"),
    Measure.SOM_PROSECUTED: MeasureInfo(Crime.SMUGGLING, _OFFENDERS, "persons"),
    Measure.SOM_CONVICTED: MeasureInfo(Crime.SMUGGLING, _OFFENDERS, "persons"),
}

# Only persons are recorded one by one (de-identified records); offences come
# as aggregate tables.
RECORD_MEASURES = tuple(m for m, info in MEASURES.items() if info.unit == "persons")


def characteristics_of(measure: str) -> tuple[str, ...]:
    return MEASURES[measure].characteristics


def dimensions_of(measure: str) -> tuple[str, ...]:
    """The dimensions of a measure's protected tables (the year apart): the
    country first, then its characteristics."""
    return (COUNTRY, *characteristics_of(measure))


def label_of(dimension: str, code: str) -> str:
    """The plain-language label of a code (the country's and year's are their own)."""
    choices = DIMENSIONS[dimension].choices
    if choices is None or code == TOTAL:
        return code
    try:
        return str(choices(code).label)
    except ValueError:
        return code


def codes_of(dimension: str) -> list[str]:
    choices = DIMENSIONS[dimension].choices
    return [] if choices is None else list(choices.values)


# ISO 3166-1 alpha-2, officially assigned codes (citizenship, countries of
# detection and exploitation).
ISO_COUNTRIES = frozenset(
    [
        "AD",
        "AE",
        "AF",
        "AG",
        "AI",
        "AL",
        "AM",
        "AO",
        "AQ",
        "AR",
        "AS",
        "AT",
        "AU",
        "AW",
        "AX",
        "AZ",
        "BA",
        "BB",
        "BD",
        "BE",
        "BF",
        "BG",
        "BH",
        "BI",
        "BJ",
        "BL",
        "BM",
        "BN",
        "BO",
        "BQ",
        "BR",
        "BS",
        "BT",
        "BV",
        "BW",
        "BY",
        "BZ",
        "CA",
        "CC",
        "CD",
        "CF",
        "CG",
        "CH",
        "CI",
        "CK",
        "CL",
        "CM",
        "CN",
        "CO",
        "CR",
        "CU",
        "CV",
        "CW",
        "CX",
        "CY",
        "CZ",
        "DE",
        "DJ",
        "DK",
        "DM",
        "DO",
        "DZ",
        "EC",
        "EE",
        "EG",
        "EH",
        "ER",
        "ES",
        "ET",
        "FI",
        "FJ",
        "FK",
        "FM",
        "FO",
        "FR",
        "GA",
        "GB",
        "GD",
        "GE",
        "GF",
        "GG",
        "GH",
        "GI",
        "GL",
        "GM",
        "GN",
        "GP",
        "GQ",
        "GR",
        "GS",
        "GT",
        "GU",
        "GW",
        "GY",
        "HK",
        "HM",
        "HN",
        "HR",
        "HT",
        "HU",
        "ID",
        "IE",
        "IL",
        "IM",
        "IN",
        "IO",
        "IQ",
        "IR",
        "IS",
        "IT",
        "JE",
        "JM",
        "JO",
        "JP",
        "KE",
        "KG",
        "KH",
        "KI",
        "KM",
        "KN",
        "KP",
        "KR",
        "KW",
        "KY",
        "KZ",
        "LA",
        "LB",
        "LC",
        "LI",
        "LK",
        "LR",
        "LS",
        "LT",
        "LU",
        "LV",
        "LY",
        "MA",
        "MC",
        "MD",
        "ME",
        "MF",
        "MG",
        "MH",
        "MK",
        "ML",
        "MM",
        "MN",
        "MO",
        "MP",
        "MQ",
        "MR",
        "MS",
        "MT",
        "MU",
        "MV",
        "MW",
        "MX",
        "MY",
        "MZ",
        "NA",
        "NC",
        "NE",
        "NF",
        "NG",
        "NI",
        "NL",
        "NO",
        "NP",
        "NR",
        "NU",
        "NZ",
        "OM",
        "PA",
        "PE",
        "PF",
        "PG",
        "PH",
        "PK",
        "PL",
        "PM",
        "PN",
        "PR",
        "PS",
        "PT",
        "PW",
        "PY",
        "QA",
        "RE",
        "RO",
        "RS",
        "RU",
        "RW",
        "SA",
        "SB",
        "SC",
        "SD",
        "SE",
        "SG",
        "SH",
        "SI",
        "SJ",
        "SK",
        "SL",
        "SM",
        "SN",
        "SO",
        "SR",
        "SS",
        "ST",
        "SV",
        "SX",
        "SY",
        "SZ",
        "TC",
        "TD",
        "TF",
        "TG",
        "TH",
        "TJ",
        "TK",
        "TL",
        "TM",
        "TN",
        "TO",
        "TR",
        "TT",
        "TV",
        "TW",
        "TZ",
        "UA",
        "UG",
        "UM",
        "US",
        "UY",
        "UZ",
        "VA",
        "VC",
        "VE",
        "VG",
        "VI",
        "VN",
        "VU",
        "WF",
        "WS",
        "YE",
        "YT",
        "ZA",
        "ZM",
        "ZW",
    ]
)
# "Unknown" for a country column (ISO 3166 user-assigned code, as UN-CTS uses).
UNKNOWN_COUNTRY = "XX"
