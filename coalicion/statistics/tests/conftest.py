import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from coalicion.statistics import actions, imports

VICTIM_COLUMNS = imports.columns_of("tip_victims_detected", "records")


def csv_upload(rows, columns=VICTIM_COLUMNS, name="victimas.csv", delimiter=","):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(columns)
    for row in rows:
        writer.writerow(row)
    return SimpleUploadedFile(name, buffer.getvalue().encode("utf-8"), content_type="text/csv")


def victim(
    country="CR",
    year=2024,
    sex="F",
    age="18-24",
    citizenship="CR",
    exploitation="sexual",
    source="police",
):
    return [
        country,
        year,
        sex,
        age,
        citizenship,
        country,
        country,
        exploitation,
        "internal",
        source,
    ]


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    """send(user, rows, measure=..., kind=...) -> the upload, imported (jobs run at once)."""

    def go(
        user, rows, *, measure="tip_victims_detected", kind="records", columns=None, name="f.csv"
    ):
        columns = columns or imports.columns_of(measure, kind)
        with django_capture_on_commit_callbacks(execute=True):
            upload = actions.start_import(
                actor=user,
                measure=measure,
                kind=kind,
                source="Ministerio Público",
                uploaded=csv_upload(rows, columns, name=name),
            )
        upload.refresh_from_db()
        return upload

    return go


def regional_rows():
    """Victims detected in 2024: Costa Rica 3 men and 40 women, Guatemala 30
    and 30, Honduras 25 and 20: Costa Rica's men are a small count."""
    rows = []
    for country, women, men in (("CR", 40, 3), ("GT", 30, 30), ("HN", 20, 25)):
        rows += [victim(country=country, sex="F") for _ in range(women)]
        rows += [victim(country=country, sex="M", age="25-34") for _ in range(men)]
    return rows


@pytest.fixture
def regional(users, send):
    return send(users["secretariat"], regional_rows())
