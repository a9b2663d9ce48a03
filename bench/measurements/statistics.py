"""Statistics (issue 16): a million-record import and a protected pivot.

`stats_import` writes a CSV of 1,000,000 de-identified records (victims
detected) over the nine member countries and ten years, streamed to a
temporary file, and imports it through the module's own path
(`actions.receive_file`, then `actions.run_import` as the job does): both
passes over the file, the batches and the rows (PostgreSQL COPY, or
batched inserts on SQLite). Reported: the time (one run: it is a million
rows), `mb_rss` — how much the process's peak resident memory grew during the
import (bounded memory: the file is never held whole) — and `mb_file`.

`stats_protect` makes the protected release of the last year (100,000
records): primary and secondary suppression over all its linked tables.

`stats_pivot` is the explorer's pivot country × sex for that year as the
public sees it (served from the protected release), `stats_pivot_full` the
same pivot as the Secretariat sees it (exact counts from the records), and
`stats_pivot_sql` the plain SQL GROUP BY of the same pivot over the records;
`ratio` = pivot ÷ SQL.
"""

import csv
import os
import random
import resource
import tempfile
import time
from pathlib import Path

from django.core.files import File
from django.db import connection
from django.test.utils import override_settings

from bench import Context, Measured, Skip, measurement, time_it

RECORDS = 1_000_000
COUNTRIES = ("BZ", "CR", "SV", "GT", "HN", "MX", "NI", "PA", "DO")
MEASURE = "tip_victims_detected"
SEED = 2018
PIVOT_SQL = """
SELECT c.code, r.sex, COUNT(*)
FROM statistics_record r
JOIN statistics_batch b ON b.id = r.batch_id
JOIN membership_country c ON c.id = b.country_id
WHERE b.measure = %s AND b.status = 'current' AND b.year = %s
GROUP BY c.code, r.sex
"""


def years(context: Context) -> list[int]:
    last = context.as_of.year - 1
    return list(range(last - 9, last + 1))


def write_file(path: Path, context: Context) -> None:
    from coalicion.statistics import imports
    from coalicion.statistics.codes import AgeBand, Exploitation, Scope, Sex, SourceType

    # Synthetic data, not security: the same file on every machine.
    rng = random.Random(SEED)  # noqa: S311  # nosec B311
    all_years = years(context)
    weights = [30, 10, 8, 15, 10, 60, 6, 8, 9]
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(imports.columns_of(MEASURE, "records"))
        countries = rng.choices(COUNTRIES, weights=weights, k=RECORDS)
        for index, country in enumerate(countries):
            foreign = rng.random() < 0.3
            writer.writerow(
                (
                    country,
                    all_years[index % len(all_years)],
                    rng.choice((Sex.FEMALE, Sex.FEMALE, Sex.MALE, Sex.UNKNOWN)),
                    rng.choice(AgeBand.values),
                    rng.choice(COUNTRIES) if foreign else country,
                    country,
                    country,
                    rng.choice(Exploitation.values),
                    Scope.TRANSNATIONAL if foreign else Scope.INTERNAL,
                    rng.choice(SourceType.values),
                )
            )


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@measurement("stats_import")
def stats_import(context: Context) -> list[Measured]:
    from bench.measurements.meetings import secretariat_user
    from coalicion.statistics import actions
    from coalicion.statistics.models import Batch, Upload

    if Batch.objects.filter(measure=MEASURE, upload__source="bench").exists():
        raise Skip("the database already holds the benchmark's records")
    media = tempfile.mkdtemp(prefix="coalicion-bench-media-")
    folder = tempfile.mkdtemp(prefix="coalicion-bench-stats-")
    path = Path(folder) / "registros.csv"
    write_file(path, context)
    size_mb = path.stat().st_size / 2**20
    user = secretariat_user()
    # The jobs are run here, in this process, to time them; the queue is not used.
    with override_settings(
        MEDIA_ROOT=media,
        TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}},
    ):
        before = _peak_mb()
        start = time.perf_counter()
        with path.open("rb") as handle:
            upload = actions.receive_file(
                actor=user,
                allowed=set(COUNTRIES),
                measure=MEASURE,
                kind="records",
                source="bench",
                uploaded=File(handle, name="registros.csv"),
            )
        upload = actions.run_import(upload_id=upload.pk)
        seconds = time.perf_counter() - start
        grown = _peak_mb() - before
    os.remove(path)
    if upload.status != Upload.Status.DONE:
        raise RuntimeError(f"The benchmark import failed: {upload.errors[:3]}")
    return [
        Measured(
            "stats_import",
            seconds,
            0,
            {"rows": float(upload.rows_saved), "mb_rss": grown, "mb_file": size_mb},
        )
    ]


