"""Every URL of the project, for every role: who may read, who may write.

A URL pattern with no row here makes `test_every_url_has_an_expectation` fail,
so no view is ever added without deciding who may use it.
"""

import re
from dataclasses import dataclass, field

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import translation

from coalicion.core.tests.files import PDF_BYTES
from coalicion.membership.models import Person

ROLES = ["anonymous", "observer", "focal_point", "focal_point_other", "presidency", "secretariat"]

OK = "allowed"  # 200, or a redirect that is not to the sign-in page
LOGIN = "sent to sign in"
DENY = "403"
GONE = "404"
NOT_ALLOWED = "405"


def expect(anonymous, observer, focal_point, focal_point_other, presidency, secretariat):
    return dict(
        zip(
            ROLES,
            [anonymous, observer, focal_point, focal_point_other, presidency, secretariat],
            strict=True,
        )
    )


PUBLIC = expect(OK, OK, OK, OK, OK, OK)
SIGNED_IN = expect(LOGIN, OK, OK, OK, OK, OK)
MEMBERS = expect(LOGIN, DENY, OK, OK, OK, OK)
OWN_COUNTRY = expect(LOGIN, DENY, OK, DENY, DENY, OK)  # the object belongs to Costa Rica
SECRETARIAT = expect(LOGIN, DENY, DENY, DENY, DENY, OK)
NOBODY = expect(GONE, GONE, GONE, GONE, GONE, GONE)
WITH_MFA = expect(LOGIN, GONE, GONE, GONE, GONE, GONE)  # 404 until the user has a second factor
# Activity 3.1.1-1, made Costa Rica's: its focal point, the Presidency (named
# by the plan) and the Secretariat report on it; Guatemala's focal point does not.
RESPONSIBLE = expect(LOGIN, DENY, OK, DENY, OK, OK)
POST_ONLY = expect(*[NOT_ALLOWED] * 6)
CHAIR = expect(LOGIN, DENY, DENY, DENY, OK, OK)  # the Presidency and the Secretariat


@dataclass
class Row:
    read: dict
    write: dict | None = None  # POST expectations; None: the URL takes no writes
    args: object = ()  # a tuple, or a function of the fixtures returning one
    query: dict = field(default_factory=dict)


PLAN = "pe-2018-2027"

