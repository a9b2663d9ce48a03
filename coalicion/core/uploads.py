"""Uploaded files: one way to check them, one way to store them.

Every file a user sends (evidence, meeting attachments, country reports'
files, and the modules to come) goes through here:

- :func:`check_upload` decides the type by the content, never by the name or
  by the content type the browser claims: PDF, PNG, JPEG, Office Open XML
  documents (Word, Excel, PowerPoint without macros) and plain UTF-8 text or
  CSV. Anything else is refused with a message naming the file.
- :class:`FilesField` is the form field for several files at once.
- :class:`StoredFile` is the abstract model of a stored upload, and
  :func:`store_upload` fills it and writes the file under MEDIA_ROOT
  (outside the web root), named by its digest.
- :func:`download_name` is the name a file is downloaded under (see
  `coalicion.audit.downloads` for the permission-checked, recorded download).
"""

import codecs
import contextvars
import functools
import hashlib
import logging
import os
import zipfile
from contextlib import contextmanager

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from coalicion.core.spreadsheets import MiB, _megabytes

logger = logging.getLogger(__name__)

UPLOAD_MAX_BYTES = 20 * MiB
MAX_FILES_PER_UPLOAD = 10

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
TEXT = "text/plain"

# The extensions a downloaded file may keep for each type; the first one is
# added to a name that has none of them (a text file named "x.bat" is
# downloaded as "x.bat.txt", so that nothing runs it by double-clicking).
EXTENSIONS = {
    PDF: (".pdf",),
    PNG: (".png",),
    JPEG: (".jpg", ".jpeg", ".jpe"),
    DOCX: (".docx",),
    XLSX: (".xlsx",),
    PPTX: (".pptx",),
    TEXT: (".txt", ".csv", ".tsv", ".text", ".md"),
}

_SIGNATURES = (
    (b"%PDF-", PDF),
    (b"\x89PNG\r\n\x1a\n", PNG),
    (b"\xff\xd8\xff", JPEG),
)
_ZIP_SIGNATURE = b"PK\x03\x04"