@measurement("stats_pivot")
def stats_pivot(context: Context) -> list[Measured]:
    from coalicion.statistics import actions, selectors
    from coalicion.statistics.models import Batch

    year = years(context)[-1]
    if not Batch.objects.filter(measure=MEASURE, year=year, status="current").exists():
        raise Skip("no statistics to pivot (run stats_import first)")
    start = time.perf_counter()
    release = actions.protect_statistics(measure=MEASURE, year=year)
    protect_seconds = time.perf_counter() - start
    query = selectors.Query(MEASURE, "country", "sex", {"year": str(year)})
    pivot, pivot_queries, result = time_it(
        lambda: selectors.explore(viewer=selectors.PUBLIC, query=query), context.runs
    )
    secretariat = selectors.Viewer(full_countries=frozenset(COUNTRIES), sees_all=True)
    full, full_queries, exact = time_it(
        lambda: selectors.explore(viewer=secretariat, query=query), context.runs
    )

    def plain_sql():
        with connection.cursor() as cursor:
            cursor.execute(PIVOT_SQL, [MEASURE, year])
            return cursor.fetchall()

    sql, sql_queries, rows = time_it(plain_sql, context.runs)
    # The figures must agree: the exact pivot equals the SQL, and every
    # figure the public sees equals it too.
    counts = {(code, sex): n for code, sex, n in rows}
    for (code, sex), n in counts.items():
        if exact.cells[(code, sex)].value != n:
            raise RuntimeError(f"Pivot and SQL disagree on {code} {sex}.")
        figure = result.cells[(code, sex)]
        if figure.value is not None and figure.value != n:
            raise RuntimeError(f"A published figure is wrong: {code} {sex}.")
    hidden = sum(1 for figure in result.cells.values() if figure.state == "hidden")
    return [
        Measured(
            "stats_protect",
            protect_seconds,
            0,
            {"cells": float(release.cells.count()), "solves": float(release.solves)},
        ),
        Measured("stats_pivot", pivot, pivot_queries, {"ratio": pivot / sql, "hidden": hidden}),
        Measured("stats_pivot_full", full, full_queries, {"ratio": full / sql}),
        Measured("stats_pivot_sql", sql, sql_queries),
    ]


@measurement("stats_protect_small")
def stats_protect_small(context: Context) -> list[Measured]:
    """Protection where it has work to do: the demo's victims of one year
    (nine countries, about 650 records, many small cells)."""
    from coalicion.statistics import actions, demo, disclosure
    from coalicion.statistics.codes import characteristics_of

    rows = demo.victim_rows(measure=MEASURE, years=(years(context)[-1],))
    checker_fields = (
        "sex",
        "age_group",
        "citizenship_group",
        "exploitation",
        "scope",
        "source_type",
    )
    counts: dict[tuple, int] = {}
    groups = {"0-11": "child", "12-17": "child", "unknown": "unknown"}
    for row in rows:
        values = dict(row)
        values["age_group"] = groups.get(row["age_band"], "adult")
        values["citizenship_group"] = (
            "national" if row["citizenship"] == row["country"] else "other"
        )
        key = (row["country"], *(str(values[name]) for name in checker_fields))
        counts[key] = counts.get(key, 0) + 1
    dimensions = ("country", *characteristics_of(MEASURE))
    table = disclosure.Table(dimensions, counts)
    start = time.perf_counter()
    protection = disclosure.protect(table, actions.rules())
    seconds = time.perf_counter() - start
    primary = sum(1 for cell in protection.cells.values() if cell.status == "primary")
    start = time.perf_counter()
    report = disclosure.audit(
        dimensions=dimensions,
        counts=counts,
        published={key: cell.value for key, cell in protection.cells.items()},
        rules=actions.rules(),
    )
    audit_seconds = time.perf_counter() - start
    if report.failures:
        raise RuntimeError(f"The audit failed on {len(report.failures)} cells.")
    return [
        Measured(
            "stats_protect_small",
            seconds,
            0,
            {
                "records": float(len(rows)),
                "primary": float(primary),
                "hidden": float(len(protection.hidden)),
                "solves": float(protection.solves),
            },
        ),
        Measured("stats_audit_small", audit_seconds, 0, {"solves": float(report.solves)}),
    ]
