"""Uploaded files: one way to check them, one way to store them.

Every file a user sends (evidence, meeting attachments, country reports'
files, and the modules to come) goes through here:

- :func:`check_upload` decides the type by the content, never by the name or
  by the content type the browser claims: PDF, PNG, JPEG, Office Open XML
  documents (Word, Excel, PowerPoint without macros) and plain UTF-8 text or
  CSV. Each type is checked by its structure, not only its first bytes (a
  PDF has its cross-reference trailer, a PNG its chunks with their
  checksums, a JPEG its segments and end marker), and a file whose name
  claims one of these types must hold that type. Anything else is refused
  with a message naming the file.
- :class:`FilesField` is the form field for several files at once.
- :class:`StoredFile` is the abstract model of a stored upload, and
  :func:`store_upload` fills it and writes the file under MEDIA_ROOT
  (outside the web root), named by its digest.
- :func:`save_file` writes a file as part of a business step: a failing
  store (a full disk) leaves no partial file and refuses the step with a
  clear message; :func:`files_and_rows` deletes the step's files when its
  transaction rolls back.
- :func:`download_name` is the name a file is downloaded under (see
  `coalicion.audit.downloads` for the permission-checked, recorded download).
"""

import codecs
import contextvars
import functools
import hashlib
import logging
import os
import re
import struct
import zipfile
import zlib
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


def _not_what_its_name_says(name: str, content_type: str) -> ValidationError:
    return ValidationError(
        _(
            "The file %(name)s is not a valid %(type)s file: its content is damaged "
            "or of another kind."
        )
        % {"name": name, "type": TYPE_NAMES[content_type]},
        code="evidence_structure",
    )


TYPE_NAMES = {
    PDF: "PDF",
    PNG: "PNG",
    JPEG: "JPEG",
    DOCX: "Word",
    XLSX: "Excel",
    PPTX: "PowerPoint",
}
# The types a file name may claim: such a file must hold a document of an
# accepted binary type (a PNG named ".jpg" is an image, downloaded as
# ".jpg.png"), never text or something unknown. Text is not among them: a
# PDF named "acta.txt" is a PDF, downloaded as "acta.txt.pdf".
_CLAIMED_BY_NAME = {ext: kind for kind, exts in EXTENSIONS.items() if kind != TEXT for ext in exts}

# A PDF ends with "%%EOF" after its cross-reference section (a table or a
# stream, found through "startxref" or a "trailer" dictionary), and holds at
# least one indirect object. Producers may append a few bytes after %%EOF.
_PDF_HEADER = re.compile(rb"%PDF-[12]\.\d")
_PDF_OBJECT = re.compile(rb"\d+\s+\d+\s+obj\b")
_PDF_TAIL_BYTES = 2048


def _is_pdf(uploaded, size: int) -> bool:
    head = uploaded.read(1024)
    uploaded.seek(max(0, size - _PDF_TAIL_BYTES))
    tail = uploaded.read()
    uploaded.seek(0)
    if not _PDF_HEADER.match(head) or b"%%EOF" not in tail:
        return False
    if b"startxref" not in tail and b"trailer" not in tail:
        return False
    return bool(_PDF_OBJECT.search(head) or _PDF_OBJECT.search(tail) or _has_pdf_object(uploaded))


def _has_pdf_object(uploaded) -> bool:
    tail = b""
    try:
        for chunk in uploaded.chunks(_CHUNK_BYTES):
            if _PDF_OBJECT.search(tail + chunk):
                return True
            tail = chunk[-32:]
    finally:
        uploaded.seek(0)
    return False


def _is_png(uploaded) -> bool:
    """Signature, then chunks (length, type, data, CRC) from IHDR to IEND,
    each checksum right."""
    uploaded.seek(8)
    try:
        first = True
        while True:
            header = uploaded.read(8)
            if len(header) < 8:
                return False
            length, kind = struct.unpack(">I4s", header)
            if first and (kind != b"IHDR" or length != 13):
                return False
            first = False
            if length > UPLOAD_MAX_BYTES:
                return False
            data = uploaded.read(length)
            crc = uploaded.read(4)
            if len(data) < length or len(crc) < 4:
                return False
            if zlib.crc32(kind + data) != struct.unpack(">I", crc)[0]:
                return False
            if kind == b"IEND":
                return True
    finally:
        uploaded.seek(0)


