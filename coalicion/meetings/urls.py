from django.urls import path

from coalicion.meetings.views import agreements, attendance, decisions, events, minutes, reports

app_name = "meetings"

urlpatterns = [
    # Calendar, events and convocation (the Presidency).
    path("", events.calendar, name="calendar"),
    path("new/", events.event_create, name="event_create"),
    path("<int:pk>/", events.event_detail, name="event"),
    path("<int:pk>/edit/", events.event_edit, name="event_edit"),
    path("<int:pk>/convene/", events.convene, name="convene"),
    path("<int:pk>/cancel/", events.cancel, name="cancel"),
    path("<int:pk>/event.ics", events.event_ics, name="event_ics"),
    # Agenda: drafted, approved at the start of the meeting, printable.
    path("<int:pk>/agenda/", events.agenda, name="agenda"),
    path("agenda-items/<int:pk>/", events.agenda_item, name="agenda_item"),
    path(
        "agenda-items/<int:pk>/<slug:operation>/",
        events.agenda_item_action,
        name="agenda_item_action",
    ),
    path("<int:pk>/agenda/approve/", events.approve_agenda, name="approve_agenda"),
    path("<int:pk>/agenda.pdf", events.agenda_pdf, name="agenda_pdf"),
    path("attachments/<int:pk>/", events.download_attachment, name="attachment"),
    # Attendance register, quorum, country reports (the Secretariat; focal points).
    path("<int:pk>/attendance/", attendance.attendance, name="attendance"),
    path(
        "<int:pk>/attendance/representative/",
        attendance.add_representative,
        name="add_representative",
    ),
    path("<int:pk>/quorum/", attendance.verify_quorum, name="verify_quorum"),
    path("<int:pk>/reports/", reports.country_reports, name="country_reports"),
    path("<int:pk>/reports/<str:country>/", reports.country_report, name="country_report"),
    # Decisions: consensus (objections, dissent) or vote (tallies and recounts).
    path("<int:pk>/decisions/new/", decisions.decision_create, name="decision_create"),
    path("decisions/<int:pk>/", decisions.decision_detail, name="decision"),
    path("decisions/<int:pk>/objections/", decisions.objection, name="objection"),
    path("objections/<int:pk>/withdraw/", decisions.withdraw_objection, name="withdraw_objection"),
    path("decisions/<int:pk>/tally/", decisions.tally, name="tally"),
    # Minutes: drafted, circulated, commented, approved at the next meeting, frozen.
    path("minutes/", minutes.archive, name="archive"),
    path("<int:pk>/minutes/new/", minutes.minutes_create, name="minutes_create"),
    path("minutes/<int:pk>/", minutes.minutes_detail, name="minutes"),
    path("minutes/<int:pk>/circulate/", minutes.circulate, name="circulate_minutes"),
    path("minutes/<int:pk>/comment/", minutes.comment, name="comment_minutes"),
    path("minutes/<int:pk>/approve/", minutes.approve, name="approve_minutes"),
    path("minutes/<int:pk>/correct/", minutes.correct, name="correct_minutes"),
    path("minutes/<int:pk>/minutes.pdf", minutes.minutes_pdf, name="minutes_pdf"),
    # Agreements and their follow-up.
    path("agreements/", agreements.agreement_list, name="agreements"),
    path("<int:pk>/agreements/new/", agreements.agreement_create, name="agreement_create"),
    path("agreements/<int:pk>/", agreements.agreement_detail, name="agreement"),
    path("agreements/<int:pk>/edit/", agreements.agreement_edit, name="agreement_edit"),
    path("agreements/<int:pk>/follow-up/", agreements.follow_up, name="follow_up"),
    # Personal calendar feed (.ics, private revocable address) and e-mail choices.
    path("my-calendar/", events.my_calendar, name="my_calendar"),
    path("feed/<str:token>.ics", events.calendar_feed, name="calendar_feed"),
]
