"""The attendance register (all rows or none, representatives in force
preselected, observers), new representatives entering the directory after a
confirmation, and the verification of quorum with its messages."""

import datetime

import pytest
from django.utils import timezone

from coalicion.meetings.actions.attendance import record_observer_attendance, verify_quorum
from coalicion.meetings.actions.events import cancel_event
from coalicion.meetings.models import Attendance, Event, ObserverAttendance, QuorumCheck
from coalicion.meetings.tests.helpers import messages_of, named_row, others_addresses, url
from coalicion.membership.models import (
    Country,
    ObserverOrganisation,
    Person,
    Representation,
)

pytestmark = pytest.mark.django_db


def members() -> list[Country]:
    return list(Country.objects.filter(is_member=True).order_by("name"))


def register_data(statuses=None, default="absent", observers=None, version=0, **fields) -> dict:
    """POST data of the register opened on its `version`: every member
    country `default` unless `statuses` says otherwise, whoever it says is
    present named; `fields` sets other values ("CR_titular": pk)."""
    statuses = statuses or {}
    data = {"version": str(version)}
    for country in members():
        prefix = f"c-{country.code}"
        status = data[f"{prefix}-status"] = statuses.get(country.code, default)
        named = named_row(country, status) if status else {}
        for name in ("titular", "alternate", "note"):
            value = named.get(name)
            data[f"{prefix}-{name}"] = fields.get(
                f"{country.code}_{name}", (value and value.pk) or ""
            )
    for organisation, (present, people) in (observers or {}).items():
        if present:
            data[f"o-{organisation.pk}-present"] = "on"
        data[f"o-{organisation.pk}-people"] = people
    return data


@pytest.fixture
def organisation(users) -> ObserverOrganisation:
    return ObserverOrganisation.objects.get(name="Organización de prueba")


# --- Who may see and keep the register -------------------------------------------------


def test_anonymous_visitors_are_sent_to_sign_in(client, meeting):
    response = client.get(url("attendance", meeting.pk))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_secretariat_sees_the_register_with_the_representatives_in_force(
    client, users, meeting
):
    client.force_login(users["secretariat"])
    response = client.get(url("attendance", meeting.pk))

    assert response.status_code == 200
    rows = {line["country"].code: form for line, form in response.context["rows"]}
    assert len(rows) == 9
    cr_titular = users["focal_point"].person
    assert rows["CR"]["titular"].value() == cr_titular.pk
    assert rows["CR"]["alternate"].value() == ""
    html = response.content.decode()
    assert f'<option value="{cr_titular.pk}" selected>' in html
    assert "Save the register" in html
    assert "Verify quorum" in html  # the Secretariat may do what the Presidency does


def test_a_representation_that_ended_before_the_event_is_not_preselected(
    client, users, meeting, terms
):
    former = Person.objects.create(given_name="Persona", family_name="Antigua", country=terms["BZ"])
    Representation.objects.create(
        person=former,
        country=terms["BZ"],
        role="titular",
        start=datetime.date(2019, 1, 1),
        end=datetime.date(2025, 12, 31),
    )
    client.force_login(users["secretariat"])
    rows = {
        line["country"].code: form
        for line, form in client.get(url("attendance", meeting.pk)).context["rows"]
    }

    assert rows["BZ"]["titular"].value() == ""
    assert str(former.pk) in dict(rows["BZ"].fields["titular"].choices)


def test_a_focal_point_reads_the_register_but_cannot_record_it(
    client, users, meeting, take_attendance
):
    take_attendance(meeting)
    client.force_login(users["focal_point"])

    response = client.get(url("attendance", meeting.pk))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Save the register" not in html and "Verify quorum" not in html
    assert "Principal representative present" in html  # "Titular present" in words

    before = list(Attendance.objects.values_list("country__code", "status"))
    posted = client.post(url("attendance", meeting.pk), register_data(default="titular"))
    assert posted.status_code == 403
    assert list(Attendance.objects.values_list("country__code", "status")) == before


