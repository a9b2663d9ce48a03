"""The instruments registry: stage changes with evidence and reasons, the
history never rewritten, who may keep and see which instrument."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from coalicion.cooperation import actions, selectors
from coalicion.cooperation.models import Instrument, InstrumentType, StageChange
from coalicion.cooperation.tests.conftest import day
from coalicion.core.tests.files import PDF_BYTES


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def cr_protocol(make_instrument):
    return make_instrument(
        "national-repatriation-protocol",
        "CR",
        [("in_preparation", "2020-01-15")],
        title="Protocolo de repatriación CR",
    )


def test_stage_on_replays_the_history(make_instrument):
    instrument = make_instrument(
        "national-care-strategy",
        "GT",
        [("drafted", "2019-01-01"), ("approved", "2019-06-01"), ("drafted", "2020-01-01", "Veto")],
    )
    changes = list(instrument.changes.all())
    assert selectors.stage_on(changes, day("2018-12-31")) is None
    assert selectors.stage_on(changes, day("2019-06-01")).code == "approved"
    assert selectors.stage_on(changes, day("2019-12-31")).code == "approved"
    assert selectors.stage_on(changes, day("2020-01-01")).code == "drafted"
    assert instrument.stage.code == "drafted"
    assert [c.is_step_back for c in changes] == [False, False, True]


def test_going_back_needs_a_reason(cr_protocol, users, stages):
    actions.change_stage(
        actor=users["focal_point"],
        instrument=cr_protocol,
        version=None,
        stage=stages["drafted"],
        day=day("2021-01-01"),
    )
    with pytest.raises(ValidationError) as refused:
        actions.change_stage(
            actor=users["focal_point"],
            instrument=cr_protocol,
            version=None,
            stage=stages["in_preparation"],
            day=day("2021-02-01"),
        )
    assert "reason" in refused.value.error_dict


def test_history_is_never_rewritten(cr_protocol, users, stages):
    with pytest.raises(ValidationError) as refused:
        actions.change_stage(
            actor=users["focal_point"],
            instrument=cr_protocol,
            version=None,
            stage=stages["drafted"],
            day=day("2019-12-31"),
        )
    assert "cannot take effect before it" in refused.value.error_dict["day"][0].message
    with pytest.raises(ValidationError):
        actions.change_stage(
            actor=users["focal_point"],
            instrument=cr_protocol,
            version=None,
            stage=stages["in_preparation"],
            day=day("2021-01-01"),
        )
    future = datetime.date.today() + datetime.timedelta(days=2)
    with pytest.raises(ValidationError):
        actions.change_stage(
            actor=users["focal_point"],
            instrument=cr_protocol,
            version=None,
            stage=stages["drafted"],
            day=future,
        )
    assert StageChange.objects.filter(instrument=cr_protocol).count() == 1


def test_a_stale_stage_change_is_refused(cr_protocol, users, stages):
    opened_on = cr_protocol.version
    actions.change_stage(
        actor=users["secretariat"],
        instrument=cr_protocol,
        version=opened_on,
        stage=stages["drafted"],
        day=day("2021-01-01"),
    )
    with pytest.raises(ValidationError) as refused:
        actions.change_stage(
            actor=users["focal_point"],
            instrument=cr_protocol,
            version=opened_on,
            stage=stages["approved"],
            day=day("2021-02-01"),
        )
    assert refused.value.code == "stale"


def test_scope_follows_the_type(users, stages, countries):
    regional = InstrumentType.objects.get(code="communication-strategy")
    with pytest.raises(ValidationError):
        actions.create_instrument(
            actor=users["secretariat"],
            type=regional,
            country=countries["CR"],
            title="x",
            stage=stages["drafted"],
            day=day("2020-01-01"),
        )
    national = InstrumentType.objects.get(code="national-care-strategy")
    with pytest.raises(ValidationError):
        actions.create_instrument(
            actor=users["secretariat"],
            type=national,
            title="x",
            stage=stages["drafted"],
            day=day("2020-01-01"),
        )


def test_focal_point_records_a_stage_change_with_evidence(cr_protocol, client_as, stages):
    client = client_as("focal_point")
    url = reverse("cooperation:change_stage", args=[cr_protocol.pk])
    response = client.post(
        url,
        {
            "version": cr_protocol.version,
            "stage": stages["approved"].pk,
            "day": "2021-03-04",
            "act": "Acuerdo ejecutivo 12-2021",
            "evidence": SimpleUploadedFile("acuerdo.pdf", PDF_BYTES),
        },
    )
    assert response.status_code == 302
    change = cr_protocol.changes.order_by("-pk").first()
    assert (change.stage.code, change.act, change.day) == (
        "approved",
        "Acuerdo ejecutivo 12-2021",
        day("2021-03-04"),
    )
    evidence = change.evidence.get()
    page = client.get(cr_protocol.get_absolute_url())
    assert b"acuerdo.pdf" in page.content
    download = client.get(reverse("cooperation:stage_evidence", args=[evidence.pk]))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")


def test_a_step_back_without_reason_shows_the_message(cr_protocol, client_as, stages):
    client = client_as("focal_point")
    url = reverse("cooperation:change_stage", args=[cr_protocol.pk])
    client.post(
        url, {"version": cr_protocol.version, "stage": stages["drafted"].pk, "day": "2021-01-01"}
    )
    cr_protocol.refresh_from_db()
    response = client.post(
        url,
        {"version": cr_protocol.version, "stage": stages["in_preparation"].pk, "day": "2021-02-01"},
    )
    assert response.status_code == 200
    assert b"Going back to an earlier stage needs a reason." in response.content


def test_focal_point_cannot_change_another_countrys_instrument(cr_protocol, client_as, stages):
    response = client_as("focal_point_other").post(
        reverse("cooperation:change_stage", args=[cr_protocol.pk]),
        {"version": cr_protocol.version, "stage": stages["drafted"].pk, "day": "2021-01-01"},
    )
    assert response.status_code == 403
    assert cr_protocol.changes.count() == 1


def test_focal_point_adds_only_their_countrys_instruments(client_as, stages, countries):
    national = InstrumentType.objects.get(code="national-care-strategy")
    client = client_as("focal_point")
    form = client.get(reverse("cooperation:instrument_create")).context["form"]
    assert list(form.fields["country"].queryset) == [countries["CR"]]
    response = client.post(
        reverse("cooperation:instrument_create"),
        {
            "type": national.pk,
            "country": countries["GT"].pk,
            "title": "Ajena",
            "stage": stages["drafted"].pk,
            "day": "2021-01-01",
        },
    )
    assert response.status_code == 200
    assert not Instrument.objects.filter(title="Ajena").exists()


def test_observers_see_national_instruments_once_approved(make_instrument, client_as):
    make_instrument("national-care-strategy", "CR", [("drafted", "2020-01-01")], title="Borrador")
    make_instrument("national-care-strategy", "GT", [("approved", "2020-01-01")], title="Aprobada")
    make_instrument("communication-strategy", None, [("drafted", "2020-01-01")], title="Regional")
    response = client_as("observer").get(reverse("cooperation:instruments"))
    titles = [i.title for i in response.context["instruments"]]
    assert titles == ["Aprobada", "Regional"] or sorted(titles) == ["Aprobada", "Regional"]
    assert response.context["hidden"] == 1
    assert b"seen by members only" in response.content
    members = client_as("focal_point_other").get(reverse("cooperation:instruments"))
    assert members.context["hidden"] == 0


def test_the_drill_down_lists_what_the_reader_may_see(plan, make_instrument, client_as):
    from coalicion.plans.models import Indicator

    make_instrument("national-repatriation-protocol", "CR", [("drafted", "2020-01-01")])
    make_instrument("national-repatriation-protocol", "GT", [("implemented", "2020-01-01")])
    indicator = Indicator.objects.get(result__objective__axis__plan=plan, code="2.2")
    url = reverse("monitoring:drill_down", args=[indicator.pk])
    observer = client_as("observer").get(url)
    assert len(observer.context["records"]) == 1
    assert observer.context["hidden_records"] == 1
    member = client_as("focal_point").get(url)
    assert member.context["hidden_records"] == 0


def test_instrument_pages_have_bounded_queries(
    make_instrument, client_as, django_assert_max_num_queries
):
    codes = ["CR", "GT", "HN", "SV", "PA", "NI"]
    for code in codes:
        make_instrument(
            "national-care-strategy", code, [("drafted", "2020-01-01"), ("approved", "2021-01-01")]
        )
    client = client_as("secretariat")
    with django_assert_max_num_queries(25):
        client.get(reverse("cooperation:instruments"))
    instrument = Instrument.objects.first()
    with django_assert_max_num_queries(30):
        client.get(instrument.get_absolute_url())


def test_indicator_drill_down_queries_do_not_grow(
    plan, make_instrument, client_as, django_assert_max_num_queries
):
    from coalicion.plans.models import Indicator

    indicator = Indicator.objects.get(result__objective__axis__plan=plan, code="2.1")
    url = reverse("monitoring:drill_down", args=[indicator.pk])
    client = client_as("secretariat")
    make_instrument("national-care-strategy", "CR", [("implemented", "2020-01-01")])
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for code in ["GT", "HN", "SV", "PA", "NI", "MX"]:
        make_instrument(
            "national-care-strategy",
            code,
            [("drafted", "2019-01-01"), ("implemented", "2020-01-01")],
        )
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)
    matrix = reverse("monitoring:matrix")
    # The matrix computed in full each time, not partly from the figures cache (ADR 0055).
    from coalicion.core import figures
    from coalicion.monitoring import computations

    figures.changed(*computations.SOURCES)
    with CaptureQueriesContext(connection) as matrix_few:
        client.get(matrix)
    make_instrument("national-care-strategy", "BZ", [("implemented", "2020-01-01")])
    figures.changed(*computations.SOURCES)
    with CaptureQueriesContext(connection) as matrix_many:
        client.get(matrix)
    assert len(matrix_many) == len(matrix_few)


def test_the_registry_reads_in_spanish(make_instrument, client_as):
    make_instrument("national-care-strategy", "CR", [("drafted", "2020-01-01")])
    with translation.override("es"):
        url = reverse("cooperation:instruments")
    page = client_as("focal_point").get(url).content.decode()
    for spanish in ["Registro de instrumentos", "Agregar un instrumento", "Etapa", "Elaborado"]:
        assert spanish in page
    for english in ["Registry of instruments", "Add an instrument", "Stage history"]:
        assert english not in page


# --- Every problem in one round (issue 12) ----------------------------------------------


def test_a_stage_change_tells_the_same_stage_beside_a_bad_date(cr_protocol, client_as, stages):
    client = client_as("focal_point")
    response = client.post(
        reverse("cooperation:change_stage", args=[cr_protocol.pk]),
        {"version": cr_protocol.version, "stage": stages["in_preparation"].pk, "day": "ayer"},
    )
    assert response.status_code == 200
    errors = response.context["stage_form"].errors
    assert errors["day"] == ["Enter a valid date."]
    assert errors["stage"] == ["The instrument is already at this stage."]
    assert cr_protocol.changes.count() == 1


def test_a_new_instrument_tells_its_scope_beside_a_missing_title(client_as, stages, countries):
    regional = InstrumentType.objects.filter(scope="regional").first()
    future = (datetime.date.today() + datetime.timedelta(days=3)).isoformat()
    response = client_as("secretariat").post(
        reverse("cooperation:instrument_create"),
        {
            "type": regional.pk,
            "country": countries["CR"].pk,
            "title": "",
            "stage": stages["drafted"].pk,
            "day": future,
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["title"] == ["This field is required."]
    assert errors["country"] == ["A regional instrument has no country: leave the country empty."]
    assert errors["day"] == ["The date cannot be in the future."]
    assert not Instrument.objects.filter(type=regional).exists()
