"""The main meetings journey (issue 5): the Presidency convenes meeting 12,
the Secretariat takes attendance, verifies quorum, records a consensus
decision and an agreement, drafts and circulates the minutes, and the
Presidency approves them at meeting 13, which freezes them.

The pages are the English ones (/en/), so that the texts checked are the
msgids; fields are found by their labels and buttons by their names, which
also checks that the forms are accessible."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

PRESIDENCY = "presidencia.hn@test.invalid"
SECRETARIAT = "secretaria.pa@test.invalid"
PRESENT = ("Costa Rica", "El Salvador", "Guatemala", "Honduras", "Panama")
ABSENT = ("Belize", "Dominican Republic", "Mexico", "Nicaragua")


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)


def expect_message(page: Page, text: str) -> None:
    expect(page.get_by_role("status").filter(has_text=text)).to_be_visible()


def at(day: str, hour: int) -> datetime.datetime:
    return timezone.make_aware(
        datetime.datetime.combine(datetime.date.fromisoformat(day), datetime.time(hour))
    )


@pytest.fixture
def people(loaded_plan, make_user, settings, tmp_path):
    """The Presidency (Honduras) and the Secretariat (Panamá) from 2020 on,
    each with a synthetic user representing its country."""
    from coalicion.membership.models import Country, Organ, OrganTerm, Person, Representation

    settings.MEDIA_ROOT = tmp_path / "media"  # the frozen PDF of the minutes
    countries = {c.code: c for c in Country.objects.all()}
    for organ, code in (("presidency", "HN"), ("secretariat", "PA")):
        OrganTerm.objects.create(
            organ=Organ.objects.get(code=organ), country=countries[code], start="2020-01-01"
        )
    # The other countries present have a titular in the directory, chosen in
    # advance in the register (a line "titular present" names who came).
    for code in ("CR", "SV", "GT"):
        person = Person.objects.create(
            given_name="Delegación", family_name=f"titular {code}", country=countries[code]
        )
        Representation.objects.create(
            person=person, country=countries[code], role="titular", start="2020-01-01"
        )
    return {
        "presidency": make_user(PRESIDENCY, country=countries["HN"]),
        "secretariat": make_user(SECRETARIAT, country=countries["PA"]),
        "countries": countries,
    }


def next_meeting_with_quorum(people: dict):
    """Meeting 13, convened, with five member countries present and quorum verified."""
    from coalicion.meetings.actions.attendance import record_attendance, verify_quorum
    from coalicion.meetings.actions.events import convene_event, create_event
    from coalicion.meetings.tests.helpers import named_row
    from coalicion.membership.models import Country

    presidency, secretariat = people["presidency"], people["secretariat"]
    event = create_event(
        actor=presidency,
        kind="ordinary",
        number=13,
        title="Reunión ordinaria XIII",
        title_en="Ordinary meeting XIII",
        start=at("2026-09-15", 9),
        end=at("2026-09-15", 17),
        country=people["countries"]["PA"],
        city="Ciudad de Panamá",
    )
    event = convene_event(actor=presidency, event=event)
    rows = [
        named_row(
            country, "titular" if country.code in {"CR", "GT", "HN", "PA", "SV"} else "absent"
        )
        for country in Country.objects.filter(is_member=True)
    ]
    record_attendance(actor=secretariat, event=event, rows=rows)
    check = verify_quorum(actor=presidency, event=event)
    assert check.has_quorum
    return event


def test_a_meeting_is_convened_held_and_its_minutes_approved_at_the_next(page, sign_in, people):
    from coalicion.meetings.models import Event, Minutes

    page.set_default_timeout(10_000)
    # --- The Presidency creates and convenes ordinary meeting 12. ---
    sign_in(PRESIDENCY, language="en")
    page.goto("/en/")
    page.get_by_role("navigation", name="Main navigation").get_by_role(
        "link", name="Meetings"
    ).click()
    # A link styled as a button (role="button" in calendar.html).
    page.get_by_role("button", name="New event").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("New event")
    page.get_by_label("Kind of event").select_option(label="Ordinary meeting")
    page.get_by_label("Number").fill("12")
    page.get_by_label("Title (Spanish)").fill("Reunión ordinaria XII")
    page.get_by_label("Title (English)").fill("Ordinary meeting XII")
    page.get_by_label(re.compile(r"^Start\b")).fill("2026-03-10T09:00")
    page.get_by_label(re.compile(r"^End\b")).fill("2026-03-10T17:00")
    page.get_by_label("Country").select_option(label="Honduras")
    page.get_by_label("City").fill("Tegucigalpa")
    page.get_by_role("button", name="Create the event").click()
    expect_message(page, "The event was created. Convene it when its details are final.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ordinary meeting XII")
    page.get_by_role("button", name="Convene").click()
    expect_message(page, "The event was convened")
    meeting = Event.objects.get(kind="ordinary", number=12)
    assert meeting.status == Event.Status.CONVENED
    event_url = f"/en/meetings/{meeting.pk}/"
    sign_out(page)

    # --- The Secretariat takes attendance and verifies quorum. ---
    sign_in(SECRETARIAT, language="en")
    page.goto(event_url)
    page.get_by_role("navigation", name="Pages of this event").get_by_role(
        "link", name="Attendance and quorum"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Attendance register")
    for name in PRESENT:
        page.get_by_label(f"Attendance of {name}").select_option(
            label="Principal representative present"
        )
    for name in ABSENT:
        page.get_by_label(f"Attendance of {name}").select_option(label="Absent")
    page.get_by_role("button", name="Save the register").click()
    expect_message(page, "The attendance register was saved.")
    expect(page.get_by_text("The register shows 5 of 9 member countries present.")).to_be_visible()
    page.get_by_role("button", name="Verify quorum").click()
    expect_message(page, "Quorum: 5 of 9 member countries present (5 needed).")

    # A consensus decision: adopted unless a member country objects.
    page.goto(event_url)
    page.get_by_role("link", name="Record a decision").click()
    page.get_by_label("Text of the decision").fill(
        "The Coalition adopts the regional protocol for the referral of cases."
    )
    expect(page.get_by_label("Consensus")).to_be_checked()
    page.get_by_role("button", name="Record the decision").click()
    expect_message(page, "Decision 1 was recorded.")
    expect(page.get_by_text("Adopted", exact=True)).to_be_visible()

    # An agreement for Costa Rica, numbered on saving.
    page.goto(event_url)
    page.get_by_role("link", name="Record an agreement").click()
    page.get_by_label("Text of the agreement").fill(
        "Costa Rica circulates the draft protocol to the national coalitions."
    )
    page.get_by_label("Decision it comes from").select_option(index=1)
    page.get_by_label(re.compile(r"^Responsible\W*$")).select_option(label="Member country")
    page.get_by_label("Responsible country").select_option(label="Costa Rica")
    page.get_by_label("Due date").fill("2026-06-30")
    page.get_by_role("button", name="Record the agreement").click()
    expect_message(page, "Agreement R12-2026-01 was recorded.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Agreement R12-2026-01")

    # --- Minutes: drafted from the records, edited, circulated. ---
    page.goto(event_url)
    expect(page.get_by_role("link", name="R12-2026-01")).to_be_visible()
    page.get_by_role("navigation", name="Pages of this event").get_by_role(
        "link", name="Minutes"
    ).click()
    page.get_by_role("button", name="Create the draft").click()
    expect_message(page, "The draft minutes were created.")
    body = page.get_by_role("textbox", name="Text of the minutes")
    text = body.input_value()
    assert "R12-2026-01" in text
    # The Secretariat rewords a sentence of the draft and adds one.
    assert "referral of cases" in text
    text = text.replace("referral of cases", "referral and protection of victims")
    body.fill(text + "\n\nThe meeting closed at 17:00 with thanks to the host country.")
    page.get_by_role("button", name="Save the minutes").click()
    expect_message(page, "The minutes were saved.")
    page.get_by_role("button", name="Circulate for comment").click()
    expect_message(page, "The minutes were circulated")
    expect(page.get_by_text("Circulated for comment", exact=True)).to_be_visible()
    minutes_url = page.url
    sign_out(page)

    # --- Meeting 13 is held with quorum; the Presidency approves the minutes there. ---
    next_meeting = next_meeting_with_quorum(people)
    sign_in(PRESIDENCY, language="en")
    page.goto(minutes_url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Minutes of Ordinary meeting XII")
    expect(page.get_by_label("Approved at the meeting")).to_have_value(str(next_meeting.pk))
    page.get_by_role("button", name="Approve the minutes").click()
    # The message names the meeting by Event.__str__ (its Spanish title) even on the
    # English pages; the banner below uses the localised title.
    expect_message(page, "The minutes were approved at")
    banner = page.get_by_role("region", name="Approved and frozen")
    expect(banner).to_contain_text("at Ordinary meeting XIII")
    minutes = Minutes.objects.get(event=meeting)
    assert minutes.status == Minutes.Status.APPROVED
    assert minutes.approved_at_event == next_meeting
    assert re.fullmatch(r"[0-9a-f]{64}", minutes.pdf_sha256)
    expect(page.locator("code.hash")).to_have_text(minutes.pdf_sha256)
    assert "referral and protection of victims" in minutes.body
    assert "thanks to the host country" in minutes.body
    expect(page.get_by_text("thanks to the host country")).to_be_visible()
    expect(page.get_by_role("button", name="Approve the minutes")).to_have_count(0)
    sign_out(page)

    # --- Frozen: the Secretariat can no longer edit them, only start a correction. ---
    sign_in(SECRETARIAT, language="en")
    page.goto(minutes_url)
    expect(page.get_by_role("heading", name="Approved and frozen")).to_be_visible()
    expect(page.get_by_role("button", name="Correct these minutes")).to_be_visible()
    expect(page.get_by_role("textbox", name="Text of the minutes")).to_have_count(0)
    expect(page.get_by_role("button", name="Save the minutes")).to_have_count(0)
    expect(page.get_by_role("button", name="Circulate for comment")).to_have_count(0)
