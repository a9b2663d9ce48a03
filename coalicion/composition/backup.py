"""Backups and restores of the whole site: the database and the uploaded
files, with a manifest of SHA-256 digests (ADR 0065).

A backup is a folder::

    manifest.json       what is in it, with the size and SHA-256 of every file
    database.sqlite3    SQLite: a copy made with the online backup API
    database.pgdump     PostgreSQL: pg_dump's custom format (-Fc)
    media/...           every file of the file store (uploads, frozen minutes)

It is written under a temporary name and renamed when complete, so that a
folder with a manifest is a finished backup. A restore first checks every
file of the backup against the manifest, refuses to replace a database that
holds data unless forced, restores the database (SQLite through the backup
API, PostgreSQL with pg_restore in one transaction) and the files, and then
checks what the site promises about its files: every file has the digest
the manifest gives, every stored upload the digest its record keeps, and
every frozen (approved) minutes PDF the digest recorded when it was frozen.

The functions take the database's settings (Django's DATABASES entry), so
that the PostgreSQL path can be tried on a scratch database.
"""

import hashlib
import json
import os
import posixpath
import shutil
import sqlite3
import subprocess  # nosec B404
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import connections
from django.db.backends.sqlite3._functions import register as register_django_functions
from django.utils import timezone

FORMAT = "coalicion-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
MEDIA = "media"
SQLITE_FILE = "database.sqlite3"
PG_FILE = "database.pgdump"
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why."""


@dataclass
class Check:
    """What a verification found: `problems` (empty when all is well)."""

    checked: int = 0
    problems: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return not self.problems


def sha256_of(handle) -> str:
    digest = hashlib.sha256()
    for chunk in iter(lambda: handle.read(CHUNK), b""):
        digest.update(chunk)
    return digest.hexdigest()


def sha256_of_path(path: Path) -> str:
    with open(path, "rb") as handle:
        return sha256_of(handle)


# --- The file store --------------------------------------------------------------------


def stored_names(storage=None) -> list[str]:
    """Every file of the store, by its name in the store."""
    storage = storage or default_storage

    def walk(folder: str):
        try:
            folders, files = storage.listdir(folder)
        except FileNotFoundError:
            return
        for name in files:
            yield posixpath.join(folder, name) if folder else name
        for sub in folders:
            yield from walk(posixpath.join(folder, sub) if folder else sub)

    return sorted(walk(""))


def _safe_member(root: Path, name: str) -> Path:
    """The path of `name` inside `root`, refusing names that leave it (a
    tampered manifest)."""
    if not name or name.startswith("/") or ".." in name.split("/") or "\\" in name:
        raise BackupError(f"The manifest names a file outside the backup: {name!r}.")
    return root / name


# --- The database ----------------------------------------------------------------------


def vendor_of(settings_dict: dict) -> str:
    engine = settings_dict["ENGINE"]
    if engine.endswith("sqlite3"):
        return "sqlite"
    if "postgresql" in engine:
        return "postgresql"
    raise BackupError(f"Backups know SQLite and PostgreSQL, not {engine}.")


def pg_program(name: str) -> str:
    """pg_dump or pg_restore: on the PATH, or in the newest
    /usr/lib/postgresql/<version>/bin (Debian's layout)."""
    found = shutil.which(name)
    if found:
        return found
    versions = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/" + name),
        key=lambda p: int(p.parts[-3]) if p.parts[-3].isdigit() else 0,
    )
    if versions:
        return str(versions[-1])
    raise BackupError(f"{name} was not found: install the PostgreSQL client programs.")


def _pg_environment(settings_dict: dict) -> dict[str, str]:
    env = dict(os.environ)
    values = {
        "PGHOST": settings_dict.get("HOST"),
        "PGPORT": settings_dict.get("PORT"),
        "PGUSER": settings_dict.get("USER"),
        "PGPASSWORD": settings_dict.get("PASSWORD"),
        "PGDATABASE": settings_dict.get("NAME"),
        "PGSSLMODE": (settings_dict.get("OPTIONS") or {}).get("sslmode"),
    }
    env.update({key: str(value) for key, value in values.items() if value})
    return env


