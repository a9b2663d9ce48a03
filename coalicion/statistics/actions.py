"""Every write of the statistics module: imports and the protected releases."""

import hashlib
import time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Max, Sum
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from coalicion.core.actions import Problems
from coalicion.membership.models import Country
from coalicion.membership.roles import roles_of
from coalicion.statistics import disclosure, imports
from coalicion.statistics.codes import CHARACTERISTICS, MEASURES, TOTAL, characteristics_of
from coalicion.statistics.models import (
    AggregateCell,
    Batch,
    Record,
    Release,
    ReleaseCell,
    Upload,
)

PROGRESS_EVERY = 5_000  # rows between two progress updates
CHUNK = 20_000  # rows per insert


def rules() -> disclosure.Rules:
    return disclosure.Rules(
        threshold=settings.STATISTICS_THRESHOLD,
        protection_level=settings.STATISTICS_PROTECTION_LEVEL,
    )


def countries_for(actor) -> set[str]:
    """The countries `actor` may send figures for: their own as a focal
    point; every member country for the Secretariat."""
    roles = roles_of(actor)
    codes = Country.objects.values_list("code", flat=True)
    own = set(codes.filter(pk__in=roles.focal_point_of))
    if roles.is_secretariat:
        return own | set(
            Country.objects.members(on=timezone.localdate()).values_list("code", flat=True)
        )
    return own


# Import ------------------------------------------------------------------------


def start_import(*, actor, measure: str, kind: str, source: str, uploaded) -> Upload:
    """Check a file's format and headings (refusing identifying columns by
    name before anything is stored), keep it and queue its reading. The
    rows may only be of the countries `actor` may send figures for."""
    return receive_file(
        actor=actor,
        allowed=countries_for(actor),
        measure=measure,
        kind=kind,
        source=source,
        uploaded=uploaded,
    )


def check_import(*, allowed: set[str], fields: dict) -> None:
    """Every reason `receive_file` refuses a file before storing it, raised
    together: an unknown measure or kind, offences sent as records, no
    country to send for, a file too large or with wrong headings (or
    identifying columns). The import form runs it with the values that
    passed its own rules; a rule whose value is missing is skipped."""
    problems = Problems()
    measure, kind, uploaded = fields.get("measure"), fields.get("kind"), fields.get("file")
    if "measure" in fields and measure not in MEASURES:
        problems.add(None, _("Unknown measure."))
    if "kind" in fields and kind not in (imports.RECORDS, imports.AGGREGATES):
        problems.add(None, _("Unknown kind of data."))
    elif kind == imports.RECORDS and measure in MEASURES and MEASURES[measure].unit != "persons":
        problems.add("kind", _("Offences are sent as aggregate tables, not as records."))
    if not allowed:
        problems.add(None, _("You may not send statistics for any country."))
    if uploaded is not None:
        known = (
            measure in MEASURES
            and kind in (imports.RECORDS, imports.AGGREGATES)
            and "kind" not in problems.fields()
        )
        problems.run(_check_file, uploaded, measure=measure, kind=kind, known=known)
    problems.raise_all()