def test_an_observer_cannot_see_the_register_of_a_meeting_closed_to_observers(
    client, users, meeting
):
    client.force_login(users["observer"])
    assert client.get(url("attendance", meeting.pk)).status_code == 403


# --- Saving the register ---------------------------------------------------------------


def test_the_secretariat_records_every_row_and_the_observers(client, users, meeting, organisation):
    client.force_login(users["secretariat"])
    cr_titular = users["focal_point"].person
    data = register_data(
        {"CR": "both", "GT": "alternate", "HN": "titular", "PA": "titular", "BZ": "excused"},
        observers={organisation: (True, "Persona Observadora, oficial")},
        CR_titular=cr_titular.pk,
        BZ_note="Aviso por correo",
    )

    response = client.post(url("attendance", meeting.pk), data)

    assert response.status_code == 302
    assert "The attendance register was saved." in messages_of(response)
    saved = {a.country.code: a for a in Attendance.objects.select_related("country")}
    assert len(saved) == 9
    assert saved["CR"].status == "both" and saved["CR"].titular == cr_titular
    assert saved["BZ"].status == "excused" and saved["BZ"].note == "Aviso por correo"
    assert saved["SV"].status == "absent"
    assert all(a.recorded_by == users["secretariat"] for a in saved.values())
    observer = ObserverAttendance.objects.get(event=meeting)
    assert observer.present and observer.people == "Persona Observadora, oficial"
    meeting.refresh_from_db()
    assert meeting.status == Event.Status.HELD


def test_a_bad_row_saves_no_row(client, users, meeting, organisation, take_attendance):
    take_attendance(meeting, present=("CR", "GT", "HN"))
    before = sorted(Attendance.objects.values_list("country__code", "status"))
    client.force_login(users["secretariat"])
    guatemalan = users["focal_point_other"].person
    data = register_data(
        {"CR": "titular", "GT": "titular", "HN": "titular", "PA": "titular", "SV": "titular"},
        observers={organisation: (True, "Persona Observadora")},
        CR_titular=guatemalan.pk,  # a person of another country
    )
    data["c-BZ-status"] = ""  # and a row without attendance

    response = client.post(url("attendance", meeting.pk), data)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Nothing was saved: correct the rows marked below." in html
    assert "Choose the attendance of Belize." in html or "Choose the attendance of Belice." in html
    rows = {line["country"].code: form for line, form in response.context["rows"]}
    assert rows["CR"].errors and rows["BZ"].errors and not rows["GT"].errors
    assert rows["PA"]["status"].value() == "titular"  # what was typed is kept
    assert sorted(Attendance.objects.values_list("country__code", "status")) == before
    assert not ObserverAttendance.objects.exists()


def test_a_refusal_of_the_action_is_shown_and_nothing_is_saved(
    client, users, meeting, organisation
):
    cancel_event(actor=users["presidency"], event=meeting, reason="Prueba de cancelación")
    client.force_login(users["secretariat"])

    data = register_data(default="titular", observers={organisation: (True, "")})
    response = client.post(url("attendance", meeting.pk), data)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Nothing was saved." in html and "This event was cancelled." in html
    assert response.context["rows"][0][1]["status"].value() == "titular"
    assert not Attendance.objects.exists() and not ObserverAttendance.objects.exists()


def test_the_register_can_be_kept_for_any_event_but_quorum_only_for_meetings(
    client, users, make_meeting
):
    seminar = make_meeting(kind=Event.Kind.SEMINAR, title="Seminario de prueba")
    client.force_login(users["secretariat"])

    response = client.get(url("attendance", seminar.pk))
    assert response.status_code == 200
    assert "Verify quorum" not in response.content.decode()
    saved = client.post(url("attendance", seminar.pk), register_data(default="titular"))
    assert saved.status_code == 302
    assert Attendance.objects.filter(event=seminar).count() == 9

    refused = client.post(url("verify_quorum", seminar.pk))
    assert refused.status_code == 302
    assert (
        "Only ordinary and extraordinary meetings have quorum, decisions and minutes."
        in messages_of(refused)
    )
    assert not QuorumCheck.objects.exists()