def _run(arguments: list[str], settings_dict: dict) -> None:
    """pg_dump or pg_restore, run with an argument list (never a shell)."""
    result = subprocess.run(  # noqa: S603  # nosec B603
        arguments,
        env=_pg_environment(settings_dict),
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise BackupError(
            f"{Path(arguments[0]).name} failed (exit status {result.returncode}): "
            f"{result.stderr.strip()[-2000:]}"
        )


def dump_database(settings_dict: dict, folder: Path, *, alias: str | None = None) -> str:
    """Write the database into `folder`; returns the file's name."""
    vendor = vendor_of(settings_dict)
    if vendor == "sqlite":
        _copy_checked(
            _sqlite_source(settings_dict, alias),
            sqlite3.connect(folder / SQLITE_FILE),
            close=(alias is None, True),
            problem="The copy of the database fails its integrity check",
        )
        return SQLITE_FILE
    target = folder / PG_FILE
    _run(
        [pg_program("pg_dump"), "--format=custom", "--no-owner", "--no-acl", "--file", str(target)],
        settings_dict,
    )
    _run([pg_program("pg_restore"), "--list", str(target)], settings_dict)  # readable
    return PG_FILE


def _copy_checked(
    source: sqlite3.Connection,
    target: sqlite3.Connection,
    *,
    close: tuple[bool, bool],
    problem: str,
) -> None:
    """Copy a SQLite database onto another, then check the copy's integrity;
    `close`: whether to close (source, target) afterwards (never Django's
    own connection). Raises BackupError with `problem` if the check fails."""
    try:
        source.backup(target)
        result = _integrity(target)
    finally:
        for connection, closing in zip((source, target), close, strict=True):
            if closing:
                connection.close()
    if result != "ok":
        raise BackupError(f"{problem}: {result}")


def _integrity(db: sqlite3.Connection) -> str:
    """PRAGMA integrity_check, with the SQL functions Django gives its
    connections (the CHECK constraints of the schema use REGEXP)."""
    register_django_functions(db)
    rows = db.execute("PRAGMA integrity_check").fetchall()
    return "; ".join(str(row[0]) for row in rows)


def _sqlite_source(settings_dict: dict, alias: str | None) -> sqlite3.Connection:
    """Django's own connection when there is one (an in-memory test
    database has no file), else a new one to the file."""
    if alias is not None:
        django_connection = connections[alias]
        django_connection.ensure_connection()
        return django_connection.connection
    return sqlite3.connect(settings_dict["NAME"])


def load_database(settings_dict: dict, backup: Path, name: str, *, alias: str | None = None):
    """Replace the database's content with the backup's."""
    vendor = vendor_of(settings_dict)
    if vendor == "sqlite":
        if name != SQLITE_FILE:
            raise BackupError("This backup is of a PostgreSQL database; this site runs SQLite.")
        _copy_checked(
            sqlite3.connect(backup / name),
            _sqlite_source(settings_dict, alias),
            close=(True, alias is None),
            problem="The restored database fails its integrity check",
        )
        return
    if name != PG_FILE:
        raise BackupError("This backup is of a SQLite database; this site runs PostgreSQL.")
    if alias is not None:
        connections[alias].close()  # no open transaction holds a lock on a table
    _run(
        [
            pg_program("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-acl",
            "--single-transaction",
            "--exit-on-error",
            "--dbname",
            settings_dict["NAME"],
            str(backup / name),
        ],
        settings_dict,
    )


# --- What the database holds -------------------------------------------------------------


def _project_models():
    for model in apps.get_models():
        meta = model._meta
        if meta.app_config.name.startswith("coalicion.") and meta.managed and not meta.proxy:
            yield model


def row_counts(using: str = "default") -> dict[str, int]:
    """Rows of each of the project's tables that has any (absent tables are
    empty), for saying what a restore would replace."""
    db = connections[using]
    tables = set(db.introspection.table_names())
    counts = {}
    for model in _project_models():
        if model._meta.db_table in tables:
            count = model._default_manager.using(using).count()
            if count:
                counts[model._meta.label] = count
    return counts


def frozen_minutes(using: str = "default") -> list[dict]:
    """The approved (frozen) minutes with the digest recorded when frozen."""
    Minutes = apps.get_model("meetings", "Minutes")
    if Minutes._meta.db_table not in connections[using].introspection.table_names():
        return []
    rows = (
        Minutes.objects.using(using)
        .filter(status=Minutes.Status.APPROVED)
        .order_by("pk")
        .values_list("pk", "pdf", "pdf_sha256")
    )
    return [{"id": pk, "file": name, "sha256": digest} for pk, name, digest in rows]


def check_records(*, storage=None, using: str = "default") -> Check:
    """Every stored upload (StoredFile) and every frozen minutes PDF against
    the digest its record keeps."""
    from coalicion.core.uploads import StoredFile

    storage = storage or default_storage
    check = Check()
    expected = [
        (model._meta.label, pk, name, digest)
        for model in _project_models()
        if issubclass(model, StoredFile)
        for pk, name, digest in model._default_manager.using(using)
        .exclude(file="")
        .values_list("pk", "file", "sha256")
    ]
    expected += [
        ("meetings.Minutes (frozen)", row["id"], row["file"], row["sha256"])
        for row in frozen_minutes(using)
    ]
    for label, pk, name, digest in expected:
        check.checked += 1
        if not name:
            check.problems.append(f"{label} {pk}: its file is missing from its record.")
            continue
        try:
            with storage.open(name, "rb") as handle:
                actual = sha256_of(handle)
        except FileNotFoundError:
            check.problems.append(f"{label} {pk}: the file {name} is missing.")
            continue
        if actual != digest:
            check.problems.append(
                f"{label} {pk}: the file {name} has SHA-256 {actual}, its record says {digest}."
            )
    return check


# --- Backup ---------------------------------------------------------------------------------


def _applied_migrations(using: str) -> dict[str, str]:
    from django.db.migrations.recorder import MigrationRecorder

    recorder = MigrationRecorder(connections[using])
    if not recorder.has_table():
        return {}
    latest: dict[str, str] = {}
    for app, name in sorted(recorder.applied_migrations()):
        latest[app] = max(latest.get(app, ""), name)
    return latest


def backup(out: Path, *, using: str = "default", storage=None, settings_dict=None) -> dict:
    """Write a backup folder at `out` (which must not exist or be empty);
    returns its manifest. A damaged stored file is copied as it is and
    listed in the manifest's "problems"."""
    storage = storage or default_storage
    settings_dict = settings_dict or connections[using].settings_dict
    out = Path(out)
    if out.exists() and any(out.iterdir()):
        raise BackupError(f"{out} is not empty: give a new folder for the backup.")
    out.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.parent))
    try:
        database = dump_database(settings_dict, work, alias=using)
        files = []
        for name in stored_names(storage):
            target = _safe_member(work / MEDIA, name)
            target.parent.mkdir(parents=True, exist_ok=True)
            with storage.open(name, "rb") as source, open(target, "wb") as copy:
                shutil.copyfileobj(source, copy, CHUNK)
            files.append(
                {"name": name, "size": target.stat().st_size, "sha256": sha256_of_path(target)}
            )
        records = check_records(storage=storage, using=using)
        manifest = {
            "format": FORMAT,
            "version": FORMAT_VERSION,
            "created_at": timezone.now().isoformat(),
            "database": {
                "vendor": vendor_of(settings_dict),
                "file": database,
                "size": (work / database).stat().st_size,
                "sha256": sha256_of_path(work / database),
                "migrations": _applied_migrations(using),
                "rows": row_counts(using),
            },
            "media": files,
            "frozen_minutes": frozen_minutes(using),
            "problems": records.problems,
        }
        (work / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False))
        if out.exists():
            out.rmdir()
        work.rename(out)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return manifest


