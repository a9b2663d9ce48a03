"""`make run`'s cooperation demo: every indicator this app computes has a
value and records, and after it no indicator of the plan lacks its computation."""

import pytest
from django.core.management import call_command
from django.utils import timezone, translation

from coalicion.composition import demo
from coalicion.cooperation.models import Instrument, Replication, StageChange
from coalicion.monitoring import computations
from coalicion.plans.models import Indicator


@pytest.fixture
def demo_data(plan, tmp_path, monkeypatch):
    monkeypatch.setattr(demo, "CREDENTIALS_FILE", tmp_path / ".demo-credentials")
    with translation.override("en"):
        call_command("setup_demo")


def test_every_computed_indicator_has_a_value_and_records(plan, demo_data):
    today = timezone.localdate()
    computed = Indicator.objects.filter(result__objective__axis__plan=plan, source="computed")
    assert computed.count() == 12
    for indicator in computed:
        result = computations.compute(indicator=indicator, as_of=today)
        assert result is not None, indicator.code
        assert result.value, indicator.code
        assert result.records, indicator.code


def test_the_demo_has_history_evidence_and_a_step_back(demo_data):
    assert Instrument.objects.values("country").distinct().count() >= 8
    assert StageChange.objects.exclude(reason="").exists()
    assert StageChange.objects.filter(evidence__isnull=False).exists()
    assert Replication.objects.count() >= 5


def test_the_demo_is_made_once(plan, demo_data, tmp_path, monkeypatch):
    count = StageChange.objects.count()
    call_command("setup_demo")
    assert StageChange.objects.count() == count


def test_every_cooperation_page_renders_the_demo_in_spanish(demo_data, client_as):
    from django.urls import reverse

    from coalicion.cooperation.models import Actor, GoodPractice, Instrument, ResourceRequest

    with translation.override("es"):
        urls = [
            reverse("cooperation:instruments"),
            reverse("cooperation:instrument_create"),
            reverse("cooperation:practices"),
            reverse("cooperation:practice_create"),
            reverse("cooperation:actors"),
            reverse("cooperation:actor_create"),
            reverse("cooperation:alliance_create"),
            reverse("cooperation:joint_action_create"),
            reverse("cooperation:resources"),
            reverse("cooperation:resource_create"),
            reverse("cooperation:resource_edit", args=[ResourceRequest.objects.first().pk]),
            reverse("cooperation:instrument", args=[Instrument.objects.first().pk]),
            reverse("cooperation:practice", args=[GoodPractice.objects.first().pk]),
            reverse("cooperation:actor", args=[Actor.objects.first().pk]),
            reverse("membership:country", args=["CR"]),
        ]
    client = client_as("secretariat")
    for url in urls:
        assert client.get(url).status_code == 200, url
