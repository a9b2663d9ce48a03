"""Fixtures shared by every test: the Coalition's plan loaded once, people
with each role (derived from governance records), clients signed in as them,
and the settings every test runs with. An app's own conftest adds only what
is particular to it."""

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import caches
from django.test import Client
from django.utils import translation
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from coalicion.composition.context_processors import member_countries_today, remember_demo_data
from coalicion.composition.planfile import load_plan
from coalicion.plans.models import Plan

COALICION_PLAN_CODE = "pe-2018-2027"
# An invented plan of another coalition, small and complete (docs/plan-format.md).
MINI_PLAN = (
    Path(__file__).parent / "coalicion" / "composition" / "tests" / "data" / "mini-plan.yaml"
)

# Property-based tests on a busy shared machine: no deadline per example and
# no "too slow" health check (a health check failed a first run under load); the
# examples and their number stay Hypothesis's. HYPOTHESIS_PROFILE=default
# brings the deadline back when timing a rule.
hypothesis_settings.register_profile(
    "ci", deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the Coalition's real plan once; each test runs in a transaction on top of it.

    Browser tests use a live server and a flushed database: they load the plan
    themselves (see tests/browser/conftest.py). pytest-django runs them last.
    """
    with django_db_blocker.unblock():
        load_plan(path=settings.COALICION_PLAN_FILE)
        # Each process reads the footer's member countries once a day (ADR
        # 0013): now, so that no test's first page is the one that reads them.
        member_countries_today()


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: its database is rolled back at
    the end, so no figure computed by an earlier test (ADR 0055) may be
    served from it."""
    caches["default"].clear()


@pytest.fixture(autouse=True)
def no_demo_data_remembered():
    """Each test starts on the session's database, which holds no demo data: the
    demo notice's per-process memo (ADR 0042) says so without a query, and no
    earlier test's demo load is remembered. Loading the demo forgets it."""
    remember_demo_data(False)


@pytest.fixture(autouse=True)
def fast_password_hashing(request, settings):
    """Argon2 is slow by design; tests hash with MD5 unless they test hashing."""
    if "real_password_hashing" not in request.keywords:
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def immediate_jobs(settings):
    """Jobs run at once in the test's process (queued on commit, as in production)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def site_url(settings):
    """Links in e-mails and calendars use SITE_URL (there is no request in a
    job); in tests it is the test client's host."""
    settings.SITE_URL = "http://testserver"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path_factory):
    """Uploaded and generated files (evidence, attachments, frozen minutes)
    go to a temporary folder, never to the working copy's var/media."""
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")


@pytest.fixture
def english():
    """Messages, pages and mails in English (the language of the msgids)."""
    with translation.override("en"):
        yield


@pytest.fixture
def plan(db) -> Plan:
    return Plan.objects.get(code=COALICION_PLAN_CODE)


@pytest.fixture
def mini_plan(db) -> Plan:
    """The invented plan loaded beside the Coalition's."""
    return load_plan(path=MINI_PLAN).plan


# --- People with roles, derived from governance records ---------------------
# The Presidency is held by Honduras and the Secretariat by Panamá from
# 2020 on; "own" country objects belong to Costa Rica, "other" to Guatemala.

TEST_PASSWORD = "correct-horse-battery-staple-42"  # noqa: S105


@pytest.fixture
def terms(plan):
    from coalicion.membership.models import Country, Organ, OrganTerm

    countries = {c.code: c for c in Country.objects.all()}
    OrganTerm.objects.create(
        organ=Organ.objects.get(code="presidency"), country=countries["HN"], start="2020-01-01"
    )
    OrganTerm.objects.create(
        organ=Organ.objects.get(code="secretariat"), country=countries["PA"], start="2020-01-01"
    )
    return countries


@pytest.fixture
def make_user(db):
    """make_user(email, country=None, role="titular", observer=False, superuser=False)."""
    import datetime

    from allauth.account.models import EmailAddress

    from coalicion.accounts.models import User
    from coalicion.membership.models import (
        ObserverMembership,
        ObserverOrganisation,
        Person,
        Representation,
    )

    def make(
        email,
        *,
        country=None,
        role="titular",
        observer=False,
        superuser=False,
        start=datetime.date(2020, 1, 1),
        end=None,
    ):
        user = User.objects.create_user(email=email, password=TEST_PASSWORD, is_superuser=superuser)
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        person = Person.objects.create(
            given_name="Persona",
            family_name=email.split("@")[0],
            email=email,
            user=user,
            country=country,
        )
        if country is not None and role:
            Representation.objects.create(
                person=person, country=country, role=role, start=start, end=end
            )
        if observer:
            organisation, _ = ObserverOrganisation.objects.get_or_create(
                name="Organización de prueba", kind=ObserverOrganisation.Kind.NGO
            )
            ObserverMembership.objects.create(
                person=person, organisation=organisation, start=start, end=end
            )
        return user

    return make


@pytest.fixture
def users(terms, make_user):
    """One user per role of the permission matrix (anonymous is None)."""
    return {
        "anonymous": None,
        "observer": make_user("observer@test.invalid", observer=True),
        "focal_point": make_user("focal.cr@test.invalid", country=terms["CR"]),
        "focal_point_other": make_user("focal.gt@test.invalid", country=terms["GT"]),
        "presidency": make_user("presidency@test.invalid", country=terms["HN"]),
        "secretariat": make_user("secretariat@test.invalid", country=terms["PA"]),
    }


@pytest.fixture
def client_as(users):
    """client_as("secretariat") or client_as(user): a new test client signed
    in as the user of that role (or as `user`), beside the `client` fixture."""

    def make(who) -> Client:
        client = Client()
        client.force_login(users[who] if isinstance(who, str) else who)
        return client

    return make


@pytest.fixture
def secretariat_client(client_as) -> Client:
    return client_as("secretariat")


@pytest.fixture
def observer_client(client_as) -> Client:
    return client_as("observer")