# --- Restore --------------------------------------------------------------------------------


def read_manifest(folder: Path) -> dict:
    try:
        manifest = json.loads((Path(folder) / MANIFEST).read_text())
    except FileNotFoundError:
        raise BackupError(f"{folder} has no {MANIFEST}: it is not a (complete) backup.") from None
    except json.JSONDecodeError as error:
        raise BackupError(f"The manifest of {folder} cannot be read: {error}.") from None
    if manifest.get("format") != FORMAT or manifest.get("version") != FORMAT_VERSION:
        raise BackupError(f"{folder} is not a backup of this format ({FORMAT} {FORMAT_VERSION}).")
    return manifest


def verify_backup(folder: Path, manifest: dict) -> Check:
    """Every file of the backup against the manifest, before anything is replaced."""
    folder = Path(folder)
    check = Check()
    entries = [(manifest["database"]["file"], manifest["database"]["sha256"], folder)]
    entries += [(f["name"], f["sha256"], folder / MEDIA) for f in manifest["media"]]
    for name, digest, root in entries:
        check.checked += 1
        path = _safe_member(root, name)
        if not path.is_file():
            check.problems.append(f"The backup lacks {name}.")
        elif sha256_of_path(path) != digest:
            check.problems.append(f"{name} in the backup does not have its manifest's SHA-256.")
    return check