MATRIX = {
    # Public portal: the plan and reference pages.
    "favicon": Row(PUBLIC),
    "health": Row(PUBLIC),  # "ok" to all; the details only to staff or the token
    "home": Row(PUBLIC),
    "plans:plan": Row(PUBLIC, args=(PLAN,)),
    "plans:axis": Row(PUBLIC, args=(PLAN, "2")),
    "plans:indicators": Row(PUBLIC, args=(PLAN,)),
    "plans:poa_latest": Row(PUBLIC, args=(PLAN,)),
    "plans:poa": Row(PUBLIC, args=(PLAN, 2018)),
    "plans:notes": Row(PUBLIC, args=(PLAN,)),
    "membership:countries": Row(PUBLIC),
    "membership:organs": Row(PUBLIC),
    "membership:country": Row(PUBLIC, args=("CR",)),
    "legal:glossary": Row(PUBLIC),
    "legal:framework": Row(PUBLIC),
    # The contact directory.
    "membership:directory": Row(MEMBERS),
    "membership:person_create": Row(
        expect(LOGIN, DENY, OK, OK, OK, OK), write=expect(LOGIN, DENY, OK, OK, OK, OK)
    ),
    "membership:person_edit": Row(
        OWN_COUNTRY, write=OWN_COUNTRY, args=lambda f: (f["cr_person"].pk,)
    ),
    # Account administration.
    "accounts:users": Row(SECRETARIAT),
    "accounts:invite": Row(SECRETARIAT, write=SECRETARIAT),
    "accounts:user": Row(SECRETARIAT, args=lambda f: (f["users"]["focal_point"].pk,)),
    "accounts:add_representation": Row(
        POST_ONLY, write=SECRETARIAT, args=lambda f: (f["users"]["focal_point"].pk,)
    ),
    "accounts:user_action": Row(
        POST_ONLY, write=SECRETARIAT, args=lambda f: (f["users"]["observer"].pk, "end-sessions")
    ),
    "accounts:accept_invitation": Row(NOBODY, write=NOBODY, args=("not-a-valid-token",)),
    # Audit.
    "audit:log": Row(SECRETARIAT),
    "audit:history": Row(SIGNED_IN, args=lambda f: ("plans", "axis", f["axis"].pk)),
    # Monitoring: everyone with an account reads; responsible parties report;
    # the Secretariat validates and manages periods and POAs.
    "monitoring:dashboard": Row(SIGNED_IN),
    "monitoring:chart": Row(SIGNED_IN, args=("axes",)),
    "monitoring:matrix": Row(SIGNED_IN),
    "monitoring:matrix_xlsx": Row(SIGNED_IN),
    "monitoring:tree": Row(SIGNED_IN, args=(2018,)),
    "monitoring:indicator": Row(SIGNED_IN, args=lambda f: (f["manual_indicator"].pk,)),
    "monitoring:drill_down": Row(SIGNED_IN, args=lambda f: (f["manual_indicator"].pk,)),
    "monitoring:enter_value": Row(
        SECRETARIAT, write=SECRETARIAT, args=lambda f: (f["manual_indicator"].pk,)
    ),
    "monitoring:value_review_queue": Row(SECRETARIAT),
    "monitoring:review_value": Row(
        POST_ONLY, write=SECRETARIAT, args=lambda f: (f["indicator_value"].pk,)
    ),
    "monitoring:my_reports": Row(SIGNED_IN),
    "monitoring:report": Row(
        RESPONSIBLE, write=RESPONSIBLE, args=lambda f: (f["period"].pk, f["cr_activity"].pk)
    ),
    "monitoring:review_queue": Row(SECRETARIAT),
    "monitoring:review_report": Row(POST_ONLY, write=SECRETARIAT, args=lambda f: (f["report"].pk,)),
    # Evidence of a report not yet validated: those who may see the report.
    "monitoring:evidence": Row(RESPONSIBLE, args=lambda f: (f["evidence"].pk,)),
    # Every member country's focal points report its parts of the shared
    # activities (those of the national bodies), so every member has a template.
    "monitoring:report_template": Row(MEMBERS, args=lambda f: (f["period"].pk,)),
    "monitoring:upload_reports": Row(MEMBERS, write=MEMBERS, args=lambda f: (f["period"].pk,)),
    # Costa Rica's part of a shared activity (3.2.1-1, of the national bodies).
    "monitoring:report_part": Row(
        OWN_COUNTRY,
        write=OWN_COUNTRY,
        args=lambda f: (f["period"].pk, f["shared_activity"].pk, "CR"),
    ),
    "monitoring:activity": Row(SIGNED_IN, args=lambda f: (f["shared_activity"].pk,)),
    "monitoring:periods": Row(SECRETARIAT),
    "monitoring:create_periods": Row(POST_ONLY, write=SECRETARIAT, args=(2018,)),
    "monitoring:close_period": Row(POST_ONLY, write=SECRETARIAT, args=lambda f: (f["period"].pk,)),
    "monitoring:reopen_period": Row(POST_ONLY, write=SECRETARIAT, args=lambda f: (f["period"].pk,)),
    "monitoring:copy_forward": Row(POST_ONLY, write=SECRETARIAT, args=(2018,)),
    "monitoring:completeness": Row(SIGNED_IN),
    # Meetings: the Presidency convenes and runs them, the Secretariat keeps the
    # registers, votes, minutes and agreements; focal points report for their
    # country and follow up their agreements. Meeting 12 is not open to observers.
    "meetings:calendar": Row(SIGNED_IN),
    "meetings:event_create": Row(CHAIR, write=CHAIR),
    "meetings:event": Row(MEMBERS, args=lambda f: (f["meeting"].pk,)),
    "meetings:event_edit": Row(CHAIR, write=CHAIR, args=lambda f: (f["meeting"].pk,)),
    "meetings:convene": Row(POST_ONLY, write=CHAIR, args=lambda f: (f["meeting"].pk,)),
    "meetings:cancel": Row(POST_ONLY, write=CHAIR, args=lambda f: (f["meeting"].pk,)),
    "meetings:event_ics": Row(MEMBERS, args=lambda f: (f["meeting"].pk,)),
    "meetings:agenda": Row(MEMBERS, write=CHAIR, args=lambda f: (f["meeting"].pk,)),
    "meetings:agenda_item": Row(CHAIR, write=CHAIR, args=lambda f: (f["agenda_item"].pk,)),
    "meetings:agenda_item_action": Row(
        POST_ONLY, write=CHAIR, args=lambda f: (f["agenda_item"].pk, "down")
    ),
    "meetings:approve_agenda": Row(POST_ONLY, write=CHAIR, args=lambda f: (f["meeting"].pk,)),
    "meetings:agenda_pdf": Row(MEMBERS, args=lambda f: (f["meeting"].pk,)),
    "meetings:attachment": Row(MEMBERS, args=lambda f: (f["attachment"].pk,)),
    "meetings:attendance": Row(MEMBERS, write=SECRETARIAT, args=lambda f: (f["meeting"].pk,)),
    "meetings:add_representative": Row(
        SECRETARIAT, write=SECRETARIAT, args=lambda f: (f["meeting"].pk,)
    ),
    "meetings:verify_quorum": Row(POST_ONLY, write=CHAIR, args=lambda f: (f["meeting"].pk,)),
    "meetings:country_reports": Row(MEMBERS, args=lambda f: (f["meeting"].pk,)),
    "meetings:country_report": Row(
        MEMBERS, write=OWN_COUNTRY, args=lambda f: (f["meeting"].pk, "CR")
    ),
    "meetings:decision_create": Row(
        SECRETARIAT, write=SECRETARIAT, args=lambda f: (f["meeting"].pk,)
    ),
    "meetings:decision": Row(MEMBERS, args=lambda f: (f["decision"].pk,)),
    "meetings:objection": Row(POST_ONLY, write=SECRETARIAT, args=lambda f: (f["decision"].pk,)),
    "meetings:withdraw_objection": Row(
        POST_ONLY, write=SECRETARIAT, args=lambda f: (f["objection"].pk,)
    ),
    "meetings:tally": Row(POST_ONLY, write=SECRETARIAT, args=lambda f: (f["decision"].pk,)),
    "meetings:archive": Row(SIGNED_IN),
    "meetings:minutes_create": Row(
        SECRETARIAT, write=SECRETARIAT, args=lambda f: (f["next_meeting"].pk,)
    ),
    "meetings:minutes": Row(MEMBERS, write=SECRETARIAT, args=lambda f: (f["minutes"].pk,)),
    "meetings:circulate_minutes": Row(
        POST_ONLY, write=SECRETARIAT, args=lambda f: (f["minutes"].pk,)
    ),
    "meetings:comment_minutes": Row(POST_ONLY, write=MEMBERS, args=lambda f: (f["minutes"].pk,)),
    "meetings:approve_minutes": Row(POST_ONLY, write=CHAIR, args=lambda f: (f["minutes"].pk,)),
    "meetings:correct_minutes": Row(
        POST_ONLY, write=SECRETARIAT, args=lambda f: (f["minutes"].pk,)
    ),
    "meetings:minutes_pdf": Row(MEMBERS, args=lambda f: (f["minutes"].pk,)),
    "meetings:agreements": Row(SIGNED_IN),
    "meetings:agreement_create": Row(
        SECRETARIAT, write=SECRETARIAT, args=lambda f: (f["meeting"].pk,)
    ),
    "meetings:agreement": Row(MEMBERS, args=lambda f: (f["agreement"].pk,)),
    "meetings:agreement_edit": Row(
        SECRETARIAT, write=SECRETARIAT, args=lambda f: (f["agreement"].pk,)
    ),
    # The agreement is Costa Rica's: its focal point and the Secretariat follow it up.
    "meetings:follow_up": Row(POST_ONLY, write=OWN_COUNTRY, args=lambda f: (f["agreement"].pk,)),
    "meetings:my_calendar": Row(SIGNED_IN, write=SIGNED_IN),
    # The private feed answers to its token, not to a session.
    "meetings:calendar_feed": Row(PUBLIC, args=lambda f: (f["feed_token"],)),
    # --- statistics ---
    # Protected figures are public; a focal point sends their own country's
    # figures (the Presidency's user is Honduras's focal point); an upload is
    # followed by its sender, its country's focal points and the Secretariat.
    "statistics:index": Row(PUBLIC),
    "statistics:explore": Row(PUBLIC),
    "statistics:chart": Row(PUBLIC),
    "statistics:export": Row(PUBLIC, args=("csv",)),
    "statistics:imports": Row(
        expect(LOGIN, DENY, OK, OK, OK, OK), write=expect(LOGIN, DENY, OK, OK, OK, OK)
    ),
    "statistics:upload": Row(OWN_COUNTRY, args=lambda f: (f["statistics_upload"].pk,)),
    "statistics:template": Row(
        expect(LOGIN, DENY, OK, OK, OK, OK), args=("tip_victims_detected", "records", "csv")
    ),
    "statistics:batches": Row(MEMBERS),
    # --- end statistics ---
    # --- workspace (issue 12): "My work" and "My account", each person's own ---
    "my_work": Row(SIGNED_IN),
    "my_account": Row(SIGNED_IN, write=SIGNED_IN),
    # --- end workspace ---
    # Sign-in, passwords and two-factor authentication (django-allauth).
    "account_login": Row(PUBLIC, write=PUBLIC),
    "account_logout": Row(PUBLIC, write=PUBLIC),
    "account_inactive": Row(PUBLIC),
    "account_signup": Row(PUBLIC, write=PUBLIC),
    "account_reauthenticate": Row(SIGNED_IN),
    "account_email": Row(SIGNED_IN, write=SIGNED_IN),  # the same page as the next row
    "account_email_managed": Row(SIGNED_IN, write=SIGNED_IN),
    "account_email_verification_sent": Row(PUBLIC),
    "account_confirm_email": Row(PUBLIC, args=("not-a-valid-key",)),  # "invalid link" page
    "account_change_password": Row(SIGNED_IN, write=SIGNED_IN),
    "account_set_password": Row(SIGNED_IN),
    "account_reset_password": Row(PUBLIC, write=PUBLIC),
    "account_reset_password_done": Row(PUBLIC),
    "account_reset_password_from_key": Row(PUBLIC, args=("x", "not-a-valid-key")),
    "account_reset_password_from_key_done": Row(PUBLIC),
    "account_confirm_login_code": Row(SIGNED_IN),  # no code sign-in pending: sign in
    "mfa_index": Row(SIGNED_IN),
    "mfa_authenticate": Row(SIGNED_IN),  # no sign-in pending: sign in
    "mfa_reauthenticate": Row(SIGNED_IN),
    "mfa_activate_totp": Row(SIGNED_IN, write=SIGNED_IN),
    "mfa_deactivate_totp": Row(WITH_MFA),
    "mfa_view_recovery_codes": Row(WITH_MFA),
    "mfa_generate_recovery_codes": Row(SIGNED_IN),
    "mfa_download_recovery_codes": Row(WITH_MFA),
}

