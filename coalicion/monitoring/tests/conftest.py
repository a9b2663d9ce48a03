"""Monitoring fixtures on the Coalition's real POA 2018."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from coalicion.monitoring import actions
from coalicion.monitoring.models import ProgressReport, ReportStatus
from coalicion.plans.models import Activity, Responsible


@pytest.fixture
def poa(plan):
    return plan.operating_plans.get(year=2018)


@pytest.fixture
def periods(poa):
    """The four quarters of 2018, reports due 15 days after each."""
    return actions.create_quarterly_periods(operating_plan=poa)


@pytest.fixture
def cr_activity(poa, terms):
    """Activity 3.1.1-1 made Costa Rica's responsibility besides the document's
    Presidency and Secretariat: one country, so reported as a whole (not by
    countries' parts)."""
    activity = Activity.objects.get(objective__operating_plan=poa, code="3.1.1-1")
    Responsible.objects.create(activity=activity, kind="country", country=terms["CR"])
    return activity


@pytest.fixture
def validated_report(users):
    """validated_report(activity, period, percent, on=date, country=None): a
    report already validated (a country's part of a shared activity when
    `country` is given)."""

    def make(activity, period, percent, on=None, country=None):
        on = on or period.due
        moment = timezone.make_aware(datetime.datetime.combine(on, datetime.time(12)))
        return ProgressReport.objects.create(
            activity=activity,
            period=period,
            country=country,
            percent=Decimal(percent),
            narrative="Avance de prueba.",
            status=ReportStatus.VALIDATED,
            submitted_by=users["secretariat"],
            submitted_at=moment,
            reviewed_by=users["secretariat"],
            reviewed_at=moment,
        )

    return make
