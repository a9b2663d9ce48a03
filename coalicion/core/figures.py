"""A cache of computed figures, keyed by what they depend on (ADR 0055).

A figure (the roll-up of the POAs, the dashboard's charts, the indicators'
values) is computed once and kept in Django's configured cache (``default``:
the database in production, shared by every worker; memory in
development), under a key made of

- its name and the parts that choose it (as-of date, filters, and the
  language when the figure carries text),
- the data version of every namespace it depends on.

A namespace is an app label ("plans", "monitoring", "meetings",
"cooperation", "membership"). Its data version is a token kept in the same
cache; every write to one of the app's models changes it (`watch` connects
the app's models; an action that writes around the ORM's signals, with
``bulk_create`` or ``update``, calls `changed` itself). A changed version
makes every key built on the old one unreachable: a figure is never served
from before a write it depends on. The token is changed when the write's
transaction commits (other workers then recompute) and also at once, so
that a read later in the same transaction (a test, a view that writes then
shows) sees the write too.

The version is a fresh random token, not an incremented counter: two
workers bumping at once cannot both write the same next number, so no write
can be lost.

This module knows no domain app: each app says what it owns with `watch`
in its ``AppConfig.ready``.
"""

import hashlib
import pickle  # nosec B403: only to name its error; the cache unpickles
import threading
import uuid
from collections.abc import Callable, Iterable

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import translation

from coalicion.core.dbrouters import primary_reads

PREFIX = "figures"
DEFAULT_TIMEOUT = 60 * 60  # a figure of "today" changes key at midnight anyway
_MISSING = object()

# Per thread: the namespaces bumped since this thread last read their
# version (a second bump before any read would change nothing it can see).
_local = threading.local()


def _version_key(namespace: str) -> str:
    return f"{PREFIX}:version:{namespace}"


def _bumped() -> set:
    found = getattr(_local, "bumped", None)
    if found is None:
        found = _local.bumped = set()
    return found


def _bump(namespaces: Iterable[str]) -> None:
    cache.set_many({_version_key(ns): uuid.uuid4().hex for ns in namespaces}, timeout=None)


class _OnCommit:
    """The bump queued for the end of one transaction (one per namespace set)."""

    def __init__(self):
        self.namespaces: set[str] = set()

    def __call__(self):
        _bump(self.namespaces)
        # The next transaction of this thread bumps at once again.
        _bumped().difference_update(self.namespaces)


def changed(*namespaces: str) -> None:
    """The data of `namespaces` changed: no figure computed before is served
    again. Called by `watch`'s signals and by actions writing in bulk."""
    namespaces = set(namespaces)
    if not namespaces:
        return
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        _bump(namespaces)
        return
    # Now, for reads later in this transaction (once until the next read)...
    now = namespaces - _bumped()
    if now:
        _bump(now)
        _bumped().update(now)
    # ... and on commit, for everybody (once per transaction). A bump queued
    # in an enclosing savepoint is reused: rolling that back rolls these
    # writes back too. One queued in a savepoint since released is not.
    current = set(connection.savepoint_ids)
    pending = next(
        (
            func
            for sids, func, *_rest in connection.run_on_commit
            if isinstance(func, _OnCommit) and sids <= current
        ),
        None,
    )
    if pending is None:
        pending = _OnCommit()
        transaction.on_commit(pending)
    pending.namespaces |= namespaces


def versions(namespaces: Iterable[str]) -> dict[str, str]:
    """The current data version of each namespace (one cache read; a
    namespace never seen gets its first token)."""
    namespaces = sorted(set(namespaces))
    keys = {_version_key(ns): ns for ns in namespaces}
    found = cache.get_many(list(keys))
    missing = {key: uuid.uuid4().hex for key in keys if key not in found}
    for key, token in missing.items():
        # Another worker may have set it meanwhile: keep the one stored.
        if not cache.add(key, token, timeout=None):
            token = cache.get(key, token)
        found[key] = token
    _bumped().difference_update(namespaces)
    return {keys[key]: found[key] for key in keys}


def key_of(name: str, parts: Iterable, depends_on: Iterable[str], *, localized: bool) -> str:
    """The cache key of a figure: readable name, then a digest of its parts,
    the language (for `localized` figures) and the data versions."""
    known = versions(depends_on)
    language = translation.get_language() if localized else ""
    raw = repr((tuple(parts), language, sorted(known.items())))
    digest = hashlib.sha256(raw.encode()).hexdigest()
    return f"{PREFIX}:{name}:{digest}"


def cached(
    name: str,
    parts: Iterable,
    compute: Callable[[], object],
    *,
    depends_on: Iterable[str],
    localized: bool = True,
    timeout: int = DEFAULT_TIMEOUT,
):
    """The figure `name` for `parts` (plain values: ids, dates, codes), from
    the cache, or computed by `compute()` and kept. `depends_on`: the
    namespaces whose writes change it; `localized`: its text follows the
    active language."""
    key = key_of(name, parts, depends_on, localized=localized)
    value = _stored(key)
    if value is _MISSING:
        # Computed from the primary database, never from a lagging read
        # replica (ADR 0064): the figure is kept until the next write, so
        # one computed just after a write must already include it.
        with primary_reads():
            value = compute()
            cache.set(key, value, timeout=timeout)
    return value


# What a figure kept by another release may fail with when it is read back:
# its classes changed shape (a dataclass given slots, a field renamed) or
# moved. During a rolling upgrade old and new processes share the cache.
_UNREADABLE = (
    AttributeError,
    EOFError,
    ImportError,
    IndexError,
    TypeError,
    ValueError,
    pickle.UnpicklingError,
)


def _stored(key: str):
    """The figure kept under `key`, or _MISSING (also when it cannot be read
    back: it is computed again and kept in the current shape)."""
    try:
        return cache.get(key, _MISSING)
    except _UNREADABLE:
        return _MISSING


def forget_all() -> list[str]:
    """Change the version of every watched namespace: no figure computed
    before is served again (run by `manage.py deploy`, since a new release
    may compute or shape its figures differently). The namespaces changed."""
    namespaces = sorted(_receivers)
    if namespaces:
        _bump(namespaces)
    return namespaces


def _on_write(namespace: str) -> Callable:
    def receiver(sender, **kwargs):
        if kwargs.get("raw"):  # loaddata: the loader says when it is done
            return
        changed(namespace)

    return receiver


_receivers: dict[str, Callable] = {}


def watch(app_config, *, namespace: str | None = None, exclude: Iterable[str] = ()) -> None:
    """Every save and delete of the app's models (their history included,
    the admin's edits too) changes the namespace (default: the app's label).
    `exclude`: model names whose writes change no figure."""
    namespace = namespace or app_config.label
    receiver = _receivers.setdefault(namespace, _on_write(namespace))
    skipped = {name.lower() for name in exclude}
    for model in app_config.get_models():
        if model._meta.model_name in skipped:
            continue
        uid = f"figures:{namespace}:{model._meta.label_lower}"
        post_save.connect(receiver, sender=model, dispatch_uid=uid)
        post_delete.connect(receiver, sender=model, dispatch_uid=uid)
        for field in model._meta.local_many_to_many:
            m2m_changed.connect(receiver, sender=field.remote_field.through, dispatch_uid=uid)