# The administration is the Secretariat's: Django generates a set of URLs per
# model, checked below through the index and each model's list and add pages.
ADMIN_PATTERN = re.compile(
    r"^admin:(index|login|logout|password_change|password_change_done|autocomplete|jsi18n|"
    r"view_on_site|app_list|\w+_(changelist|add|change|delete|history|simple_history"
    r"|password_change|revert|revision))$"
    r"|^admin:\(\?P<url>\.\*\)\$$|^admin:<path:object_id>/$"  # catch-all redirects
)


def url_names():
    def walk(resolver, namespace=""):
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                inner = namespace
                if pattern.namespace:
                    inner = f"{namespace}{pattern.namespace}:"
                yield from walk(pattern, inner)
            elif isinstance(pattern, URLPattern):
                yield (
                    f"{namespace}{pattern.name}"
                    if pattern.name
                    else f"{namespace}{pattern.pattern}"
                )

    return sorted(set(walk(get_resolver())))


# Apps whose rows live in a file of their own (same fixtures, same check).
MATRIX_FILES = {
    "tests.test_permission_matrix_cooperation": "MATRIX",
    "tests.test_permission_matrix_reports": "REPORTS_MATRIX",
}


def all_rows() -> set[str]:
    import importlib

    rows = set(MATRIX)
    for module, name in MATRIX_FILES.items():
        rows |= set(getattr(importlib.import_module(module), name))
    return rows


