"""python manage.py restore DIR: the database and the uploaded files of a
backup, checked against its manifest before and after (ADR 0065)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from coalicion.composition import backup


class Command(BaseCommand):
    help = (
        "Restore a backup made with `backup`: checks every file against the manifest, refuses "
        "to replace a database that holds data unless --force, then verifies every file's "
        "SHA-256 and the frozen minutes' digests."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path, help="The backup's folder.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace a database and file store that hold data.",
        )
        parser.add_argument("--database", default="default", help="The database alias.")

    def handle(self, *args, folder: Path, force: bool, database: str, **options):
        try:
            manifest = backup.read_manifest(folder)
            self.stdout.write(
                f"Restoring the backup of {manifest['created_at']} "
                f"({len(manifest['media'])} stored files) into the {backup.describe(database)}."
            )
            if force:
                rows, files = backup.what_would_be_replaced(using=database)
                if backup.holds_data(rows, files):
                    self.stdout.write(
                        f"Replacing {sum(rows.values())} rows in {len(rows)} tables "
                        f"and {files} stored files (--force)."
                    )
            result = backup.restore(folder, force=force, using=database)
        except backup.BackupError as error:
            raise CommandError(str(error)) from error
        if not result:
            raise CommandError(
                f"The restore is done but {len(result.problems)} check(s) failed:\n"
                + "\n".join(result.problems)
            )
        self.stdout.write(
            f"Restored and verified: {result.checked} files match their SHA-256 "
            f"({len(manifest['frozen_minutes'])} frozen minutes). "
            "If this code is newer than the backup, run `manage.py migrate` now."
        )