# --- New representatives ------------------------------------------------------------------


def representative_data(**extra) -> dict:
    return {
        "country": Country.objects.get(code="CR").pk,
        "role": "titular",
        "given_name": "Persona",
        "family_name": "Nueva Prueba",
        "email": "nueva.prueba@test.invalid",
        "institution": "Ministerio de Prueba",
        "position": "Directora",
        **extra,
    }


def test_a_new_representative_needs_a_confirmation_then_enters_the_directory(
    client, users, meeting, terms
):
    client.force_login(users["secretariat"])
    form = client.get(url("add_representative", meeting.pk), {"country": "CR"})
    assert form.status_code == 200
    assert form.context["form"]["country"].value() == terms["CR"].pk

    asked = client.post(url("add_representative", meeting.pk), representative_data())
    assert asked.status_code == 200
    html = asked.content.decode()
    assert (
        "Persona Nueva Prueba will be added to the contact directory as principal representative "
        "of Costa Rica from" in html
    )
    assert 'name="confirm" value="1"' in html
    assert not Person.objects.filter(family_name="Nueva Prueba").exists()

    done = client.post(url("add_representative", meeting.pk), representative_data(confirm="1"))
    assert done.status_code == 302 and done["Location"] == url("attendance", meeting.pk)
    person = Person.objects.get(family_name="Nueva Prueba")
    assert person.country == terms["CR"] and person.email == "nueva.prueba@test.invalid"
    representation = Representation.objects.get(person=person)
    assert representation.country == terms["CR"] and representation.role == "titular"
    assert representation.start == meeting.local_date and representation.end is None
    assert any("added to the contact directory" in m for m in messages_of(done))

    register = client.get(url("attendance", meeting.pk))
    rows = {line["country"].code: form for line, form in register.context["rows"]}
    assert str(person.pk) in dict(rows["CR"].fields["titular"].choices)
    assert rows["CR"]["titular"].value() == person.pk  # the latest representation in force
    assert str(person.pk) not in dict(rows["GT"].fields["titular"].choices)


def test_changing_the_details_before_confirming_adds_nobody(client, users, meeting):
    client.force_login(users["secretariat"])
    response = client.post(url("add_representative", meeting.pk), representative_data(edit="1"))
    assert response.status_code == 200
    assert response.context["confirming"] is False
    assert response.context["form"]["family_name"].value() == "Nueva Prueba"
    assert not Person.objects.filter(family_name="Nueva Prueba").exists()


def test_a_new_representative_without_a_name_is_refused(client, users, meeting):
    client.force_login(users["secretariat"])
    response = client.post(
        url("add_representative", meeting.pk), representative_data(family_name="", confirm="1")
    )
    assert response.status_code == 200
    assert response.context["form"].errors["family_name"]
    assert not Person.objects.filter(given_name="Persona", email__startswith="nueva").exists()


def test_the_confirmation_warns_of_a_namesake_in_the_directory(client, users, meeting, terms):
    Person.objects.create(given_name="Persona", family_name="Nueva Prueba", country=terms["CR"])
    client.force_login(users["secretariat"])
    response = client.post(url("add_representative", meeting.pk), representative_data())
    assert "already has a person of this country with the same name" in response.content.decode()


def test_a_focal_point_cannot_add_a_representative(client, users, meeting):
    client.force_login(users["focal_point"])
    assert client.get(url("add_representative", meeting.pk)).status_code == 403
    response = client.post(url("add_representative", meeting.pk), representative_data(confirm="1"))
    assert response.status_code == 403
    assert not Person.objects.filter(family_name="Nueva Prueba").exists()