def test_every_url_has_an_expectation():
    rows = all_rows()
    missing = [name for name in url_names() if name not in rows and not ADMIN_PATTERN.match(name)]
    assert not missing, f"URLs with no row in the permission matrix: {missing}"


def test_the_matrix_has_no_stale_rows():
    names = set(url_names())
    assert not [name for name in MATRIX if name not in names]


def outcome(response) -> str:
    if response.status_code in (301, 302):
        target = response["Location"].split("?")[0]
        return LOGIN if target.endswith("/accounts/login/") else OK
    return {200: OK, 403: DENY, 404: GONE, 405: NOT_ALLOWED}.get(
        response.status_code, str(response.status_code)
    )


@pytest.fixture
def fixtures(users, plan, terms):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from coalicion.monitoring import actions
    from coalicion.monitoring.models import IndicatorValue, ProgressReport, ReportStatus
    from coalicion.plans.models import Activity, Indicator, Responsible

    poa = plan.operating_plans.get(year=2018)
    period = actions.create_quarterly_periods(operating_plan=poa)[0]
    cr_activity = Activity.objects.get(objective__operating_plan=poa, code="3.1.1-1")
    Responsible.objects.create(activity=cr_activity, kind="country", country=terms["CR"])
    report = ProgressReport.objects.create(
        activity=cr_activity, period=period, percent=10, status=ReportStatus.SUBMITTED
    )
    evidence = actions.attach_evidence(
        actor=users["secretariat"],
        uploaded=SimpleUploadedFile("acta.pdf", PDF_BYTES),
        content_type="application/pdf",
        report=report,
    )
    manual_indicator = Indicator.objects.get(result__objective__axis__plan=plan, code="1a")
    manual_indicator.source = "manual"
    manual_indicator.save()
    indicator_value = IndicatorValue.objects.create(
        indicator=manual_indicator,
        year=2018,
        stage=plan.milestone_stages.get(code="drafted"),
        status=ReportStatus.SUBMITTED,
    )
    meetings = _meeting_fixtures(users, terms)
    return {
        **meetings,
        **_statistics_fixtures(users),
        "users": users,
        "axis": plan.axes.get(code="1"),
        "cr_person": Person.objects.create(
            given_name="Ana", family_name="Contacto", country=terms["CR"]
        ),
        "period": period,
        "cr_activity": cr_activity,
        "shared_activity": Activity.objects.get(objective__operating_plan=poa, code="3.2.1-1"),
        "report": report,
        "evidence": evidence,
        "manual_indicator": manual_indicator,
        "indicator_value": indicator_value,
    }


