"""Indicators 4.3a (agreements fulfilled) and 4.3b (participation in
meetings) count the records of this app, with a drill-down to them."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from coalicion.meetings.actions.agreements import add_follow_up, create_agreement
from coalicion.membership.models import Country
from coalicion.monitoring import computations
from coalicion.monitoring.indicators import indicator_status
from coalicion.plans.models import Indicator


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def indicator(plan, code):
    return Indicator.objects.get(result__objective__axis__plan=plan, code=code)


def figures(result):
    return dict(result.figures)


def test_both_computations_are_registered():
    assert {"agreements_fulfilled", "meeting_participation"} <= set(computations.registered())


@pytest.fixture
def agreements(quorate_meeting, users):
    cr, gt = Country.objects.get(code="CR"), Country.objects.get(code="GT")
    made = [
        create_agreement(
            actor=users["secretariat"],
            event=quorate_meeting,
            text=f"Acuerdo {n}",
            responsible_kind="country",
            country=cr if n % 2 else gt,
        )
        for n in range(1, 5)
    ]
    for agreement, day, status in [
        (made[0], datetime.date(2026, 4, 1), "fulfilled"),
        (made[1], datetime.date(2026, 5, 1), "fulfilled"),
        (made[2], datetime.date(2026, 5, 1), "cancelled"),
    ]:
        add_follow_up(
            actor=users["secretariat"],
            agreement=agreement,
            date=day,
            text="Seguimiento",
            status=status,
            by_secretariat=True,
        )
    return made


def test_agreements_fulfilled_as_of_a_date_with_the_rate(plan, agreements):
    target = indicator(plan, "4.3a")
    early = computations.compute(indicator=target, as_of=datetime.date(2026, 4, 15))
    assert early.value == Decimal(1)
    assert early.records == [agreements[0]]
    assert figures(early)["Fulfilment rate"] == "25.0 %"  # 1 of 4, none cancelled yet
    later = computations.compute(indicator=target, as_of=datetime.date(2026, 6, 1))
    assert later.value == Decimal(2)
    assert figures(later)["Agreements adopted and not cancelled"] == "3"
    assert figures(later)["Fulfilment rate"] == "66.7 %"
    assert figures(later)["Fulfilled in 2026"] == "2"
    before = computations.compute(indicator=target, as_of=datetime.date(2026, 3, 1))
    assert before.value == Decimal(0)


def test_participation_counts_presences_against_meetings_times_members(
    plan, quorate_meeting, make_meeting, take_attendance, users
):
    second = make_meeting(number=13, day="2026-09-15")
    take_attendance(second, present=("CR", "HN", "PA"), GT="excused")
    target = indicator(plan, "4.3b")
    region = computations.compute(indicator=target, as_of=datetime.date(2026, 10, 1))
    assert region.value == Decimal(8)  # 5 + 3
    assert figures(region)["Possible presences (meetings × member countries)"] == "18"
    assert figures(region)["Participation rate"] == "44.4 %"
    guatemala = computations.compute(
        indicator=target, as_of=datetime.date(2026, 10, 1), country=Country.objects.get(code="GT")
    )
    assert guatemala.value == Decimal(1)  # present at 12, excused at 13
    assert figures(guatemala)["Participation rate"] == "50.0 %"
    assert guatemala.records[0].event == quorate_meeting
    earlier = computations.compute(indicator=target, as_of=datetime.date(2026, 6, 1))
    assert earlier.value == Decimal(5)


def test_a_meeting_not_held_does_not_count(plan, make_meeting):
    make_meeting(number=20, day="2026-02-01")  # convened, no register
    result = computations.compute(
        indicator=indicator(plan, "4.3b"), as_of=datetime.date(2026, 12, 1)
    )
    assert result.value == Decimal(0)


def test_the_indicator_status_uses_the_computation(plan, agreements):
    status = indicator_status(indicator=indicator(plan, "4.3a"), as_of=datetime.date(2026, 6, 1))
    assert status.available
    assert status.current == Decimal(2)


def test_an_observer_sees_the_number_but_not_the_records_of_closed_meetings(
    plan, agreements, client, users
):
    client.force_login(users["observer"])
    with translation.override("en"):
        url = reverse("monitoring:drill_down", args=[indicator(plan, "4.3a").pk])
    page = client.get(url, {"as_of": "2026-06-01"}).content.decode()
    assert "2 records counted." in page
    assert agreements[0].code not in page
    assert "counted but not listed" in page


def test_the_drill_down_lists_the_records(plan, agreements, client, users):
    client.force_login(users["focal_point"])
    with translation.override("en"):
        url = reverse("monitoring:drill_down", args=[indicator(plan, "4.3a").pk])
    response = client.get(url, {"as_of": "2026-06-01"})
    assert response.status_code == 200
    page = response.content.decode()
    assert agreements[0].code in page and agreements[1].code in page
    assert agreements[3].code not in page
    assert "Fulfilment rate" in page


def test_a_country_that_left_still_counts_for_the_meetings_before(
    plan, quorate_meeting, make_meeting, take_attendance
):
    later = make_meeting(number=13, day="2026-09-15")
    take_attendance(later, present=("CR", "GT", "HN", "PA"), SV="titular")
    Country.objects.filter(code="SV").update(
        is_member=False, member_until=datetime.date(2026, 6, 30)
    )
    result = computations.compute(
        indicator=indicator(plan, "4.3b"), as_of=datetime.date(2026, 12, 1)
    )
    # Meeting 12: 9 members, 5 present (El Salvador among them); meeting 13:
    # 8 members, 4 present — El Salvador's presence then is not a member's.
    assert result.value == Decimal(9)
    assert figures(result)["Possible presences (meetings × member countries)"] == "17"


DATES = [
    datetime.date(2026, day_month[0], day_month[1])
    for day_month in ((3, 1), (4, 15), (6, 1), (10, 1))
]


@pytest.mark.parametrize("code", ["4.3a", "4.3b"])
def test_the_series_gives_the_value_and_figures_of_each_date(
    plan, agreements, make_meeting, take_attendance, code
):
    second = make_meeting(number=13, day="2026-09-15")
    take_attendance(second, present=("CR", "HN", "PA"), GT="excused")
    target = indicator(plan, code)
    series = computations.compute_many(indicator=target, dates=DATES)
    for day, result in zip(DATES, series, strict=True):
        single = computations.compute(indicator=target, as_of=day)
        assert (result.value, result.figures) == (single.value, single.figures), day


@pytest.mark.parametrize("code", ["4.3a", "4.3b"])
def test_the_series_reads_the_records_once_whatever_the_dates(
    plan, agreements, django_assert_max_num_queries, code
):
    target = indicator(plan, code)
    with django_assert_max_num_queries(3):
        computations.compute_many(indicator=target, dates=DATES * 5)
