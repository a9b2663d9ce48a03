"""Synthetic demo statistics: invented figures for the member countries and
recent years, through the import actions, with small counts so that
disclosure control shows (hidden cells in most tables).

`create_demo_data()` is idempotent: it does nothing once demo statistics
exist. The files are sent by an inactive system account of the demo domain
(production refuses to start while demo accounts exist).
"""

import csv
import io
import random

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from coalicion.statistics import actions, imports
from coalicion.statistics.codes import AgeBand, Exploitation, Measure, Scope, Sex, SourceType

SOURCE = "Datos sintéticos de demostración"
YEARS = (2021, 2022, 2023, 2024)
# Victims detected a year, roughly: large and small countries, so that some
# tables are mostly published and others mostly hidden.
SIZES = {"MX": 260, "GT": 120, "HN": 70, "SV": 60, "CR": 45, "PA": 35, "DO": 40, "NI": 20, "BZ": 8}
NEIGHBOURS = ["NI", "HN", "GT", "SV", "VE", "CO", "CU", "HT", "CN", "VN"]
SEED = 2018


def _rng(*parts) -> random.Random:
    # Synthetic data, not security: the same figures on every machine.
    return random.Random("-".join(str(p) for p in parts))  # noqa: S311  # nosec B311


def _weighted(rng, choices):
    values, weights = zip(*choices, strict=True)
    return rng.choices(values, weights=weights)[0]


def victim_rows(*, measure: str, years=None, sizes=None, seed=SEED) -> list[dict]:
    rows = []
    years = years or YEARS
    for code, size in (sizes or SIZES).items():
        for year in years:
            rng = _rng(seed, measure, code, year)
            count = max(1, int(size * rng.uniform(0.7, 1.3)))
            for _person in range(count):
                foreign = rng.random() < 0.35
                rows.append(
                    {
                        "country": code,
                        "year": year,
                        "sex": _weighted(rng, [(Sex.FEMALE, 70), (Sex.MALE, 27), (Sex.UNKNOWN, 3)]),
                        "age_band": _weighted(
                            rng,
                            [
                                (AgeBand.AGE_0_11, 6),
                                (AgeBand.AGE_12_17, 22),
                                (AgeBand.AGE_18_24, 30),
                                (AgeBand.AGE_25_34, 25),
                                (AgeBand.AGE_35_49, 10),
                                (AgeBand.UNKNOWN, 7),
                            ],
                        ),
                        "citizenship": rng.choice(NEIGHBOURS) if foreign else code,
                        "detection_country": code,
                        "exploitation_country": code,
                        "exploitation": _weighted(
                            rng,
                            [
                                (Exploitation.SEXUAL, 55),
                                (Exploitation.FORCED_LABOUR, 25),
                                (Exploitation.BEGGING, 5),
                                (Exploitation.FORCED_MARRIAGE, 3),
                                (Exploitation.CRIMINAL_ACTIVITY, 4),
                                (Exploitation.MIXED, 3),
                                (Exploitation.UNKNOWN, 5),
                            ],
                        ),
                        "scope": Scope.TRANSNATIONAL if foreign else Scope.INTERNAL,
                        "source_type": _weighted(
                            rng,
                            [
                                (SourceType.POLICE, 40),
                                (SourceType.PROSECUTION, 25),
                                (SourceType.VICTIM_SERVICES, 20),
                                (SourceType.NGO, 10),
                                (SourceType.MIGRATION, 5),
                            ],
                        ),
                    }
                )
    return rows


def conviction_rows(*, years=None, sizes=None, seed=SEED) -> list[dict]:
    rows = []
    years = years or YEARS
    for code, size in (sizes or SIZES).items():
        for year in years:
            rng = _rng(seed, "convicted", code, year)
            for sex in (Sex.FEMALE, Sex.MALE):
                for citizenship in (code, "XX"):
                    count = rng.randint(0, max(1, size // 10))
                    rows.append(
                        {
                            "country": code,
                            "year": year,
                            "sex": sex,
                            "age_group": "adult",
                            "citizenship": citizenship,
                            "count": count,
                        }
                    )
    return rows


def csv_file(name: str, columns: list[str], rows: list[dict]) -> SimpleUploadedFile:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return SimpleUploadedFile(name, buffer.getvalue().encode("utf-8"), content_type="text/csv")


def send(*, actor, measure: str, kind: str, rows: list[dict], allowed: set[str]):
    columns = imports.columns_of(measure, kind)
    uploaded = csv_file(f"demo-{measure}.csv", columns, rows)
    return actions.receive_file(
        actor=actor, allowed=allowed, measure=measure, kind=kind, source=SOURCE, uploaded=uploaded
    )


def create_demo_data() -> None:
    from coalicion.statistics.models import Batch

    if Batch.objects.filter(upload__source=SOURCE).exists():
        return
    from coalicion.core.demo import demo_user

    actor = demo_user("secretariat")  # the Secretariat sends the demo figures
    allowed = set(SIZES)
    with transaction.atomic():
        send(
            actor=actor,
            measure=Measure.TIP_VICTIMS_DETECTED,
            kind=imports.RECORDS,
            rows=victim_rows(measure=Measure.TIP_VICTIMS_DETECTED),
            allowed=allowed,
        )
        send(
            actor=actor,
            measure=Measure.TIP_CONVICTED,
            kind=imports.AGGREGATES,
            rows=conviction_rows(),
            allowed=allowed,
        )