def test_the_confirmation_offers_to_end_the_current_titular_the_day_before(
    client, users, meeting, terms
):
    current = Representation.objects.get(person__user=users["focal_point"])
    client.force_login(users["secretariat"])

    asked = client.post(url("add_representative", meeting.pk), representative_data())

    html = asked.content.decode()
    assert (
        "End the representation of the current principal representative of Costa Rica "
        "(Persona focal.cr) on "
        "9 March 2026" in html
    )
    assert 'name="end_previous" value="1" checked' in html  # checked by default

    done = client.post(
        url("add_representative", meeting.pk), representative_data(confirm="1", end_previous="1")
    )
    assert done.status_code == 302
    current.refresh_from_db()
    assert current.end == datetime.date(2026, 3, 9)
    newcomer = Representation.objects.get(person__family_name="Nueva Prueba")
    assert newcomer.start == datetime.date(2026, 3, 10) and newcomer.end is None


def test_unchecked_the_current_representative_goes_on(client, users, meeting):
    current = Representation.objects.get(person__user=users["focal_point"])
    client.force_login(users["secretariat"])

    # An unchecked box sends nothing.
    done = client.post(url("add_representative", meeting.pk), representative_data(confirm="1"))

    assert done.status_code == 302
    current.refresh_from_db()
    assert current.end is None


def test_nothing_to_end_when_nobody_holds_the_role(client, users, meeting):
    client.force_login(users["secretariat"])
    asked = client.post(
        url("add_representative", meeting.pk), representative_data(role="alternate")
    )
    assert asked.context["holders"] == []
    assert 'name="end_previous"' not in asked.content.decode()


# --- Quorum ---------------------------------------------------------------------------------


def test_five_of_nine_present_is_quorum(client, users, meeting, take_attendance):
    take_attendance(meeting, present=("CR", "GT", "HN", "PA", "SV"))
    client.force_login(users["presidency"])

    response = client.post(url("verify_quorum", meeting.pk))

    assert response.status_code == 302 and response["Location"] == url("attendance", meeting.pk)
    assert messages_of(response) == ["Quorum: 5 of 9 member countries present (5 needed)."]
    check = QuorumCheck.objects.get(event=meeting)
    assert check.has_quorum and (check.present, check.members, check.required) == (5, 9, 5)
    assert check.verified_by == users["presidency"]

    page = client.get(url("attendance", meeting.pk)).content.decode()
    assert "5 of 9 member countries present" in page
    assert "More than half of the member countries present" in page


def test_four_of_nine_present_is_no_quorum(client, users, meeting, take_attendance):
    take_attendance(meeting, present=("CR", "GT", "HN"), PA="both")
    client.force_login(users["presidency"])

    response = client.post(url("verify_quorum", meeting.pk))

    assert messages_of(response) == [
        "No quorum: 4 of 9 present, 5 needed. The meeting can record attendance and minutes "
        "but cannot take decisions."
    ]
    assert not QuorumCheck.objects.get(event=meeting).has_quorum


def test_every_verification_is_kept_in_the_history(client, users, meeting, take_attendance):
    take_attendance(meeting, present=("CR", "GT", "HN", "PA"))
    client.force_login(users["presidency"])
    client.post(url("verify_quorum", meeting.pk))
    take_attendance(meeting, present=("CR", "GT", "HN", "PA", "SV"))
    client.post(url("verify_quorum", meeting.pk))

    response = client.get(url("attendance", meeting.pk))

    checks = response.context["checks"]
    assert [c.has_quorum for c in checks] == [True, False]
    assert response.context["latest_check"].has_quorum
    assert "Verifications of quorum" in response.content.decode()


@pytest.mark.parametrize("role", ["focal_point", "observer"])
def test_only_the_presidency_and_the_secretariat_verify_quorum(
    client, users, meeting, take_attendance, role
):
    take_attendance(meeting)
    client.force_login(users[role])
    assert client.post(url("verify_quorum", meeting.pk)).status_code == 403
    assert client.get(url("verify_quorum", meeting.pk)).status_code in (403, 405)
    assert not QuorumCheck.objects.exists()


# --- What observers see; frozen records -------------------------------------------------------