def holds_data(rows: dict[str, int], files: int) -> bool:
    """Whether a site holds what people entered: an account or a stored
    file. Without them, its rows are reference data that the repository
    makes again (the plan file, the rows of data migrations)."""
    from django.conf import settings

    return bool(files or rows.get(settings.AUTH_USER_MODEL))


def what_would_be_replaced(*, using: str = "default", storage=None) -> tuple[dict, int]:
    """(rows per table, number of stored files) that a restore replaces."""
    return row_counts(using), len(stored_names(storage or default_storage))


def _restore_files(folder: Path, manifest: dict, storage) -> None:
    wanted = {f["name"]: f["sha256"] for f in manifest["media"]}
    for name in stored_names(storage):
        if name not in wanted:
            storage.delete(name)
    for name, digest in wanted.items():
        if storage.exists(name):
            with storage.open(name, "rb") as handle:
                if sha256_of(handle) == digest:
                    continue
            storage.delete(name)
        with open(_safe_member(folder / MEDIA, name), "rb") as handle:
            saved = storage.save(name, File(handle, name=posixpath.basename(name)))
        if saved != name:
            raise BackupError(f"The file store saved {name} as {saved}.")


def verify_restore(manifest: dict, *, using: str = "default", storage=None) -> Check:
    """After a restore: every file has its manifest's digest, nothing else
    is in the store, every record's file its digest, and the frozen minutes
    are those of the backup."""
    storage = storage or default_storage
    check = Check()
    wanted = {f["name"]: f["sha256"] for f in manifest["media"]}
    present = set(stored_names(storage))
    for name, digest in wanted.items():
        check.checked += 1
        if name not in present:
            check.problems.append(f"The file {name} is missing after the restore.")
            continue
        with storage.open(name, "rb") as handle:
            if sha256_of(handle) != digest:
                check.problems.append(f"The file {name} differs from the backup.")
    check.problems += [f"The file {name} is not in the backup." for name in present - set(wanted)]
    records = check_records(storage=storage, using=using)
    check.checked += records.checked
    check.problems += records.problems
    if frozen_minutes(using) != manifest["frozen_minutes"]:
        check.problems.append("The frozen minutes differ from those recorded in the backup.")
    return check


def restore(
    folder: Path,
    *,
    force: bool = False,
    using: str = "default",
    storage=None,
    settings_dict=None,
) -> Check:
    """Replace the database and the file store with the backup in
    `folder`; returns the verification of the result (see
    :func:`verify_restore`). Refuses a damaged backup, a backup of the
    other database kind, and, without `force`, a site holding data
    (:func:`holds_data`)."""
    storage = storage or default_storage
    settings_dict = settings_dict or connections[using].settings_dict
    folder = Path(folder)
    manifest = read_manifest(folder)
    if manifest["database"]["vendor"] != vendor_of(settings_dict):
        raise BackupError(
            f"This backup is of a {manifest['database']['vendor']} database; "
            f"this site runs {vendor_of(settings_dict)}."
        )
    damaged = verify_backup(folder, manifest)
    if not damaged:
        problems = "\n".join(damaged.problems)
        raise BackupError(f"The backup is damaged; nothing was replaced.\n{problems}")
    rows, files = what_would_be_replaced(using=using, storage=storage)
    if holds_data(rows, files) and not force:
        raise NotEmpty(rows, files)
    load_database(settings_dict, folder, manifest["database"]["file"], alias=using)
    _restore_files(folder, manifest, storage)
    return verify_restore(manifest, using=using, storage=storage)


class NotEmpty(BackupError):
    """The database or the file store holds data a restore would replace."""

    def __init__(self, rows: dict[str, int], files: int):
        self.rows, self.files = rows, files
        largest = sorted(rows.items(), key=lambda item: -item[1])[:8]
        listing = ", ".join(f"{label} {count}" for label, count in largest)
        more = len(rows) - len(largest)
        from django.conf import settings

        super().__init__(
            f"The site holds data: {rows.get(settings.AUTH_USER_MODEL, 0)} accounts and "
            f"{files} stored files. A restore would replace them and "
            f"{sum(rows.values())} rows in {len(rows)} tables ({listing}"
            + (f", and {more} more tables" if more > 0 else "")
            + "). Run it again with --force to replace them."
        )


def describe(using: str = "default") -> str:
    settings_dict = connections[using].settings_dict
    return f"{vendor_of(settings_dict)} database {settings_dict.get('NAME')}"