def _is_jpeg(uploaded, size: int) -> bool:
    """Start of image, marker segments up to the start of scan, and the end
    of image marker among the last bytes."""
    uploaded.seek(2)
    try:
        while True:
            marker = uploaded.read(2)
            if len(marker) < 2 or marker[0] != 0xFF:
                return False
            if marker[1] == 0xDA:  # start of scan: compressed data follows
                break
            if 0xD0 <= marker[1] <= 0xD9 or marker[1] == 0x01:
                continue  # markers without a length
            raw = uploaded.read(2)
            if len(raw) < 2:
                return False
            (length,) = struct.unpack(">H", raw)
            if length < 2:
                return False
            uploaded.seek(length - 2, os.SEEK_CUR)
        uploaded.seek(max(0, size - 64))
        return b"\xff\xd9" in uploaded.read()
    finally:
        uploaded.seek(0)


_STRUCTURE_CHECKS = {
    PDF: _is_pdf,
    PNG: lambda uploaded, size: _is_png(uploaded),
    JPEG: _is_jpeg,
}


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
    content_type = _content_type(uploaded, size)
    claimed = _CLAIMED_BY_NAME.get(os.path.splitext(name)[1].lower())
    if claimed and content_type in (None, TEXT):
        raise _not_what_its_name_says(name, claimed)
    if content_type is None:
        raise _not_accepted(name)
    return content_type


def _content_type(uploaded, size: int) -> str | None:
    head = uploaded.read(16)
    uploaded.seek(0)
    for signature, content_type in _SIGNATURES:
        if head.startswith(signature):
            return content_type if _STRUCTURE_CHECKS[content_type](uploaded, size) else None
    if head.startswith(_ZIP_SIGNATURE):
        return _office_type(uploaded)
    if _is_plain_text(uploaded):
        return TEXT
    return None


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
    save_file(instance.file, digest.hexdigest()[:16], uploaded, shown_name=instance.original_name)


# What a failing file store raises: a disk, or an S3-compatible store
# (MEDIA_STORAGE=s3, ADR 0064) that is unreachable or refuses the write.
try:
    from botocore.exceptions import BotoCoreError, ClientError
except ImportError:  # pragma: no cover (pinned in requirements.txt)
    STORE_ERRORS: tuple[type[BaseException], ...] = (OSError,)
else:
    STORE_ERRORS = (OSError, BotoCoreError, ClientError)


def save_file(field_file, name: str, content, *, shown_name: str = "") -> None:
    """Write `content` through a model's file field (without saving the
    record), as part of the enclosing :func:`files_and_rows` step.

    A store that fails while writing (a full disk, ``OSError: [Errno 28]``,
    an unreachable storage) leaves no half-written file behind: the
    partial file is removed and the step is refused with a
    ``ValidationError`` that says so in plain words (the details go to the
    log), so that the form shows it and the transaction saves nothing."""
    field = field_file.field
    storage = field_file.storage
    target = field.generate_filename(field_file.instance, name)
    try:
        target = storage.get_available_name(target, max_length=field.max_length)
        field_file.name = storage.save(target, content, max_length=field.max_length)
    except STORE_ERRORS as error:
        logger.exception("Could not store the file %s (%s)", target, shown_name or name)
        _remove_partial(storage, target)
        raise ValidationError(
            _(
                "The file %(name)s could not be stored on the server (its file store is full "
                "or unavailable). Nothing was saved: try again later, and tell the "
                "Secretariat if it happens again."
            )
            % {"name": shown_name or name},
            code="upload_not_stored",
        ) from error
    setattr(field_file.instance, field.attname, field_file.name)
    field_file._committed = True
    written = _written.get()
    if written is not None:
        written.append((storage, field_file.name))


def _remove_partial(storage, name: str) -> None:
    try:
        if storage.exists(name):
            storage.delete(name)
    except STORE_ERRORS:
        logger.exception("Could not remove the partial file %s", name)


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
