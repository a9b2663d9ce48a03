"""python manage.py backup --out DIR: the database and the uploaded files,
with a manifest of SHA-256 digests (ADR 0065)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from coalicion.composition import backup


class Command(BaseCommand):
    help = (
        "Back up the database (SQLite: online backup API and integrity check; PostgreSQL: "
        "pg_dump -Fc) and every uploaded file into a new folder, with a manifest of SHA-256s."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--out", required=True, type=Path, help="A new (or empty) folder for the backup."
        )
        parser.add_argument("--database", default="default", help="The database alias.")

    def handle(self, *args, out: Path, database: str, **options):
        try:
            manifest = backup.backup(out, using=database)
        except backup.BackupError as error:
            raise CommandError(str(error)) from error
        rows = sum(manifest["database"]["rows"].values())
        self.stdout.write(
            f"Backed up the {backup.describe(database)} ({rows} rows, "
            f"{manifest['database']['size']} bytes) and {len(manifest['media'])} stored files "
            f"({len(manifest['frozen_minutes'])} frozen minutes) into {out}."
        )
        if manifest["problems"]:
            raise CommandError(
                "The backup is complete, but some stored files do not match their records "
                "(they were copied as they are):\n" + "\n".join(manifest["problems"])
            )