def test_an_observer_reads_an_open_register_without_anyones_address(
    client, users, make_quorate_meeting
):
    event = make_quorate_meeting(open_to_observers=True)
    verify_quorum(actor=users["presidency"], event=event)  # the history table too

    client.force_login(users["observer"])
    html = client.get(url("attendance", event.pk)).content.decode()
    assert not others_addresses(html, users["observer"])
    assert "Persona presidency" not in html
    assert "a user of the Coalition" in html

    client.force_login(users["focal_point"])
    html = client.get(url("attendance", event.pk)).content.decode()
    assert not others_addresses(html, users["focal_point"])
    assert "Persona presidency" in html


def test_once_the_minutes_are_approved_the_register_is_read_only(
    client, users, quorate_meeting, approve_minutes_of
):
    approve_minutes_of(quorate_meeting)
    before = list(Attendance.objects.filter(event=quorate_meeting).values_list("status", flat=True))

    client.force_login(users["secretariat"])
    page = client.get(url("attendance", quorate_meeting.pk))
    assert page.context["rows"] == [] and page.context["may_verify"] is False
    html = page.content.decode()
    assert "The minutes of this meeting are approved: what they record cannot change." in html
    assert url("verify_quorum", quorate_meeting.pk) not in html

    saved = client.post(url("attendance", quorate_meeting.pk), register_data(default="titular"))
    verified = client.post(url("verify_quorum", quorate_meeting.pk))
    for response in (saved, verified):
        assert response.status_code == 302
        assert any("what they record cannot change" in m for m in messages_of(response))
    after = list(Attendance.objects.filter(event=quorate_meeting).values_list("status", flat=True))
    assert after == before
    assert QuorumCheck.objects.filter(event=quorate_meeting).count() == 1


# --- Queries ---------------------------------------------------------------------------------


def test_the_register_page_takes_a_bounded_number_of_queries(
    client, users, meeting, terms, organisation, take_attendance, django_assert_max_num_queries
):
    client.force_login(users["secretariat"])
    client.get(url("attendance", meeting.pk))  # warm the session and caches
    with django_assert_max_num_queries(30) as small:
        assert client.get(url("attendance", meeting.pk)).status_code == 200
    bound = len(small.captured_queries)

    for country in members():
        for n in range(3):
            person = Person.objects.create(
                given_name="Persona", family_name=f"Prueba {country.code}{n}", country=country
            )
            Representation.objects.create(
                person=person, country=country, role="alternate", start=datetime.date(2021, 1, 1)
            )
    for n in range(5):
        extra = ObserverOrganisation.objects.create(name=f"Observadora {n}", kind="ngo")
        record_observer_attendance(
            actor=users["secretariat"], event=meeting, organisation=extra, present=True
        )
    take_attendance(meeting)
    verify_quorum(actor=users["presidency"], event=meeting)
    verify_quorum(actor=users["presidency"], event=meeting)

    with django_assert_max_num_queries(bound):
        assert client.get(url("attendance", meeting.pk)).status_code == 200
    client.force_login(users["focal_point"])
    client.get(url("attendance", meeting.pk))
    with django_assert_max_num_queries(bound):
        assert client.get(url("attendance", meeting.pk)).status_code == 200


# --- Two people keeping the register at once ------------------------------------------------

STALE = "Someone else saved this in the meantime"


def test_a_register_saved_meanwhile_is_not_overwritten_by_an_older_copy(
    client, users, meeting, take_attendance
):
    """The lost update of issue 9: two people open the register; the first
    marks Belize excused with its note; the second, still on the older copy,
    saves Belize absent. Before, the excuse and its note were silently lost
    (and the register decides quorum)."""
    take_attendance(meeting)
    opened = Event.objects.get(pk=meeting.pk).register_version
    client.force_login(users["secretariat"])
    first = register_data(
        {"CR": "titular", "GT": "titular", "HN": "titular", "PA": "titular", "SV": "titular"},
        version=opened,
        BZ_note="Aviso por correo",
    )
    first["c-BZ-status"] = "excused"
    assert client.post(url("attendance", meeting.pk), first).status_code == 302

    # A second officer of the Secretariat, on the copy opened before that save.
    second = register_data(
        {"CR": "titular", "GT": "titular", "HN": "titular", "PA": "titular", "SV": "absent"},
        version=opened,
        SV_note="Llegó tarde",
    )
    response = client.post(url("attendance", meeting.pk), second)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Nothing was saved." in html and STALE in html
    rows = {line["country"].code: form for line, form in response.context["rows"]}
    assert rows["SV"]["status"].value() == "absent"  # what the second person typed is kept
    assert rows["SV"]["note"].value() == "Llegó tarde"
    belize = Attendance.objects.get(event=meeting, country__code="BZ")
    assert (belize.status, belize.note) == ("excused", "Aviso por correo")
    assert Attendance.objects.get(event=meeting, country__code="SV").status == "titular"


