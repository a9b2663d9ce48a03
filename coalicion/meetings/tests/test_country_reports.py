"""The countries' updated situation reports of a meeting: members read them,
each country's focal points (and the Secretariat) write their own, with
attachments and optimistic locking; observers do not see them."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from coalicion.core.tests.files import PDF_BYTES
from coalicion.meetings.actions.common import attach_file
from coalicion.meetings.actions.events import cancel_event
from coalicion.meetings.actions.reports import save_country_report
from coalicion.meetings.models import Attachment, CountryReport, Event
from coalicion.meetings.tests.helpers import messages_of, url

pytestmark = pytest.mark.django_db


def report_data(summary="Situación actualizada de prueba.", version=0, **extra) -> dict:
    return {
        "summary": summary,
        "legal_changes": "Reforma de prueba al código penal.",
        "cases": "12 casos judicializados, 3 sentencias (cifras agregadas).",
        "actions": "Campaña de prevención de prueba.",
        "version": str(version),
        **extra,
    }


def save_report(user, event, country, summary="Informe de prueba.") -> CountryReport:
    return save_country_report(actor=user, event=event, country=country, summary=summary)


# --- Reading ------------------------------------------------------------------------------------


def test_members_see_every_countrys_report_and_the_link_to_their_own(client, users, meeting, terms):
    save_report(users["focal_point_other"], meeting, terms["GT"], "Informe de Guatemala.")
    client.force_login(users["focal_point"])

    response = client.get(url("country_reports", meeting.pk))

    assert response.status_code == 200
    rows = {row["country"].code: row for row in response.context["rows"]}
    assert len(rows) == 9
    assert rows["GT"]["report"].summary == "Informe de Guatemala."
    assert rows["CR"]["may_submit"] and not rows["GT"]["may_submit"]
    html = response.content.decode()
    assert "Informe de Guatemala." in html
    assert "Submit the report of Costa Rica" in html
    assert "of Guatemala</a>" not in html  # no edit link for another country
    assert "1 of 9 member countries have submitted their report." in html


def test_the_secretariat_may_submit_for_every_country(client, users, meeting):
    client.force_login(users["secretariat"])
    rows = client.get(url("country_reports", meeting.pk)).context["rows"]
    assert all(row["may_submit"] for row in rows)


def test_a_member_reads_another_countrys_report(client, users, meeting, terms):
    save_report(users["focal_point"], meeting, terms["CR"], "Informe de Costa Rica.")
    client.force_login(users["focal_point_other"])

    response = client.get(url("country_report", meeting.pk, "CR"))

    assert response.status_code == 200
    assert response.context["form"] is None
    html = response.content.decode()
    assert "Informe de Costa Rica." in html and "Edit the report" not in html


@pytest.mark.parametrize("open_to_observers", [False, True])
def test_an_observer_cannot_see_country_reports(
    client, users, make_meeting, terms, open_to_observers
):
    event = make_meeting(open_to_observers=open_to_observers)
    save_report(users["focal_point"], event, terms["CR"])
    client.force_login(users["observer"])
    assert client.get(url("country_reports", event.pk)).status_code == 403
    assert client.get(url("country_report", event.pk, "CR")).status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client, meeting):
    response = client.get(url("country_reports", meeting.pk))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_an_unknown_country_is_a_404(client, users, meeting):
    client.force_login(users["secretariat"])
    assert client.get(url("country_report", meeting.pk, "US")).status_code == 404


def test_events_that_are_not_meetings_receive_no_reports(client, users, make_meeting):
    seminar = make_meeting(kind=Event.Kind.SEMINAR, title="Seminario de prueba")
    client.force_login(users["focal_point"])
    page = client.get(url("country_reports", seminar.pk))
    assert page.status_code == 200 and not any(row["may_submit"] for row in page.context["rows"])
    assert client.get(url("country_report", seminar.pk, "CR"), {"edit": "1"}).status_code == 404


# --- Writing ------------------------------------------------------------------------------------


def test_a_focal_point_submits_their_countrys_report_with_an_attachment(
    client, users, meeting, terms
):
    client.force_login(users["focal_point"])
    form = client.get(url("country_report", meeting.pk, "CR"), {"edit": "1"})
    assert form.status_code == 200
    assert "never names or identifying details" in form.content.decode()

    upload = SimpleUploadedFile("informe.pdf", PDF_BYTES, content_type="application/pdf")
    response = client.post(url("country_report", meeting.pk, "CR"), report_data(attachments=upload))

    assert response.status_code == 302
    assert response["Location"] == url("country_report", meeting.pk, "CR")
    assert "The report of Costa Rica was saved." in messages_of(response)
    report = CountryReport.objects.get(event=meeting, country=terms["CR"])
    assert report.summary == "Situación actualizada de prueba."
    assert report.cases.startswith("12 casos") and report.submitted_by == users["focal_point"]
    attachment = Attachment.objects.get(country_report=report)
    assert (
        attachment.original_name == "informe.pdf" and attachment.content_type == "application/pdf"
    )

    page = client.get(url("country_report", meeting.pk, "CR")).content.decode()
    assert "informe.pdf" in page and "Reforma de prueba" in page


def test_a_focal_point_of_guatemala_cannot_edit_the_report_of_costa_rica(
    client, users, meeting, terms
):
    save_report(users["focal_point"], meeting, terms["CR"], "Original.")
    client.force_login(users["focal_point_other"])

    assert client.get(url("country_report", meeting.pk, "CR"), {"edit": "1"}).status_code == 403
    response = client.post(url("country_report", meeting.pk, "CR"), report_data(version=1))

    assert response.status_code == 403
    assert CountryReport.objects.get(country=terms["CR"]).summary == "Original."


def test_a_report_without_summary_is_refused_and_nothing_is_saved(client, users, meeting):
    client.force_login(users["focal_point"])
    upload = SimpleUploadedFile("informe.pdf", PDF_BYTES, content_type="application/pdf")
    response = client.post(
        url("country_report", meeting.pk, "CR"), report_data(summary="  ", attachments=upload)
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert response.context["form"].errors["summary"]
    assert "Reforma de prueba" in html  # what was typed is kept
    assert "choose them again" in html
    assert not CountryReport.objects.exists() and not Attachment.objects.exists()


def test_a_cancelled_meeting_is_told_beside_a_missing_summary(client, users, meeting):
    """Issue 12: the meeting's state and the form's rules in one round."""
    cancel_event(actor=users["presidency"], event=meeting, reason="Sin sede.")
    client.force_login(users["focal_point"])
    response = client.post(url("country_report", meeting.pk, "CR"), report_data(summary=""))
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["summary"] == ["This field is required."]
    assert form.non_field_errors() == ["This event was cancelled."]
    html = response.content.decode()
    assert "This field is required." in html and "This event was cancelled." in html
    assert not CountryReport.objects.exists()


def test_a_file_that_is_not_accepted_saves_nothing(client, users, meeting):
    client.force_login(users["focal_point"])
    upload = SimpleUploadedFile("macro.html", b"<html><script>x</script></html>")
    response = client.post(url("country_report", meeting.pk, "CR"), report_data(attachments=upload))
    assert response.status_code == 200
    assert "is not an accepted type" in response.content.decode()
    assert not CountryReport.objects.exists()


def test_an_edit_based_on_an_outdated_copy_is_refused(client, users, meeting, terms):
    save_report(users["focal_point"], meeting, terms["CR"], "Primera versión.")
    client.force_login(users["secretariat"])
    client.post(url("country_report", meeting.pk, "CR"), report_data("Segunda.", version=1))
    assert CountryReport.objects.get().summary == "Segunda."

    client.force_login(users["focal_point"])
    response = client.post(url("country_report", meeting.pk, "CR"), report_data("Tercera.", 1))

    assert response.status_code == 200
    assert response.context["stale"]
    html = response.content.decode()
    assert "Someone else saved this in the meantime" in html
    assert "Segunda." in html and "Tercera." in html
    report = CountryReport.objects.get()
    assert report.summary == "Segunda." and report.version == 2


# --- Queries ------------------------------------------------------------------------------------


def test_the_list_of_reports_takes_a_bounded_number_of_queries(
    client, users, meeting, terms, django_assert_max_num_queries
):
    client.force_login(users["focal_point"])
    client.get(url("country_reports", meeting.pk))
    with django_assert_max_num_queries(20) as small:
        assert client.get(url("country_reports", meeting.pk)).status_code == 200
    bound = len(small.captured_queries)

    for code in ("CR", "GT", "HN", "PA", "SV", "BZ"):
        report = save_report(users["secretariat"], meeting, terms[code])
        for n in range(2):
            upload = SimpleUploadedFile(f"anexo{n}.pdf", PDF_BYTES)
            attach_file(
                actor=users["secretariat"],
                uploaded=upload,
                content_type="application/pdf",
                country_report=report,
            )

    with django_assert_max_num_queries(bound):
        assert client.get(url("country_reports", meeting.pk)).status_code == 200


def test_once_the_minutes_are_approved_the_reports_are_not_offered_for_editing(
    client, users, quorate_meeting, terms, approve_minutes_of
):
    save_report(users["focal_point"], quorate_meeting, terms["CR"], "Informe aprobado.")
    approve_minutes_of(quorate_meeting)
    client.force_login(users["focal_point"])

    listing = client.get(url("country_reports", quorate_meeting.pk))
    assert not any(row["may_submit"] for row in listing.context["rows"])
    page = url("country_report", quorate_meeting.pk, "CR")
    assert client.get(page).context["may_submit"] is False
    refused = client.post(page, report_data(summary="Otro texto.", version=1))
    assert refused.status_code == 302 and refused["Location"] == page
    assert any("what they record cannot change" in m for m in messages_of(refused))
    assert CountryReport.objects.get(country=terms["CR"]).summary == "Informe aprobado."
