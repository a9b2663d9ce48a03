"""Reads of reports and statistics from a read replica (ADR 0064).

Installed only when ``DATABASE_REPLICA_URL`` is set. The apps are named by
their label, so that core still imports no domain app (ADR 0011).

A replica lags behind the primary: a read right after a write in the same
transaction would not see that write there. So inside an atomic block on
"default" every read goes to "default"; outside one, a report or a figure
may be a moment (the replica's lag) older than the primary.
"""

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connections

REPLICA = "replica"
PRIMARY = "default"
# Apps whose pages only read and may be a moment behind the primary.
REPLICA_APPS = frozenset({"reports", "statistics"})


_primary_only: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "coalicion_primary_reads", default=False
)


@contextmanager
def primary_reads() -> Iterator[None]:
    """Every read inside goes to "default", without opening a transaction
    (e.g. a figure kept until the next write must include the last one)."""
    token = _primary_only.set(True)
    try:
        yield
    finally:
        _primary_only.reset(token)


class ReplicaRouter:
    """Reads of REPLICA_APPS go to "replica"; everything else, every write
    and every migration to "default"."""

    def db_for_read(self, model, **hints):
        if model._meta.app_label not in REPLICA_APPS:
            return PRIMARY
        if _primary_only.get() or connections[PRIMARY].in_atomic_block:
            # Read your own writes: the replica has not seen them yet.
            return PRIMARY
        return REPLICA

    def db_for_write(self, model, **hints):
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        # Both aliases hold the same data (the replica mirrors the primary).
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == PRIMARY
