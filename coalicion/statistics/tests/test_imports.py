import io

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from coalicion.statistics import actions, imports
from coalicion.statistics.models import AggregateCell, Batch, Record, Release, Upload
from coalicion.statistics.tests.conftest import csv_upload, victim


def test_a_valid_file_becomes_the_current_batch_of_each_country_year(users, send):
    rows = [victim() for _ in range(12)] + [victim(year=2023) for _ in range(5)]
    upload = send(users["focal_point"], rows)
    assert upload.status == Upload.Status.DONE
    assert upload.rows_saved == 17
    batches = Batch.objects.filter(upload=upload).order_by("year")
    assert [(b.country.code, b.year, b.version, b.status, b.rows) for b in batches] == [
        ("CR", 2023, 1, "current", 5),
        ("CR", 2024, 1, "current", 12),
    ]
    record = Record.objects.filter(batch=batches[1]).first()
    assert (record.age_group, record.citizenship_group, record.scope) == (
        "adult",
        "national",
        "internal",
    )
    # The file itself is not kept; its name and digest are.
    assert not upload.file and len(upload.sha256) == 64
    # A protected release was made for each year.
    assert set(Release.objects.filter(is_current=True).values_list("year", flat=True)) == {
        2023,
        2024,
    }


def test_a_file_with_one_bad_row_saves_nothing_and_names_the_row(users, send):
    rows = [victim() for _ in range(5)]
    rows.insert(2, victim(sex="Z"))
    with translation.override("es"):  # the sender's language
        upload = send(users["focal_point"], rows)
    assert upload.status == Upload.Status.FAILED
    assert upload.error_count == 1
    assert upload.errors == ["Fila 4, columna “sex”: “Z” — se esperaba uno de F, M, X, U."]
    assert not Batch.objects.exists() and not Record.objects.exists()


def test_every_bad_row_gets_its_own_message(users, send):
    rows = [victim(year=1990), victim(age="old"), victim(citizenship="ZZ"), victim(source="")]
    upload = send(users["secretariat"], rows)
    assert upload.error_count == 4
    text = " ".join(upload.errors)
    for expected in ("1990", "old", "ZZ", "source_type"):
        assert expected in text


def test_a_focal_point_cannot_send_another_countrys_figures(users, send):
    upload = send(users["focal_point"], [victim(), victim(country="GT")])
    assert upload.status == Upload.Status.FAILED
    assert "GT" in upload.errors[0] and "CR" in upload.errors[0]
    assert not Batch.objects.exists()


def test_the_secretariat_sends_for_any_country(users, send):
    upload = send(users["secretariat"], [victim(country="GT"), victim(country="BZ")])
    assert upload.status == Upload.Status.DONE
    assert set(Batch.objects.values_list("country__code", flat=True)) == {"GT", "BZ"}


def test_a_file_with_identifying_columns_is_refused_naming_them(users):
    columns = [
        *imports.columns_of("tip_victims_detected", "records"),
        "Nombre completo",
        "Fecha de nacimiento",
    ]
    uploaded = csv_upload([[*victim(), "Ana", "2001-01-01"]], columns)
    with pytest.raises(ValidationError) as refused:
        actions.start_import(
            actor=users["focal_point"],
            measure="tip_victims_detected",
            kind="records",
            source="x",
            uploaded=uploaded,
        )
    message = str(refused.value)
    assert "Nombre completo" in message and "Fecha de nacimiento" in message
    assert not Upload.objects.exists()


@pytest.mark.parametrize(
    "heading",
    ["nombre", "Apellidos", "N° documento", "pasaporte", "DOB", "dirección", "observaciones"],
)
def test_identifying_headings_are_recognised(heading):
    assert imports.identifying(heading)


@pytest.mark.parametrize("heading", ["sex", "age_band", "citizenship", "source_type", "year"])
def test_template_headings_are_not_identifying(heading):
    assert not imports.identifying(heading)


def test_a_column_outside_the_template_is_refused(users):
    columns = [*imports.columns_of("tip_victims_detected", "records"), "region"]
    with pytest.raises(ValidationError, match="region"):
        actions.start_import(
            actor=users["secretariat"],
            measure="tip_victims_detected",
            kind="records",
            source="x",
            uploaded=csv_upload([[*victim(), "norte"]], columns),
        )