# The main part of an Office Open XML package names the kind of document in
# [Content_Types].xml. Macro-enabled variants declare other content types
# (…macroEnabled.main+xml) and are therefore not recognised.
_OFFICE_MAIN_PARTS = (
    (b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml", DOCX),
    (b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml", XLSX),
    (
        b"application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
        PPTX,
    ),
)
_CONTENT_TYPES_PART = "[Content_Types].xml"
# [Content_Types].xml is a few kilobytes in real documents.
_MAX_CONTENT_TYPES_BYTES = 256 * 1024

# Text that a browser or the system would treat as something else than text:
# markup (HTML, SVG, XML) and scripts. Looked for case-insensitively.
_MARKUP_STARTS = (b"<", b"#!")
_MARKUP_ANYWHERE = (b"<script", b"<html", b"<!doctype", b"<svg", b"<iframe", b"<?xml", b"<body")
_CHUNK_BYTES = 64 * 1024
_OVERLAP_BYTES = max(len(marker) for marker in _MARKUP_ANYWHERE) - 1


def _not_accepted(name: str) -> ValidationError:
    return ValidationError(
        _("The file %(name)s is not an accepted type (PDF, image, Office document or text).")
        % {"name": name},
        code="evidence_type",
    )


def _size_of(uploaded) -> int:
    size = getattr(uploaded, "size", None)
    if size is None:
        uploaded.seek(0, os.SEEK_END)
        size = uploaded.tell()
    uploaded.seek(0)
    return size


def _office_type(uploaded) -> str | None:
    """The type of an Office Open XML document, from its package's directory
    and its [Content_Types].xml (read within a bound; nothing else is
    decompressed)."""
    try:
        with zipfile.ZipFile(uploaded) as archive:
            names = set(archive.namelist())
            if _CONTENT_TYPES_PART not in names:
                return None
            if any(name.lower().endswith("vbaproject.bin") for name in names):
                return None  # macros
            entry = archive.getinfo(_CONTENT_TYPES_PART)
            if entry.file_size > _MAX_CONTENT_TYPES_BYTES:
                return None
            with archive.open(entry) as part:
                declared = part.read(_MAX_CONTENT_TYPES_BYTES + 1)
    except Exception:  # any unreadable zip is simply not a document
        return None
    finally:
        uploaded.seek(0)
    if len(declared) > _MAX_CONTENT_TYPES_BYTES:
        return None
    for marker, content_type in _OFFICE_MAIN_PARTS:
        if marker in declared:
            return content_type
    return None


def _is_plain_text(uploaded) -> bool:
    """UTF-8 throughout, no NUL byte, and neither markup nor a script."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    tail = b""
    first = True
    try:
        for chunk in uploaded.chunks(_CHUNK_BYTES):
            if b"\x00" in chunk:
                return False
            decoder.decode(chunk)
            if first:
                start = chunk.removeprefix(codecs.BOM_UTF8).lstrip()
                if start.startswith(_MARKUP_STARTS):
                    return False
                first = False
            window = (tail + chunk).lower()
            if any(marker in window for marker in _MARKUP_ANYWHERE):
                return False
            tail = window[-_OVERLAP_BYTES:]
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    finally:
        uploaded.seek(0)
    return True


def check_upload(uploaded) -> str:
    """The content type of an accepted file, detected from its content;
    raises ValidationError saying why a file is refused."""
    name = os.path.basename(uploaded.name or "") or _("(without a name)")
    size = _size_of(uploaded)
    if size > UPLOAD_MAX_BYTES:
        raise ValidationError(
            _("The file %(name)s is too large: %(size)s MB; the limit is %(limit)s MB.")
            % {"name": name, "size": _megabytes(size), "limit": UPLOAD_MAX_BYTES // MiB},
            code="evidence_size",
        )
    if size == 0:
        raise ValidationError(
            _("The file %(name)s is empty.") % {"name": name}, code="evidence_empty"
        )
    head = uploaded.read(16)
    uploaded.seek(0)
    for signature, content_type in _SIGNATURES:
        if head.startswith(signature):
            return content_type
    if head.startswith(_ZIP_SIGNATURE):
        content_type = _office_type(uploaded)
        if content_type is None:
            raise _not_accepted(name)
        return content_type
    if _is_plain_text(uploaded):
        return TEXT
    raise _not_accepted(name)


def download_name(original_name: str, content_type: str) -> str:
    """The name a file is downloaded under: its original name, with the
    extension of its detected type added when it has another one."""
    allowed = EXTENSIONS.get(content_type)
    if not allowed or original_name.lower().endswith(allowed):
        return original_name
    return original_name + allowed[0]


def accepted_types_help() -> str:
    return _(
        "PDF, images (PNG, JPEG), Word, Excel or PowerPoint documents, or text/CSV; "
        "up to %(limit)s MB each, %(count)s files at a time."
    ) % {"limit": UPLOAD_MAX_BYTES // MiB, "count": MAX_FILES_PER_UPLOAD}


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class FilesField(forms.FileField):
    """Several files at once; cleans to a list of (file, detected content type)."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if not files:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return []
        if len(files) > MAX_FILES_PER_UPLOAD:
            raise ValidationError(
                ngettext(
                    "Attach at most %(limit)d file at a time.",
                    "Attach at most %(limit)d files at a time.",
                    MAX_FILES_PER_UPLOAD,
                )
                % {"limit": MAX_FILES_PER_UPLOAD},
                code="too_many_files",
            )
        checked, errors = [], []
        for uploaded in files:
            uploaded = super().clean(uploaded, initial)
            try:
                checked.append((uploaded, check_upload(uploaded)))
            except ValidationError as error:
                errors.extend(error.error_list)
        if errors:
            raise ValidationError(errors)
        return checked


class StoredFile(models.Model):
    """The fields of a stored upload; a concrete model adds `file` (with its
    own folder) and what the file belongs to."""

    original_name = models.CharField(gettext_lazy("file name"), max_length=255)
    content_type = models.CharField(gettext_lazy("type"), max_length=100)
    size = models.PositiveIntegerField(gettext_lazy("size (bytes)"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(gettext_lazy("uploaded"), auto_now_add=True)

    class Meta:
        abstract = True

    def __str__(self):
        return self.original_name


def store_upload(instance, uploaded, *, user) -> None:
    """Fill a file record (`file`, `original_name`, `content_type` already
    set by the caller, `size`, `sha256`, `uploaded_by`) from an upload that
    was checked by content, and save the file under its digest. The caller
    saves the record."""
    digest = hashlib.sha256()
    for chunk in uploaded.chunks():
        digest.update(chunk)
    uploaded.seek(0)
    instance.original_name = uploaded.name[:255]
    instance.size = uploaded.size
    instance.sha256 = digest.hexdigest()
    instance.uploaded_by = user
    instance.file.save(digest.hexdigest()[:16], uploaded, save=False)
    written = _written.get()
    if written is not None:
        written.append((instance.file.storage, instance.file.name))


# Files are part of the business step (STYLE rule 12): a step that fails
# after writing files removes them, so no file is left without its record.
_written: contextvars.ContextVar[list | None] = contextvars.ContextVar(
    "coalicion_files_written", default=None
)


@contextmanager
def files_and_rows():
    """A transaction that also covers the files `store_upload` writes in it:
    if the block fails, its rows are rolled back and its files deleted.
    Nested blocks hand their files to the enclosing one when they succeed."""
    outer = _written.get()
    written: list = []
    token = _written.set(written)
    try:
        with transaction.atomic():
            yield
    except BaseException:
        for storage, name in written:
            try:
                storage.delete(name)
            except OSError:
                logger.exception("Could not remove the file %s of a failed step", name)
        raise
    finally:
        _written.reset(token)
    if outer is not None:
        outer.extend(written)


def atomic_with_files(function):
    """Decorator form of :func:`files_and_rows`, for actions."""

    @functools.wraps(function)
    def wrapped(*args, **kwargs):
        with files_and_rows():
            return function(*args, **kwargs)

    return wrapped
