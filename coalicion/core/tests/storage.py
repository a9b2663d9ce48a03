"""A file store that fills up, for tests of uploads under faults."""

import errno
import os
from pathlib import Path

from django.core.files.storage import FileSystemStorage


class FullDisk(FileSystemStorage):
    """Writes the first `succeed` files, then the next one stops halfway
    with ``OSError: [Errno 28] No space left on device``, leaving its
    half-written file on disk as a real full disk does."""

    def __init__(self, *, succeed: int = 0, **kwargs):
        super().__init__(**kwargs)
        self.succeed = succeed
        self.attempts: list[str] = []

    def _save(self, name, content):
        self.attempts.append(name)
        if len(self.attempts) <= self.succeed:
            return super()._save(name, content)
        path = Path(self.path(name))
        path.parent.mkdir(parents=True, exist_ok=True)
        data = b"".join(content.chunks())
        path.write_bytes(data[: max(1, len(data) // 2)])
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))


def fill_disk(monkeypatch, model, *, field: str = "file", succeed: int = 0) -> FullDisk:
    """Make `model.field` store its files on a disk that fills up after
    `succeed` files (see :class:`FullDisk`)."""
    storage = FullDisk(succeed=succeed)
    monkeypatch.setattr(model._meta.get_field(field), "storage", storage)
    return storage


def files_under(root) -> list[Path]:
    """Every file under `root` (a folder that may not exist yet)."""
    return sorted(p for p in Path(root).rglob("*") if p.is_file())
