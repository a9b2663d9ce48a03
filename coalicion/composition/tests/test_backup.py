"""Backup and restore (ADR 0065): back up, change data and files, restore,
and find the earlier data and files intact, with every digest checked; on
the database the tests run on (SQLite, or PostgreSQL with DATABASE_URL), and
pg_dump/pg_restore on a scratch PostgreSQL database from any run."""

import datetime
import hashlib
import json
import os
import uuid

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from coalicion.accounts.models import User
from coalicion.composition import backup
from coalicion.core.tests.files import PDF_BYTES, PNG_BYTES
from coalicion.core.uploads import files_and_rows, store_upload
from coalicion.meetings.models import AgendaItem, Attachment, Event, Minutes
from coalicion.membership.models import Country

# The backup reads the database from outside the test's transaction.
pytestmark = pytest.mark.django_db(transaction=True)

FROZEN_PDF = PDF_BYTES.replace(b"/Count 1", b"/Count 1 /Frozen true")


def make_site():
    """A person, a meeting with an agenda item and its document, and an
    earlier meeting's approved (frozen) minutes with their PDF."""
    user = User.objects.create_user(email="secretaria@test.invalid", password="x" * 20)
    country, _created = Country.objects.get_or_create(code="CR", defaults={"name": "Costa Rica"})
    start = timezone.make_aware(datetime.datetime(2026, 3, 10, 9))
    event = Event.objects.create(
        kind=Event.Kind.ORDINARY,
        number=901,
        title="Reunión ordinaria de prueba",
        start=start,
        end=start + datetime.timedelta(hours=8),
        country=country,
    )
    item = AgendaItem.objects.create(event=event, order=1, title="Informe de la Secretaría")
    with files_and_rows():
        attachment = Attachment(agenda_item=item, content_type="application/pdf")
        store_upload(attachment, SimpleUploadedFile("informe.pdf", PDF_BYTES), user=user)
        attachment.save()
    frozen = Event.objects.create(
        kind=Event.Kind.ORDINARY,
        number=900,
        title="Reunión anterior",
        start=start - datetime.timedelta(days=90),
        end=start - datetime.timedelta(days=90) + datetime.timedelta(hours=8),
        country=country,
    )
    minutes = Minutes.objects.create(event=frozen, body="Acta de prueba.", drafted_by=user)
    name = default_storage.save("minutes/2026/acta-901.pdf", ContentFile(FROZEN_PDF))
    Minutes.objects.filter(pk=minutes.pk).update(
        status=Minutes.Status.APPROVED,
        approved_at=timezone.now(),
        pdf=name,
        pdf_sha256=hashlib.sha256(FROZEN_PDF).hexdigest(),
    )
    return {"user": user, "event": event, "attachment": attachment, "minutes": minutes}


def change_everything(site):
    """What happens after a backup: rows added, changed and deleted, a file
    deleted, a frozen file overwritten, a new file stored."""
    User.objects.create_user(email="nueva@test.invalid", password="x" * 20)
    Event.objects.filter(pk=site["event"].pk).update(title="Título cambiado")
    attachment = Attachment.objects.get(pk=site["attachment"].pk)
    default_storage.delete(attachment.file.name)
    attachment.delete()
    minutes = Minutes.objects.get(pk=site["minutes"].pk)
    with default_storage.open(minutes.pdf.name, "wb") as handle:
        handle.write(b"%PDF-1.4 otro contenido")
    default_storage.save("evidence/nueva.png", ContentFile(PNG_BYTES))


def test_a_restore_brings_back_the_data_and_files_of_the_backup(tmp_path):
    site = make_site()
    out = tmp_path / "backup"
    call_command("backup", "--out", str(out))

    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["database"]["vendor"] == connection.vendor.replace("postgresql", "postgresql")
    assert {f["name"] for f in manifest["media"]} == {
        site["attachment"].file.name,
        "minutes/2026/acta-901.pdf",
    }
    assert manifest["frozen_minutes"] == [
        {
            "id": site["minutes"].pk,
            "file": "minutes/2026/acta-901.pdf",
            "sha256": hashlib.sha256(FROZEN_PDF).hexdigest(),
        }
    ]
    assert manifest["problems"] == []

    change_everything(site)
    call_command("restore", str(out), "--force")

    assert list(User.objects.values_list("email", flat=True)) == ["secretaria@test.invalid"]
    assert Event.objects.get(pk=site["event"].pk).title == "Reunión ordinaria de prueba"
    attachment = Attachment.objects.get(pk=site["attachment"].pk)
    assert attachment.file.read() == PDF_BYTES
    minutes = Minutes.objects.get(pk=site["minutes"].pk)
    assert minutes.status == Minutes.Status.APPROVED
    with default_storage.open(minutes.pdf.name, "rb") as handle:
        assert handle.read() == FROZEN_PDF
    assert not default_storage.exists("evidence/nueva.png")  # not in the backup
    assert backup.verify_restore(manifest)  # every digest checked


def test_a_restore_over_data_is_refused_without_force_and_says_what_it_would_replace(tmp_path):
    make_site()
    out = tmp_path / "backup"
    call_command("backup", "--out", str(out))
    User.objects.create_user(email="nueva@test.invalid", password="x" * 20)

    with pytest.raises(CommandError) as refused:
        call_command("restore", str(out))

    message = str(refused.value)
    assert "--force" in message
    assert "2 accounts and 2 stored files" in message and "accounts.User 2" in message
    assert User.objects.count() == 2  # nothing replaced