def test_the_register_action_refuses_an_outdated_version(meeting, users, take_attendance):
    from coalicion.core.actions import StaleEdit
    from coalicion.meetings.actions.attendance import record_attendance
    from coalicion.meetings.tests.helpers import country

    take_attendance(meeting)
    with pytest.raises(StaleEdit):
        record_attendance(
            actor=users["secretariat"],
            event=meeting,
            rows=[named_row(country("BZ"), "absent")],
            version=0,
        )
    assert Attendance.objects.get(event=meeting, country__code="BZ").status == "absent"


def test_saving_an_unchanged_register_keeps_its_version(meeting, users, take_attendance):
    take_attendance(meeting)
    version = Event.objects.get(pk=meeting.pk).register_version
    take_attendance(meeting)
    assert Event.objects.get(pk=meeting.pk).register_version == version


# --- A register that says who came (issue 11) ---------------------------------------------


def test_titular_present_with_no_titular_named_is_refused_on_the_field(client, users, meeting):
    client.force_login(users["secretariat"])
    data = register_data({"CR": "titular", "GT": "alternate", "HN": "both"})
    data["c-CR-titular"] = ""
    data["c-GT-alternate"] = ""
    data["c-HN-alternate"] = ""

    response = client.post(url("attendance", meeting.pk), data)

    assert response.status_code == 200
    rows = {line["country"].code: form for line, form in response.context["rows"]}
    assert rows["CR"].errors["titular"] == ["Name the principal representative who is present."]
    assert rows["GT"].errors["alternate"] == ["Name the alternate representative who is present."]
    assert list(rows["HN"].errors) == ["alternate"]
    assert "Nothing was saved: correct the rows marked below." in response.content.decode()
    assert not Attendance.objects.exists()


def test_the_register_action_refuses_a_present_line_that_names_nobody(meeting, users):
    from django.core.exceptions import ValidationError

    from coalicion.meetings.actions.attendance import record_attendance
    from coalicion.meetings.tests.helpers import country

    with pytest.raises(ValidationError) as error:
        record_attendance(
            actor=users["secretariat"],
            event=meeting,
            rows=[{"country": country("CR"), "status": "both", "titular": None}],
        )
    assert any("name the principal representative" in m for m in error.value.messages)
    assert any("name the alternate representative" in m for m in error.value.messages)
    assert not Attendance.objects.exists()


def test_a_meeting_that_has_not_happened_shows_no_register_form(client, users, make_meeting):
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    upcoming = make_meeting(number=30, day=tomorrow)
    client.force_login(users["secretariat"])

    response = client.get(url("attendance", upcoming.pk))

    html = response.content.decode()
    assert response.status_code == 200 and response.context["form"] is None
    assert "Save the register" not in html and 'name="c-CR-status"' not in html
    assert "its register is taken on the day" in html
    posted = client.post(url("attendance", upcoming.pk), register_data())
    assert posted.status_code == 302
    assert any("its register is taken on the day" in m for m in messages_of(posted))
    assert not Attendance.objects.exists()


def test_the_register_page_says_when_the_quorum_check_is_outdated(
    client, users, quorate_meeting, take_attendance
):
    client.force_login(users["secretariat"])
    outdated = "The register changed after this verification"
    assert outdated not in client.get(url("attendance", quorate_meeting.pk)).content.decode()
    take_attendance(quorate_meeting, present=("CR", "GT"))
    assert outdated in client.get(url("attendance", quorate_meeting.pk)).content.decode()
