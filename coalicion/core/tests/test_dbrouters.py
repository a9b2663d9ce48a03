"""The read-replica router (ADR 0064): reports' and statistics' reads to
"replica", outside a transaction; everything else to "default"."""

import pytest
from django.apps import apps
from django.db import router, transaction
from django.test import override_settings

from coalicion.core.dbrouters import ReplicaRouter

Release = apps.get_model("statistics", "Release")
IssuedReport = apps.get_model("reports", "IssuedReport")
User = apps.get_model("accounts", "User")
Plan = apps.get_model("plans", "Plan")
ROUTER = "coalicion.core.dbrouters.ReplicaRouter"


@pytest.mark.parametrize("model", [Release, IssuedReport], ids=["statistics", "reports"])
def test_reports_and_statistics_are_read_from_the_replica(model):
    assert ReplicaRouter().db_for_read(model) == "replica"


@pytest.mark.parametrize("model", [User, Plan], ids=["accounts", "plans"])
def test_other_apps_are_read_from_the_primary(model):
    assert ReplicaRouter().db_for_read(model) == "default"


@pytest.mark.parametrize("model", [Release, IssuedReport, User])
def test_every_write_goes_to_the_primary(model):
    assert ReplicaRouter().db_for_write(model) == "default"


def test_migrations_run_on_the_primary_only():
    assert ReplicaRouter().allow_migrate("default", "statistics") is True
    assert ReplicaRouter().allow_migrate("replica", "statistics") is False
    assert ReplicaRouter().allow_migrate("replica", "accounts") is False


def test_relations_between_both_databases_are_allowed():
    assert ReplicaRouter().allow_relation(Release(), User()) is True


@pytest.mark.django_db
def test_inside_a_transaction_statistics_are_read_from_the_primary():
    # A lagging replica has not seen this transaction's writes yet.
    with transaction.atomic():
        assert ReplicaRouter().db_for_read(Release) == "default"


def test_with_the_router_configured_django_reads_statistics_from_the_replica():
    with override_settings(DATABASE_ROUTERS=[ROUTER]):
        assert router.db_for_read(Release) == "replica"
        assert router.db_for_read(User) == "default"
        assert router.db_for_write(Release) == "default"
    # Not configured (no DATABASE_REPLICA_URL): one database for everything.
    assert router.db_for_read(Release) == "default"


def test_a_cached_figure_is_computed_from_the_primary_not_the_lagging_replica():
    # Kept until the next write: one computed from a replica that has not
    # yet seen that write would stay wrong until the one after.
    from coalicion.core.figures import cached

    with override_settings(DATABASE_ROUTERS=[ROUTER]):
        assert router.db_for_read(Release) == "replica"
        read_from = cached(
            "test-router", ["figure"], lambda: router.db_for_read(Release), depends_on=[]
        )
    assert read_from == "default"