def test_a_site_with_only_reference_data_is_restored_without_force(tmp_path):
    """A new site (migrated, its plan loaded, nobody signed up, no file) has
    nothing a restore could lose."""
    site = make_site()
    out = tmp_path / "backup"
    call_command("backup", "--out", str(out))
    call_command("flush", interactive=False)
    for name in backup.stored_names():
        default_storage.delete(name)
    Country.objects.create(code="GT", name="Guatemala")  # reference data

    call_command("restore", str(out))

    assert Attachment.objects.get(pk=site["attachment"].pk).file.read() == PDF_BYTES
    assert not Country.objects.filter(code="GT").exists()


def test_a_damaged_backup_is_refused_before_anything_is_replaced(tmp_path):
    site = make_site()
    out = tmp_path / "backup"
    call_command("backup", "--out", str(out))
    (out / "media" / site["attachment"].file.name).write_bytes(b"damaged")
    Event.objects.filter(pk=site["event"].pk).update(title="Después de la copia")

    with pytest.raises(CommandError, match="damaged"):
        call_command("restore", str(out), "--force")

    assert Event.objects.get(pk=site["event"].pk).title == "Después de la copia"


def test_a_frozen_minutes_file_that_does_not_match_its_digest_fails_backup_and_restore(
    tmp_path,
):
    site = make_site()
    with default_storage.open("minutes/2026/acta-901.pdf", "wb") as handle:
        handle.write(b"%PDF-1.4 alterado")
    out = tmp_path / "backup"

    with pytest.raises(CommandError, match="do not match their records"):
        call_command("backup", "--out", str(out))
    assert (out / "manifest.json").exists()  # the backup is written all the same

    with pytest.raises(CommandError) as failed:
        call_command("restore", str(out), "--force")
    assert f"meetings.Minutes (frozen) {site['minutes'].pk}" in str(failed.value)
    assert "check(s) failed" in str(failed.value)


def test_a_backup_goes_to_a_new_folder_only(tmp_path):
    (tmp_path / "used").mkdir()
    (tmp_path / "used" / "something").write_text("x")
    with pytest.raises(CommandError, match="not empty"):
        call_command("backup", "--out", str(tmp_path / "used"))


def test_a_backup_of_the_other_database_kind_is_refused(tmp_path):
    make_site()
    out = tmp_path / "backup"
    call_command("backup", "--out", str(out))
    manifest = json.loads((out / "manifest.json").read_text())
    other = "sqlite" if connection.vendor == "postgresql" else "postgresql"
    manifest["database"]["vendor"] = other
    (out / "manifest.json").write_text(json.dumps(manifest))

    with pytest.raises(CommandError, match=f"backup is of a {other} database"):
        call_command("restore", str(out), "--force")


# --- pg_dump and pg_restore on a scratch PostgreSQL database ---------------------------------

PG = {
    "ENGINE": "django.db.backends.postgresql",
    "HOST": os.environ.get("BACKUP_TEST_PGHOST", "127.0.0.1"),
    "PORT": os.environ.get("BACKUP_TEST_PGPORT", "5432"),
    "USER": os.environ.get("BACKUP_TEST_PGUSER", "postgres"),
    "PASSWORD": os.environ.get("BACKUP_TEST_PGPASSWORD", ""),
}


@pytest.fixture
def scratch_pg():
    """A new PostgreSQL database, dropped afterwards; skipped (saying why)
    only when no PostgreSQL server answers."""
    psycopg = pytest.importorskip("psycopg")
    params = {"host": PG["HOST"], "port": PG["PORT"], "user": PG["USER"]}
    if PG["PASSWORD"]:
        params["password"] = PG["PASSWORD"]
    try:
        admin = psycopg.connect(dbname="postgres", autocommit=True, connect_timeout=3, **params)
    except psycopg.OperationalError as error:
        pytest.skip(f"PostgreSQL is not reachable at {PG['HOST']}:{PG['PORT']}: {error}")
    name = f"coalicion_backup_{uuid.uuid4().hex[:12]}"
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        with psycopg.connect(dbname=name, autocommit=True, **params) as db:
            yield {**PG, "NAME": name}, db
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def test_pg_dump_and_pg_restore_bring_back_the_earlier_rows(scratch_pg, tmp_path):
    settings_dict, db = scratch_pg
    db.execute("CREATE TABLE acta (id serial PRIMARY KEY, texto text NOT NULL)")
    db.execute("INSERT INTO acta (texto) VALUES ('primera'), ('segunda')")

    assert backup.dump_database(settings_dict, tmp_path) == backup.PG_FILE
    db.execute("DELETE FROM acta WHERE texto = 'primera'")
    db.execute("INSERT INTO acta (texto) VALUES ('tercera')")
    db.execute("CREATE TABLE despues (id int)")

    backup.load_database(settings_dict, tmp_path, backup.PG_FILE)

    rows = db.execute("SELECT id, texto FROM acta ORDER BY id").fetchall()
    assert rows == [(1, "primera"), (2, "segunda")]
    # The sequence is that of the backup: the next row is number 3 again.
    assert db.execute("INSERT INTO acta (texto) VALUES ('x') RETURNING id").fetchone() == (3,)


def test_a_failing_pg_restore_changes_nothing_and_says_why(scratch_pg, tmp_path):
    settings_dict, db = scratch_pg
    db.execute("CREATE TABLE acta (id int)")
    db.execute("INSERT INTO acta VALUES (1)")
    (tmp_path / backup.PG_FILE).write_bytes(b"PGDMP not really a dump")

    with pytest.raises(backup.BackupError, match="pg_restore failed"):
        backup.load_database(settings_dict, tmp_path, backup.PG_FILE)

    assert db.execute("SELECT count(*) FROM acta").fetchone() == (1,)
