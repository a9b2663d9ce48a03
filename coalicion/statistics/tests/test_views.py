import io

import openpyxl
from django.urls import reverse

from coalicion.audit.models import AuditEvent
from coalicion.statistics import imports
from coalicion.statistics.models import Batch, Upload
from coalicion.statistics.tests.conftest import csv_upload, victim


def test_a_focal_point_sends_a_file_and_follows_it(
    client, users, django_capture_on_commit_callbacks
):
    client.force_login(users["focal_point"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("statistics:imports"),
            {
                "measure": "tip_victims_detected",
                "kind": "records",
                "source": "Policía",
                "file": csv_upload([victim() for _ in range(4)]),
            },
        )
    upload = Upload.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("statistics:upload", args=[upload.pk])
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert Batch.objects.get().rows == 4


def test_an_identifying_column_is_named_on_the_form(client, users):
    client.force_login(users["focal_point"])
    columns = [*imports.columns_of("tip_victims_detected", "records"), "Nombre"]
    response = client.post(
        reverse("statistics:imports"),
        {
            "measure": "tip_victims_detected",
            "kind": "records",
            "source": "Policía",
            "file": csv_upload([[*victim(), "Ana"]], columns),
        },
    )
    assert response.status_code == 200
    assert "Nombre" in response.content.decode()
    assert not Upload.objects.exists()


def test_an_identifying_column_is_named_beside_a_missing_source(client, users):
    """Issue 12: the file's problems and the form's in one round."""
    client.force_login(users["focal_point"])
    columns = [*imports.columns_of("tip_victims_detected", "records"), "Nombre"]
    response = client.post(
        reverse("statistics:imports"),
        {
            "measure": "tip_victims_detected",
            "kind": "records",
            "source": "",
            "file": csv_upload([[*victim(), "Ana"]], columns),
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "source" in errors
    assert "Nombre" in " ".join(errors["file"])
    assert not Upload.objects.exists()


def test_the_progress_partial_polls_until_the_import_ends(client, users):
    upload = Upload.objects.create(
        measure="tip_victims_detected",
        kind="records",
        file_format="csv",
        source="x",
        original_name="big.csv",
        content_type="text/csv",
        size=10,
        sha256="0" * 64,
        uploaded_by=users["focal_point"],
        allowed_countries=["CR"],
        status=Upload.Status.CHECKING,
        rows_read=5000,
    )
    client.force_login(users["focal_point"])
    partial = client.get(
        reverse("statistics:upload", args=[upload.pk]), headers={"HX-Request": "true"}
    )
    html = partial.content.decode()
    assert 'hx-trigger="every 2s"' in html and "5000" in html
    assert "<html" not in html
    Upload.objects.filter(pk=upload.pk).update(
        status=Upload.Status.FAILED, errors=["Fila 3"], error_count=1
    )
    html = client.get(
        reverse("statistics:upload", args=[upload.pk]), headers={"HX-Request": "true"}
    ).content.decode()
    assert "hx-trigger" not in html and "Fila 3" in html


def test_templates_download_with_the_columns_and_are_recorded(client, users):
    client.force_login(users["focal_point"])
    response = client.get(
        reverse("statistics:template", args=["tip_victims_detected", "records", "xlsx"])
    )
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    header = [cell.value for cell in next(workbook["data"].iter_rows())]
    assert header == imports.columns_of("tip_victims_detected", "records")
    response = client.get(
        reverse("statistics:template", args=["tip_convicted", "aggregates", "csv"])
    )
    assert b"".join(response.streaming_content).decode().splitlines()[0].endswith(",count")
    assert AuditEvent.objects.filter(action=AuditEvent.Action.DOWNLOAD).count() == 2
    # Offences have no records template.
    assert (
        client.get(
            reverse("statistics:template", args=["tip_offences", "records", "csv"])
        ).status_code
        == 404
    )


def test_the_sources_page_lists_versions(client, users, regional, django_assert_max_num_queries):
    client.force_login(users["observer"])
    assert client.get(reverse("statistics:batches")).status_code == 403
    client.force_login(users["presidency"])
    with django_assert_max_num_queries(10):
        response = client.get(reverse("statistics:batches"))
    assert "Ministerio Público" in response.content.decode()


def test_the_explorer_in_english_has_plain_labels(client, regional):
    response = client.get(
        "/en/statistics/explore/",
        {
            "measure": "tip_victims_detected",
            "rows": "sex",
            "columns": "age_group",
            "f_year": "2024",
        },
    )
    html = response.content.decode()
    assert "Female" in html and "Adult (18 or more)" in html


def test_a_bad_pivot_request_shows_the_form_error(client, regional):
    response = client.get(
        reverse("statistics:explore"),
        {"measure": "tip_victims_detected", "rows": "sex", "columns": "sex"},
    )
    assert response.status_code == 200
    assert 'id="pivot"' not in response.content.decode()
    assert (
        client.get(reverse("statistics:chart"), {"rows": "sex", "columns": "sex"}).status_code
        == 404
    )


def test_row_messages_are_in_the_senders_language(
    client, users, django_capture_on_commit_callbacks
):
    client.force_login(users["focal_point"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/en/statistics/imports/",
            {
                "measure": "tip_victims_detected",
                "kind": "records",
                "source": "Police",
                "file": csv_upload([victim(), victim(sex="Z")]),
            },
        )
    upload = Upload.objects.get()
    assert upload.language == "en"
    assert upload.errors == ["Row 3, column “sex”: “Z” — expected one of F, M, X, U."]


def test_the_imports_page_lists_only_what_the_user_may_follow(
    client, users, send, django_assert_max_num_queries
):
    mine = send(users["focal_point"], [victim()])
    send(users["secretariat"], [victim(country="GT")])
    client.force_login(users["focal_point"])
    with django_assert_max_num_queries(14):
        response = client.get(reverse("statistics:imports"))
    assert list(response.context["uploads"]) == [mine]
    client.force_login(users["secretariat"])
    assert len(client.get(reverse("statistics:imports")).context["uploads"]) == 2