def test_sending_a_country_year_again_makes_a_new_version_and_keeps_the_old(users, send):
    first = send(users["focal_point"], [victim() for _ in range(12)])
    second = send(users["focal_point"], [victim() for _ in range(15)])
    versions = Batch.objects.filter(country__code="CR", year=2024).order_by("version")
    assert [(b.version, b.status, b.upload_id) for b in versions] == [
        (1, "superseded", first.pk),
        (2, "current", second.pk),
    ]
    assert Record.objects.count() == 27  # the earlier version's rows are kept


def test_aggregate_tables_count_and_refuse_repeated_combinations(users, send):
    columns = imports.columns_of("tip_convicted", "aggregates")
    row = ["CR", 2024, "M", "adult", "CR", 7]
    ok = send(
        users["focal_point"],
        [row, ["CR", 2024, "F", "adult", "NI", 2]],
        measure="tip_convicted",
        kind="aggregates",
    )
    assert ok.status == Upload.Status.DONE
    assert sum(AggregateCell.objects.values_list("count", flat=True)) == 9
    assert Batch.objects.get(measure="tip_convicted").total == 9
    again = send(
        users["focal_point"],
        [row, row],
        measure="tip_convicted",
        kind="aggregates",
        columns=columns,
    )
    assert again.status == Upload.Status.FAILED
    assert "2" in again.errors[0] and "3" in again.errors[0]


def test_offences_come_only_as_aggregate_tables(users):
    with pytest.raises(ValidationError):
        actions.start_import(
            actor=users["secretariat"],
            measure="tip_offences",
            kind="records",
            source="x",
            uploaded=csv_upload([["CR", 2024]], ["country", "year"]),
        )


def test_an_xlsx_workbook_is_read_like_a_csv(users, django_capture_on_commit_callbacks):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(imports.columns_of("tip_victims_detected", "records"))
    for _ in range(3):
        sheet.append(victim())
    buffer = io.BytesIO()
    workbook.save(buffer)
    uploaded = SimpleUploadedFile("datos.xlsx", buffer.getvalue())
    with django_capture_on_commit_callbacks(execute=True):
        upload = actions.start_import(
            actor=users["focal_point"],
            measure="tip_victims_detected",
            kind="records",
            source="x",
            uploaded=uploaded,
        )
    upload.refresh_from_db()
    assert upload.file_format == "xlsx"
    assert upload.status == Upload.Status.DONE, upload.errors
    assert Record.objects.count() == 3


def test_a_semicolon_separated_csv_is_read(users, django_capture_on_commit_callbacks):
    uploaded = csv_upload([victim(), victim()], delimiter=";")
    with django_capture_on_commit_callbacks(execute=True):
        upload = actions.start_import(
            actor=users["focal_point"],
            measure="tip_victims_detected",
            kind="records",
            source="x",
            uploaded=uploaded,
        )
    upload.refresh_from_db()
    assert upload.status == Upload.Status.DONE, upload.errors


def test_a_file_that_is_not_utf8_is_refused_with_a_clear_message(
    users, django_capture_on_commit_callbacks
):
    columns = ",".join(imports.columns_of("tip_victims_detected", "records"))
    content = (
        columns + "\n" + "CR,2024,F,18-24,CR,CR,CR,sexual,internal,police\n"
    ).encode() + "Ñ\xff".encode("latin-1")
    with django_capture_on_commit_callbacks(execute=True):
        upload = actions.start_import(
            actor=users["focal_point"],
            measure="tip_victims_detected",
            kind="records",
            source="x",
            uploaded=SimpleUploadedFile("x.csv", content),
        )
    upload.refresh_from_db()
    assert upload.status == Upload.Status.FAILED
    assert "UTF-8" in upload.errors[0]


def test_a_person_with_no_role_cannot_send(make_user):
    nobody = make_user("nadie@test.invalid")
    with pytest.raises(ValidationError):
        actions.start_import(
            actor=nobody,
            measure="tip_victims_detected",
            kind="records",
            source="x",
            uploaded=csv_upload([victim()]),
        )


def test_the_messages_kept_are_bounded_but_the_count_is_exact(users, send):
    upload = send(users["focal_point"], [victim(sex="Z") for _ in range(250)])
    assert upload.error_count == 250
    assert len(upload.errors) == imports.MAX_MESSAGES