def _check_file(uploaded, *, measure: str, kind: str, known: bool) -> None:
    """Size, then headings (for a `known` measure and kind only)."""
    file_format = imports.detect_format(uploaded)
    limit = imports.MAX_XLSX_BYTES if file_format == imports.XLSX else imports.MAX_CSV_BYTES
    if uploaded.size > limit:
        raise ValidationError(
            {"file": _("The file is too large: the limit is %(mb)s MB.") % {"mb": limit // 2**20}}
        )
    if not known:
        return
    try:
        headings = imports.read_headings(uploaded, file_format)
        imports.check_headings(headings, measure=measure, kind=kind)
    except imports.FileRefused as refused:
        raise ValidationError({"file": str(refused)}) from refused


def receive_file(
    *, actor, allowed: set[str], measure: str, kind: str, source: str, uploaded
) -> Upload:
    """:func:`start_import` for the countries `allowed` (the demo data and
    the benchmarks send files as the system)."""
    check_import(allowed=allowed, fields={"measure": measure, "kind": kind, "file": uploaded})
    file_format = imports.detect_format(uploaded)
    from coalicion.core.uploads import files_and_rows, store_upload

    with files_and_rows():
        upload = Upload(
            measure=measure,
            kind=kind,
            source=source.strip(),
            file_format=file_format,
            content_type=(
                "text/csv" if file_format == imports.CSV else "application/vnd.openxmlformats"
            ),
            allowed_countries=sorted(allowed),
            language=translation.get_language() or settings.LANGUAGE_CODE,
        )
        store_upload(upload, uploaded, user=actor)
        upload.save()
        from coalicion.statistics.jobs import import_upload

        transaction.on_commit(lambda: import_upload.enqueue(upload.pk))
    return upload


def _progress(upload: Upload, **fields) -> None:
    Upload.objects.filter(pk=upload.pk).update(**fields)


def run_import(*, upload_id: int) -> Upload:
    """Read an upload twice, streamed: first every row is checked (nothing
    is written if any row is wrong), then the rows are saved as new versions
    of their country-year batches, switched to current in one transaction."""
    upload = Upload.objects.get(pk=upload_id)
    if upload.is_finished:
        return upload
    with translation.override(upload.language):
        _run(upload)
    upload.refresh_from_db()
    return upload


def _run(upload: Upload) -> None:
    try:
        groups = _check_rows(upload)
        if groups is not None:
            _save_rows(upload, groups)
    except imports.FileRefused as refused:
        _fail(upload, [str(refused)], 1)
    except Exception:
        _fail(upload, [_("The file could not be imported because of an internal error.")], 1)
        raise
    finally:
        if upload.file:
            upload.file.delete(save=False)
            Upload.objects.filter(pk=upload.pk).update(file="")


def _fail(upload: Upload, messages: list[str], count: int) -> None:
    Batch.objects.filter(upload=upload, status=Batch.Status.LOADING).delete()
    _progress(
        upload,
        status=Upload.Status.FAILED,
        errors=messages[: imports.MAX_MESSAGES],
        error_count=count,
        finished_at=timezone.now(),
    )


def _checker(upload: Upload) -> imports.RowChecker:
    today = timezone.localdate()
    return imports.RowChecker(
        measure=upload.measure,
        kind=upload.kind,
        allowed=set(upload.allowed_countries),
        countries=set(Country.objects.values_list("code", flat=True)),
        members=set(Country.objects.members(on=today).values_list("code", flat=True)),
        this_year=timezone.localdate().year,
    )


def _check_rows(upload: Upload) -> dict[tuple[str, int], int] | None:
    """Pass 1: {(country, year): rows}, or None after recording every bad row."""
    _progress(upload, status=Upload.Status.CHECKING, rows_read=0)
    checker = _checker(upload)
    groups: dict[tuple[str, int], int] = {}
    messages: list[str] = []
    bad_rows = 0
    seen: dict[tuple, int] = {}
    read = 0
    with upload.file.open("rb") as handle:
        for number, headings, values in imports.rows(handle, upload.file_format):
            if number == 1:
                imports.check_headings(headings, measure=upload.measure, kind=upload.kind)
                continue
            read += 1
            fields, errors = checker.check(number, values)
            if errors:
                bad_rows += 1
                if len(messages) < imports.MAX_MESSAGES:
                    messages.extend(error.message() for error in errors)
            elif upload.kind == imports.AGGREGATES:
                combination = tuple(v for k, v in sorted(fields.items()) if k != "count")
                if combination in seen:
                    bad_rows += 1
                    if len(messages) < imports.MAX_MESSAGES:
                        messages.append(
                            _(
                                "Row %(row)s repeats the combination of codes of row %(first)s: "
                                "each combination must appear once."
                            )
                            % {"row": number, "first": seen[combination]}
                        )
                seen[combination] = number
            if not errors:
                key = (fields["country"], fields["year"])
                groups[key] = groups.get(key, 0) + 1
            if read % PROGRESS_EVERY == 0:
                _progress(upload, rows_read=read)
    _progress(upload, rows_read=read, rows_total=read)
    if read == 0:
        _fail(upload, [_("The file has no rows under its headings.")], 1)
        return None
    if bad_rows:
        _fail(upload, messages, bad_rows)
        return None
    return groups


RECORD_COLUMNS = (
    "batch_id",
    "sex",
    "age_band",
    "age_group",
    "citizenship",
    "citizenship_group",
    "detection_country",
    "exploitation_country",
    "exploitation",
    "scope",
    "source_type",
)
AGGREGATE_COLUMNS = (
    "batch_id",
    "sex",
    "age_group",
    "citizenship",
    "citizenship_group",
    "exploitation",
    "scope",
    "source_type",
    "count",
)


def _save_rows(upload: Upload, groups: dict[tuple[str, int], int]) -> None:
    """Pass 2: new batches (being saved, invisible), their rows inserted in
    chunks, then all switched to current at once."""
    _progress(upload, status=Upload.Status.SAVING, rows_saved=0)
    countries = {c.code: c for c in Country.objects.filter(code__in={c for c, _y in groups})}
    batches: dict[tuple[str, int], Batch] = {}
    try:
        for (code, year), count in sorted(groups.items()):
            latest = Batch.objects.filter(
                country=countries[code], year=year, measure=upload.measure
            ).aggregate(latest=Max("version"))["latest"]
            batches[(code, year)] = Batch.objects.create(
                upload=upload,
                country=countries[code],
                year=year,
                measure=upload.measure,
                version=(latest or 0) + 1,
                rows=count,
            )
    except IntegrityError:
        _fail(
            upload,
            [_("Another file for the same country and year was being saved: send it again.")],
            1,
        )
        return
    records = upload.kind == imports.RECORDS
    model = Record if records else AggregateCell
    columns = RECORD_COLUMNS if records else AGGREGATE_COLUMNS
    checker = _checker(upload)
    totals = dict.fromkeys(batches, 0)
    chunk: list[tuple] = []
    saved = 0
    with upload.file.open("rb") as handle:
        for number, _headings, values in imports.rows(handle, upload.file_format):
            if number == 1:
                continue
            fields, _errors = checker.check(number, values)
            key = (fields["country"], fields["year"])
            fields["batch_id"] = batches[key].pk
            totals[key] += fields.get("count", 1)
            chunk.append(tuple(fields.get(column, "") for column in columns))
            if len(chunk) >= CHUNK:
                saved += _insert(model, columns, chunk)
                chunk = []
                _progress(upload, rows_saved=saved)
    saved += _insert(model, columns, chunk)
    with transaction.atomic():
        for key, batch in batches.items():
            Batch.objects.filter(
                country=batch.country, year=batch.year, measure=batch.measure, status="current"
            ).update(status=Batch.Status.SUPERSEDED)
            batch.status = Batch.Status.CURRENT
            batch.total = totals[key]
            batch.save(update_fields=["status", "total"])
        _progress(upload, status=Upload.Status.DONE, rows_saved=saved, finished_at=timezone.now())
        from coalicion.statistics.jobs import protect_measure_year

        for year in sorted({year for _code, year in batches}):
            transaction.on_commit(
                lambda year=year: protect_measure_year.enqueue(upload.measure, year)
            )


def _insert(model, columns: tuple[str, ...], rows: list[tuple]) -> int:
    """Insert rows fast: PostgreSQL COPY, elsewhere one executemany per chunk."""
    if not rows:
        return 0
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(column) for column in columns)
    if connection.vendor == "postgresql":
        with (
            connection.cursor() as cursor,
            cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(row)
    else:
        marks = ", ".join(["%s"] * len(columns))
        with transaction.atomic(), connection.cursor() as cursor:
            # The table and column names are the model's own, quoted; the
            # values go as parameters.
            statement = f"INSERT INTO {table} ({names}) VALUES ({marks})"  # noqa: S608  # nosec B608
            cursor.executemany(statement, rows)
    return len(rows)


# Protection --------------------------------------------------------------------


def inner_counts(*, measure: str, year: int, batches=None) -> dict[tuple[str, ...], int]:
    """The counts of every combination of country and characteristics in the
    current batches of `measure` and `year` (two GROUP BY queries)."""
    characteristics = characteristics_of(measure)
    if batches is None:
        batches = Batch.objects.filter(measure=measure, year=year, status=Batch.Status.CURRENT)
    group = ["batch__country__code", *characteristics]
    counts: dict[tuple[str, ...], int] = {}
    for model, amount in ((Record, Count("id")), (AggregateCell, Sum("count"))):
        rows = (
            model.objects.filter(batch__in=batches)
            .values_list(*group)
            .annotate(n=amount)
            .order_by()
        )
        for *key, n in rows:
            if n:
                counts[tuple(key)] = counts.get(tuple(key), 0) + int(n)
    return counts


def _fingerprint(batch_ids: list[int], used: disclosure.Rules) -> str:
    text = f"{sorted(batch_ids)}|{used.threshold}|{used.protection_level}|{disclosure.MAX_CROSSED}"
    return hashlib.sha256(text.encode()).hexdigest()


def protect_statistics(*, measure: str, year: int, force: bool = False) -> Release | None:
    """Make the protected release of one measure and year from its current
    batches, unless the current release already is of this data version."""
    used = rules()
    batches = list(Batch.objects.filter(measure=measure, year=year, status=Batch.Status.CURRENT))
    fingerprint = _fingerprint([b.pk for b in batches], used)
    current = Release.objects.filter(measure=measure, year=year, is_current=True).first()
    if current is not None and current.fingerprint == fingerprint and not force:
        return current
    if not batches:
        Release.objects.filter(measure=measure, year=year).update(is_current=False)
        return None
    started = time.perf_counter()
    dimensions = ("country", *characteristics_of(measure))
    table = disclosure.Table(dimensions, inner_counts(measure=measure, year=year, batches=batches))
    protection = disclosure.protect(table, used)
    seconds = time.perf_counter() - started
    try:
        with transaction.atomic():
            Release.objects.filter(measure=measure, year=year, is_current=True).update(
                is_current=False
            )
            release = Release.objects.create(
                measure=measure,
                year=year,
                fingerprint=fingerprint,
                threshold=used.threshold,
                protection_level=used.protection_level,
                is_current=True,
                solves=protection.solves,
                seconds=seconds,
            )
            release.batches.set(batches)
            ReleaseCell.objects.bulk_create(
                [
                    _release_cell(release, dimensions, key, cell)
                    for key, cell in protection.cells.items()
                ],
                batch_size=2000,
            )
    except IntegrityError:
        # Another job stored a release of this measure and year at the same
        # time; its fingerprint says which data version it protected.
        return Release.objects.filter(measure=measure, year=year, is_current=True).first()
    return release


def _release_cell(release, dimensions, key, cell) -> ReleaseCell:
    codes = dict(zip(dimensions, key, strict=True))
    fields = {name: codes.get(name, TOTAL) for name in CHARACTERISTICS}
    return ReleaseCell(
        release=release,
        country=codes["country"],
        value=cell.value,
        status=str(cell.status),
        **fields,
    )


def protect_all(*, force: bool = False) -> list[Release]:
    """Every measure and year that has data (after a change of the rules)."""
    pairs = (
        Batch.objects.filter(status=Batch.Status.CURRENT)
        .values_list("measure", "year")
        .distinct()
        .order_by("measure", "year")
    )
    releases = []
    for measure, year in pairs:
        release = protect_statistics(measure=measure, year=year, force=force)
        if release is not None:
            releases.append(release)
    return releases