def _meeting_fixtures(users, terms):
    """Meeting 12 (quorate, with an item, a file, a consensus decision with an
    objection, an agreement of Costa Rica) and meeting 13 whose minutes circulate."""
    import datetime

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from coalicion.meetings.actions.agenda import add_agenda_item
    from coalicion.meetings.actions.agreements import create_agreement
    from coalicion.meetings.actions.attendance import record_attendance, verify_quorum
    from coalicion.meetings.actions.calendar import create_calendar_feed
    from coalicion.meetings.actions.common import attach_file
    from coalicion.meetings.actions.decisions import record_decision, record_objection
    from coalicion.meetings.actions.events import create_event
    from coalicion.meetings.actions.minutes import circulate_minutes, draft_minutes
    from coalicion.meetings.models import Event
    from coalicion.meetings.tests.helpers import named_row

    def at(day, hour):
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))

    def make(number, day):
        return create_event(
            actor=users["presidency"],
            kind=Event.Kind.ORDINARY,
            number=number,
            title=f"Reunión {number}",
            start=at(day, 9),
            end=at(day, 17),
            country=terms["HN"],
            city="Tegucigalpa",
        )

    meeting = make(12, datetime.date(2026, 3, 10))
    rows = [
        named_row(c, "titular" if code in ("CR", "GT", "HN", "PA", "SV") else "absent")
        for code, c in terms.items()
        if c.is_member
    ]
    record_attendance(actor=users["secretariat"], event=meeting, rows=rows)
    verify_quorum(actor=users["presidency"], event=meeting)
    item = add_agenda_item(actor=users["presidency"], event=meeting, title="Informe")
    attachment = attach_file(
        actor=users["presidency"],
        uploaded=SimpleUploadedFile("informe.pdf", PDF_BYTES),
        content_type="application/pdf",
        agenda_item=item,
    )
    decision = record_decision(
        actor=users["secretariat"], event=meeting, text="Aprobar", method="consensus"
    )
    objection = record_objection(
        actor=users["secretariat"], decision=decision, country=terms["GT"], kind="dissent"
    )
    agreement = create_agreement(
        actor=users["secretariat"],
        event=meeting,
        text="Enviar el informe",
        responsible_kind="country",
        country=terms["CR"],
    )
    next_meeting = make(13, datetime.date(2026, 9, 15))
    minutes = draft_minutes(actor=users["secretariat"], event=meeting)
    minutes = circulate_minutes(actor=users["secretariat"], minutes=minutes)
    return {
        "meeting": meeting,
        "next_meeting": next_meeting,
        "agenda_item": item,
        "attachment": attachment,
        "decision": decision,
        "objection": objection,
        "agreement": agreement,
        "minutes": minutes,
        "feed_token": create_calendar_feed(actor=users["focal_point"]),
    }


