import pytest
from django.conf import settings

from coalicion.plans.actions import load_plan
from coalicion.plans.models import Plan

COALICION_PLAN_CODE = "pe-2018-2027"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the Coalition's real plan once; each test runs in a transaction on top of it.

    Browser tests use a live server and a flushed database: they load the plan
    themselves (see tests/browser/conftest.py). pytest-django runs them last.
    """
    with django_db_blocker.unblock():
        load_plan(path=settings.COALICION_PLAN_FILE)


@pytest.fixture
def plan(db) -> Plan:
    return Plan.objects.get(code=COALICION_PLAN_CODE)
