"""The figures cache (ADR 0055): computed once per data version, kept per
language, recomputed after any write to what it depends on."""

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.utils import translation

from coalicion.core import figures


class Counter:
    def __init__(self):
        self.calls = 0

    def __call__(self):
        self.calls += 1
        return {"figure": self.calls}


def read(compute, parts=("a", 1), depends_on=("alpha",), **kwargs):
    return figures.cached("test", parts, compute, depends_on=depends_on, **kwargs)


def test_a_figure_is_computed_once_for_the_same_parts_and_versions():
    compute = Counter()
    assert read(compute) == {"figure": 1}
    assert read(compute) == {"figure": 1}
    assert compute.calls == 1
    assert read(compute, parts=("a", 2)) == {"figure": 2}  # other parts, other figure


def test_a_change_of_a_namespace_it_depends_on_recomputes_it():
    compute = Counter()
    read(compute, depends_on=("alpha", "beta"))
    figures.changed("gamma")
    read(compute, depends_on=("alpha", "beta"))
    assert compute.calls == 1  # not its business
    figures.changed("beta")
    assert read(compute, depends_on=("alpha", "beta")) == {"figure": 2}


def test_in_a_transaction_the_version_changes_again_on_commit(
    db, django_capture_on_commit_callbacks
):
    compute = Counter()
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        figures.changed("alpha")
        during = figures.versions(["alpha"])
        read(compute)  # kept under the version of the uncommitted write
        figures.changed("alpha", "beta")  # more writes before the commit
    assert [c.namespaces for c in callbacks] == [{"alpha", "beta"}]  # one bump per transaction
    assert figures.versions(["alpha"]) != during
    assert read(compute) == {"figure": 2}


def test_a_rolled_back_savepoint_takes_its_bump_and_leaves_none_behind(db):
    with pytest.raises(RuntimeError), transaction.atomic():
        figures.changed("alpha")
        raise RuntimeError
    assert not [f for _s, f, *_ in connection.run_on_commit if isinstance(f, figures._OnCommit)]
    with transaction.atomic():
        figures.changed("alpha")
    queued = [f for _s, f, *_ in connection.run_on_commit if isinstance(f, figures._OnCommit)]
    assert len(queued) == 1 and queued[0].namespaces == {"alpha"}


def test_a_localized_figure_is_kept_per_language():
    compute = Counter()
    with translation.override("es"):
        read(compute)
    with translation.override("en"):
        read(compute)
        read(compute, localized=False)
    with translation.override("es"):
        read(compute, localized=False)
    assert compute.calls == 3


def test_a_lost_version_is_never_served_stale():
    compute = Counter()
    read(compute)
    cache.delete(figures._version_key("alpha"))  # culled, or the cache restarted
    assert read(compute) == {"figure": 2}


def test_a_figure_another_release_kept_in_another_shape_is_computed_again(monkeypatch):
    """During a rolling upgrade an older process may keep a figure whose
    classes this release changed (a dataclass given slots): reading it back
    fails, so it is computed again and kept in the current shape."""
    compute = Counter()
    read(compute)
    real_get = cache.get

    def unreadable(key, default=None, version=None):
        if key.startswith(f"{figures.PREFIX}:test:"):
            raise AttributeError("'PartNode' object has no attribute '__dict__'")
        return real_get(key, default, version)

    monkeypatch.setattr(cache, "get", unreadable)
    assert read(compute) == {"figure": 2}
    monkeypatch.undo()
    assert read(compute) == {"figure": 2}  # kept again, readable
    assert compute.calls == 2