# --- statistics ---
def _statistics_fixtures(users):
    """An upload of Costa Rica's figures by its focal point."""
    from coalicion.statistics.models import Upload

    upload = Upload.objects.create(
        measure="tip_victims_detected",
        kind="records",
        file_format="csv",
        source="Policía",
        original_name="cr.csv",
        content_type="text/csv",
        size=1,
        sha256="0" * 64,
        uploaded_by=users["focal_point"],
        allowed_countries=["CR"],
        status=Upload.Status.DONE,
    )
    return {"statistics_upload": upload}


# --- end statistics ---


def client_for(client_class, user):
    client = client_class()
    if user is not None:
        client.force_login(user)
    return client


def resolve_url(name, row, fixtures):
    args = row.args(fixtures) if callable(row.args) else row.args
    with translation.override("es"):
        return reverse(name, args=args)


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_who_may_read_and_write(name, fixtures, client):
    row = MATRIX[name]
    url = resolve_url(name, row, fixtures)
    problems = []
    for role in ROLES:
        user = fixtures["users"][role]
        got = outcome(client_for(type(client), user).get(url, row.query))
        if got != row.read[role]:
            problems.append(f"GET as {role}: {got}, expected {row.read[role]}")
        if row.write is not None:
            got = outcome(client_for(type(client), user).post(url, {}))
            wanted = row.write[role]
            # A permitted write may answer with a form error (200) or a redirect.
            if got != wanted:
                problems.append(f"POST as {role}: {got}, expected {wanted}")
    assert not problems, f"{url}: " + "; ".join(problems)


ADMIN = expect(LOGIN, DENY, DENY, DENY, DENY, OK)


def admin_urls():
    from django.contrib import admin

    urls = ["admin:index"]
    for model in admin.site._registry:
        meta = model._meta
        urls.append(f"admin:{meta.app_label}_{meta.model_name}_changelist")
        # Second factors: removal only; the e-mail outbox and the job runner's
        # results: written by the application only.
        if (meta.app_label, meta.model_name) not in {
            ("mfa", "authenticator"),
            ("notifications", "notification"),
            ("django_tasks_database", "dbtaskresult"),
        }:
            urls.append(f"admin:{meta.app_label}_{meta.model_name}_add")
    return urls


def test_only_the_secretariat_enters_the_administration(fixtures, client):
    problems = []
    for name in admin_urls():
        with translation.override("es"):
            url = reverse(name)
        for role in ROLES:
            got = outcome(client_for(type(client), fixtures["users"][role]).get(url))
            if got != ADMIN[role]:
                problems.append(f"{url} as {role}: {got}, expected {ADMIN[role]}")
    assert not problems, "\n".join(problems)
