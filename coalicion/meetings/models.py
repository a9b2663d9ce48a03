"""Events and meetings of the Coalition, their agenda, attendance, quorum,
country reports, decisions, minutes and agreements (SPEC §6; plan section
VIII, functions of the Presidency and the Technical Secretariat).

Every write goes through `coalicion.meetings.actions`; the counting rules
(quorum, votes) live in `coalicion.meetings.counting`.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.signals import m2m_changed
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from coalicion.core.i18n import localized
from coalicion.core.uploads import StoredFile
from coalicion.meetings.counting import PRESENT_STATUSES, QuorumRule


class FrozenError(Exception):
    """An approved minute, or what it records, cannot change any more."""


def records_frozen(event_ids) -> bool:
    """Whether the original minutes of any of these events are approved."""
    return Minutes.objects.filter(
        status=Minutes.Status.APPROVED, corrects__isnull=True, event_id__in=event_ids
    ).exists()


class RecordedQuerySet(models.QuerySet):
    def _frozen(self) -> bool:
        return records_frozen(self.values(self.model.EVENT_PATH))

    def update(self, **kwargs):
        if set(kwargs) - set(self.model.MUTABLE_WHEN_FROZEN) and self._frozen():
            raise FrozenError("The minutes of this meeting are approved: its records are frozen.")
        return super().update(**kwargs)

    def delete(self):
        if self._frozen():
            raise FrozenError("The minutes of this meeting are approved: its records are frozen.")
        return super().delete()


class RecordedInMinutes(models.Model):
    """What the minutes of a meeting record (the event itself, its agenda,
    register, quorum, reports, decisions, votes and agreements) is frozen once
    those minutes are approved: an integrity guard that holds whatever path a
    write takes — an action, the admin, a script — like the one on `Minutes`.
    `MUTABLE_WHEN_FROZEN` names the fields that may still change (an
    agreement's status, through its follow-up)."""

    EVENT_PATH = "event"
    MUTABLE_WHEN_FROZEN: tuple[str, ...] = ()

    objects = RecordedQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        only_mutable = update_fields is not None and set(update_fields) <= set(
            self.MUTABLE_WHEN_FROZEN
        )
        if not only_mutable and self._is_frozen() and self._changes_frozen_fields():
            raise FrozenError("The minutes of this meeting are approved: its records are frozen.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self._is_frozen():
            raise FrozenError("The minutes of this meeting are approved: its records are frozen.")
        return super().delete(*args, **kwargs)

    def frozen_event_id(self) -> int | None:
        if self.EVENT_PATH == "pk":
            return self.pk
        first, _sep, rest = self.EVENT_PATH.partition("__")
        related_id = getattr(self, f"{first}_id")
        if not rest or related_id is None:
            return related_id
        related = self._meta.get_field(first).related_model
        return related._base_manager.filter(pk=related_id).values_list(rest, flat=True).first()

    def _is_frozen(self) -> bool:
        """Frozen where the row points now, or where it pointed when stored
        (a row of a frozen meeting cannot be moved to another one either)."""
        event_ids = {self.frozen_event_id()}
        if self.pk is not None:
            stored = (
                type(self)._base_manager.filter(pk=self.pk).values_list(self.EVENT_PATH, flat=True)
            )
            event_ids.update(stored)
        event_ids.discard(None)
        return bool(event_ids) and records_frozen(event_ids)

    def _changes_frozen_fields(self) -> bool:
        if self.pk is None:
            return True
        stored = type(self)._base_manager.filter(pk=self.pk).first()
        if stored is None:
            return True
        return any(
            getattr(stored, field.attname) != getattr(self, field.attname)
            for field in self._meta.concrete_fields
            if field.name not in self.MUTABLE_WHEN_FROZEN and not getattr(field, "auto_now", False)
        )


class Event(RecordedInMinutes):
    EVENT_PATH = "pk"
    # Once its minutes are approved, a meeting may still be opened to
    # observers or have its English title and description completed.
    MUTABLE_WHEN_FROZEN = ("open_to_observers", "title_en", "description", "version")

    class Kind(models.TextChoices):
        ORDINARY = "ordinary", _("Ordinary meeting")
        EXTRAORDINARY = "extraordinary", _("Extraordinary meeting")
        TECHNICAL = "technical", _("Technical session")
        SEMINAR = "seminar", _("Seminar")
        WORKSHOP = "workshop", _("Workshop")
        ENCOUNTER = "encounter", _("Regional encounter")
        REPRESENTATION = "representation", _("Representation of the Coalition")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        CONVENED = "convened", _("Convened")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")

    MEETING_KINDS = (Kind.ORDINARY, Kind.EXTRAORDINARY)

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    number = models.PositiveIntegerField(
        _("number"),
        null=True,
        blank=True,
        help_text=_("Ordinal of an ordinary or extraordinary meeting (XII → 12)."),
    )
    title = models.CharField(_("title (Spanish)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    country = models.ForeignKey(
        "membership.Country",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("country"),
    )
    city = models.CharField(_("city"), max_length=120, blank=True)
    venue = models.CharField(_("venue"), max_length=300, blank=True)
    is_virtual = models.BooleanField(_("virtual"), default=False)
    virtual_url = models.URLField(_("address of the virtual room"), blank=True)
    organiser = models.CharField(
        _("organiser"), max_length=300, blank=True, help_text=_("Who organises the event.")
    )
    activities = models.ManyToManyField(
        "plans.Activity",
        blank=True,
        related_name="events",
        verbose_name=_("POA activities"),
        help_text=_("The activities of the operating plans this event carries out."),
    )
    open_to_observers = models.BooleanField(
        _("open to observers"),
        default=False,
        help_text=_("Observers see this event, its approved minutes and its agreements."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNED
    )
    quorum_rule = models.CharField(
        _("quorum rule"),
        max_length=20,
        blank=True,
        choices=QuorumRule.choices,
        help_text=_("Empty: the rule configured for the Coalition (MEETINGS_QUORUM_RULE)."),
    )
    convened_at = models.DateTimeField(_("convened"), null=True, blank=True)
    convened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    agenda_approved_at = models.DateTimeField(_("agenda approved"), null=True, blank=True)
    # A representation of the Coalition owes a report at the next meeting.
    report = models.TextField(_("report of the representation"), blank=True)
    carried_agreements = models.ManyToManyField(
        "Agreement",
        blank=True,
        related_name="carried_to",
        verbose_name=_("agreements carried over"),
        help_text=_("Unfulfilled agreements on this meeting's agenda, fixed when it is approved."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        ordering = ["-start"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=models.F("start")), name="event_ends_after"
            ),
            models.UniqueConstraint(
                fields=["kind", "number"],
                condition=Q(number__isnull=False),
                name="meeting_number_unique_per_kind",
            ),
        ]

    def __str__(self):
        return localized(self, "title")

    def get_absolute_url(self):
        return reverse("meetings:event", args=[self.pk])

    @property
    def is_meeting(self) -> bool:
        """Ordinary and extraordinary meetings have quorum, decisions, minutes."""
        return self.kind in self.MEETING_KINDS

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    @property
    def agenda_approved(self) -> bool:
        return self.agenda_approved_at is not None

    @property
    def code_prefix(self) -> str:
        """The prefix of its agreements' numbers: R12 (ordinary), RE3 (extraordinary)."""
        letter = "R" if self.kind == self.Kind.ORDINARY else "RE"
        return f"{letter}{self.number or 0}"

    @property
    def place(self) -> str:
        parts = [p for p in (self.venue, self.city, str(self.country or "")) if p]
        return ", ".join(parts)

    @property
    def local_date(self) -> datetime.date:
        return timezone.localtime(self.start).date()


class AgendaItem(RecordedInMinutes):
    class Kind(models.TextChoices):
        ITEM = "item", _("Agenda item")
        QUORUM = "quorum", _("Verification of quorum")
        AGENDA = "agenda", _("Approval of the agenda")
        PREVIOUS_MINUTES = "previous_minutes", _("Reading and approval of the previous minutes")
        REPRESENTATIONS = "representations", _("Reports of the Presidency on its representations")
        COUNTRY_REPORTS = "country_reports", _("Updated situation reports of the countries")
        AGREEMENTS = "agreements", _("Follow-up of pending agreements")

    AUTOMATIC = (
        Kind.QUORUM,
        Kind.AGENDA,
        Kind.PREVIOUS_MINUTES,
        Kind.REPRESENTATIONS,
        Kind.COUNTRY_REPORTS,
        Kind.AGREEMENTS,
    )

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="agenda_items")
    order = models.PositiveSmallIntegerField(_("order"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.ITEM)
    title = models.CharField(_("title"), max_length=300)
    presenter = models.CharField(_("presenter"), max_length=200, blank=True)
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"), null=True, blank=True
    )
    notes = models.TextField(_("notes"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["event", "order", "pk"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")

    def __str__(self):
        return f"{self.order}. {self.display_title}"

    @property
    def is_automatic(self) -> bool:
        return self.kind in self.AUTOMATIC

    @property
    def display_title(self) -> str:
        """An automatic item keeps the title it was created with (in Spanish,
        the records' language) unless edited: show that one in the active language."""
        if self.is_automatic:
            label = self.Kind(self.kind).label
            with translation.override(settings.LANGUAGE_CODE):
                default = str(label)
            if self.title == default:
                return str(label)
        return self.title


class Attendance(RecordedInMinutes):
    """A member country's line of the attendance register."""

    class Status(models.TextChoices):
        TITULAR = "titular", _("Titular present")
        ALTERNATE = "alternate", _("Alternate present")
        BOTH = "both", _("Titular and alternate present")
        ABSENT = "absent", _("Absent")
        EXCUSED = "excused", _("Excused")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="attendance")
    country = models.ForeignKey(
        "membership.Country", on_delete=models.PROTECT, related_name="+", verbose_name=_("country")
    )
    status = models.CharField(_("attendance"), max_length=20, choices=Status.choices)
    titular = models.ForeignKey(
        "membership.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("titular representative"),
    )
    alternate = models.ForeignKey(
        "membership.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("alternate representative"),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["event", "country__name"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["event", "country"], name="attendance_once_per_country")
        ]

    def __str__(self):
        return f"{self.event} — {localized(self.country, 'name')}: {self.get_status_display()}"

    def get_absolute_url(self):
        return reverse("meetings:attendance", args=[self.event_id])

    def is_visible_to(self, user) -> bool:
        """For lists of records outside this app (an indicator's drill-down)."""
        return user.has_perm("meetings.view_event", self.event)

    @property
    def is_present(self) -> bool:
        return self.status in PRESENT_STATUSES


class ObserverAttendance(RecordedInMinutes):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="observer_attendance")
    organisation = models.ForeignKey(
        "membership.ObserverOrganisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organisation"),
    )
    present = models.BooleanField(_("present"), default=True)
    people = models.CharField(
        _("people attending"), max_length=300, blank=True, help_text=_("Names and positions.")
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["event", "organisation__name"]
        verbose_name = _("observer attendance")
        verbose_name_plural = _("observer attendance")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "organisation"], name="observer_attendance_once"
            )
        ]

    def __str__(self):
        return str(self.organisation)


class QuorumCheck(RecordedInMinutes):
    """A verification of quorum: the verdict and the numbers, with the time."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="quorum_checks")
    at = models.DateTimeField(_("verified at"))
    present = models.PositiveSmallIntegerField(_("member countries present"))
    members = models.PositiveSmallIntegerField(_("member countries"))
    required = models.PositiveSmallIntegerField(_("required for quorum"))
    rule = models.CharField(_("rule"), max_length=20)
    has_quorum = models.BooleanField(_("quorum"))
    present_countries = models.JSONField(_("countries present"), default=list)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["event", "at", "pk"]
        get_latest_by = ["at", "pk"]
        verbose_name = _("verification of quorum")
        verbose_name_plural = _("verifications of quorum")

    def __str__(self):
        return f"{self.present}/{self.members}"


class CountryReport(RecordedInMinutes):
    """Informe actualizado de la realidad de su país, with structured highlights."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="country_reports")
    country = models.ForeignKey(
        "membership.Country", on_delete=models.PROTECT, related_name="+", verbose_name=_("country")
    )
    summary = models.TextField(_("summary"))
    legal_changes = models.TextField(_("legal and regulatory changes"), blank=True)
    cases = models.TextField(
        _("cases"),
        blank=True,
        help_text=_(
            "Aggregated figures and case outcomes only: never names or identifying details."
        ),
    )
    actions = models.TextField(_("actions taken"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        ordering = ["event", "country__name"]
        verbose_name = _("country report")
        verbose_name_plural = _("country reports")
        constraints = [
            models.UniqueConstraint(fields=["event", "country"], name="country_report_once")
        ]

    def __str__(self):
        return f"{self.country} — {self.event}"


class Decision(RecordedInMinutes):
    class Method(models.TextChoices):
        CONSENSUS = "consensus", _("Consensus")
        VOTE = "vote", _("Vote")

    class Majority(models.TextChoices):
        SIMPLE = "simple", _("Simple majority (yes > no)")
        TWO_THIRDS = "two_thirds", _("Two-thirds majority (3·yes ≥ 2·(yes + no))")
        ABSOLUTE = "absolute", _("Absolute majority (yes > half of the member countries)")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="decisions")
    number = models.PositiveSmallIntegerField(_("number"))
    agenda_item = models.ForeignKey(
        AgendaItem,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="decisions",
        verbose_name=_("agenda item"),
    )
    text = models.TextField(_("text of the decision"))
    method = models.CharField(
        _("method"), max_length=20, choices=Method.choices, default=Method.CONSENSUS
    )
    majority = models.CharField(_("majority"), max_length=20, choices=Majority.choices, blank=True)
    adopted = models.BooleanField(_("adopted"), null=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["event", "number"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        constraints = [
            models.UniqueConstraint(fields=["event", "number"], name="decision_number_unique")
        ]

    def __str__(self):
        return _("Decision %(number)s") % {"number": self.number}

    def get_absolute_url(self):
        return reverse("meetings:decision", args=[self.pk])

    @property
    def official_tally(self):
        """The last tally is official; earlier ones stay visible (recounts)."""
        tallies = list(self.tallies.all())
        return tallies[-1] if tallies else None


class Objection(RecordedInMinutes):
    """A member country's position against a consensus decision: an objection
    blocks it; a dissent is recorded and does not."""

    EVENT_PATH = "decision__event"

    class Kind(models.TextChoices):
        OBJECTION = "objection", _("Objection (blocks consensus)")
        DISSENT = "dissent", _("Dissent recorded (does not block)")

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="objections")
    country = models.ForeignKey(
        "membership.Country", on_delete=models.PROTECT, related_name="+", verbose_name=_("country")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    text = models.TextField(_("statement"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["decision", "country__name"]
        verbose_name = _("objection or dissent")
        verbose_name_plural = _("objections and dissents")
        constraints = [
            models.UniqueConstraint(fields=["decision", "country"], name="objection_once")
        ]

    def __str__(self):
        return f"{self.country}: {self.get_kind_display()}"


class Tally(RecordedInMinutes):
    """One count of the votes of a decision; a recount (reconteo) is a new
    tally kept beside the first, and the last one is official."""

    EVENT_PATH = "decision__event"

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="tallies")
    number = models.PositiveSmallIntegerField(_("count"))
    yes = models.PositiveSmallIntegerField(_("yes"))
    no = models.PositiveSmallIntegerField(_("no"))
    abstain = models.PositiveSmallIntegerField(_("abstentions"))
    members = models.PositiveSmallIntegerField(_("member countries"))
    majority = models.CharField(_("majority"), max_length=20)
    adopted = models.BooleanField(_("adopted"))
    reason = models.CharField(_("reason for the recount"), max_length=300, blank=True)
    counted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    counted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["decision", "number"]
        verbose_name = _("tally")
        verbose_name_plural = _("tallies")
        constraints = [
            models.UniqueConstraint(fields=["decision", "number"], name="tally_number_unique")
        ]

    def __str__(self):
        return f"{self.yes}–{self.no}–{self.abstain}"

    @property
    def is_recount(self) -> bool:
        return self.number > 1


class Ballot(RecordedInMinutes):
    EVENT_PATH = "tally__decision__event"

    class Choice(models.TextChoices):
        YES = "yes", _("Yes")
        NO = "no", _("No")
        ABSTAIN = "abstain", _("Abstain")

    tally = models.ForeignKey(Tally, on_delete=models.CASCADE, related_name="ballots")
    country = models.ForeignKey(
        "membership.Country", on_delete=models.PROTECT, related_name="+", verbose_name=_("country")
    )
    choice = models.CharField(_("vote"), max_length=10, choices=Choice.choices)

    class Meta:
        ordering = ["tally", "country__name"]
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [models.UniqueConstraint(fields=["tally", "country"], name="one_vote")]

    def __str__(self):
        return f"{self.country}: {self.get_choice_display()}"


class MinutesQuerySet(models.QuerySet):
    def update(self, **kwargs):
        if self.filter(status=Minutes.Status.APPROVED).exists():
            raise FrozenError("Approved minutes are frozen.")
        return super().update(**kwargs)

    def delete(self):
        if self.filter(status=Minutes.Status.APPROVED).exists():
            raise FrozenError("Approved minutes are frozen.")
        return super().delete()


class Minutes(models.Model):
    """Acta of a meeting: drafted by the Secretariat, circulated to the
    members for comment, approved at the next meeting. Approved minutes are
    frozen (with a stored PDF and its hash); a correction is a new document
    linked to the one it corrects."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        CIRCULATED = "circulated", _("Circulated for comment")
        APPROVED = "approved", _("Approved")

    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="minutes")
    corrects = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
        verbose_name=_("corrects"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    body = models.TextField(_("text of the minutes"))
    circulated_at = models.DateTimeField(_("circulated"), null=True, blank=True)
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at_event = models.ForeignKey(
        Event,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="approved_minutes",
        verbose_name=_("approved at"),
    )
    pdf = models.FileField(_("PDF"), upload_to="minutes/%Y/", blank=True)
    pdf_sha256 = models.CharField(_("SHA-256 of the PDF"), max_length=64, blank=True)
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)
    objects = MinutesQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        ordering = ["event", "pk"]
        verbose_name = _("minutes")
        verbose_name_plural = _("minutes")
        constraints = [
            models.UniqueConstraint(
                fields=["event"], condition=Q(corrects__isnull=True), name="one_original_minutes"
            ),
            models.CheckConstraint(
                condition=~Q(status="approved") | Q(approved_at__isnull=False, pdf_sha256__gt=""),
                name="approved_minutes_have_pdf",
            ),
        ]

    def __str__(self):
        if self.corrects_id:
            return _("Correction of the minutes of %(event)s") % {"event": self.event}
        return _("Minutes of %(event)s") % {"event": self.event}

    def save(self, *args, **kwargs):
        # Integrity guard, not business logic: whatever path a write takes
        # (a view, the admin, a script), an approved minute never changes.
        if self.pk is not None:
            stored = type(self).objects.filter(pk=self.pk).values_list("status", flat=True).first()
            if stored == self.Status.APPROVED:
                raise FrozenError("Approved minutes are frozen.")
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("meetings:minutes", args=[self.pk])

    def delete(self, *args, **kwargs):
        if self.status == self.Status.APPROVED:
            raise FrozenError("Approved minutes are frozen.")
        return super().delete(*args, **kwargs)

    @property
    def is_frozen(self) -> bool:
        return self.status == self.Status.APPROVED


class MinutesComment(models.Model):
    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    country = models.ForeignKey(
        "membership.Country", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    text = models.TextField(_("comment"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["minutes", "created_at", "pk"]
        verbose_name = _("comment on minutes")
        verbose_name_plural = _("comments on minutes")

    def __str__(self):
        return self.text[:60]


class Agreement(RecordedInMinutes):
    """Acuerdo: numbered per meeting (R12-2019-03). Its status changes only
    through follow-up entries, so its status on any past date is known."""

    # Follow-up goes on after the minutes are approved.
    MUTABLE_WHEN_FROZEN = ("status", "closed_on")

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        IN_PROGRESS = "in_progress", _("In progress")
        FULFILLED = "fulfilled", _("Fulfilled")
        CANCELLED = "cancelled", _("Cancelled")

    class ResponsibleKind(models.TextChoices):
        COUNTRY = "country", _("Member country")
        ORGAN = "organ", _("Organ of the Coalition")
        COMMITTEE = "committee", _("Working committee")

    OPEN = (Status.PENDING, Status.IN_PROGRESS)

    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="agreements")
    sequence = models.PositiveSmallIntegerField(_("sequence"))
    code = models.CharField(_("number"), max_length=30, unique=True)
    decision = models.ForeignKey(
        Decision,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="agreements",
        verbose_name=_("decision"),
    )
    text = models.TextField(_("text"))
    responsible_kind = models.CharField(
        _("responsible"), max_length=20, choices=ResponsibleKind.choices
    )
    country = models.ForeignKey(
        "membership.Country",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meeting_agreements",
        verbose_name=_("country"),
    )
    organ = models.ForeignKey(
        "membership.Organ",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agreements",
        verbose_name=_("organ"),
    )
    committee = models.ForeignKey(
        "plans.WorkingCommittee",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agreements",
        verbose_name=_("working committee"),
    )
    due = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    closed_on = models.DateField(_("fulfilled or cancelled on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        ordering = ["event__start", "sequence"]
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        constraints = [
            models.UniqueConstraint(fields=["event", "sequence"], name="agreement_sequence_unique"),
            models.CheckConstraint(
                condition=(
                    Q(
                        responsible_kind="country",
                        country__isnull=False,
                        organ__isnull=True,
                        committee__isnull=True,
                    )
                    | Q(
                        responsible_kind="organ",
                        country__isnull=True,
                        organ__isnull=False,
                        committee__isnull=True,
                    )
                    | Q(
                        responsible_kind="committee",
                        country__isnull=True,
                        organ__isnull=True,
                        committee__isnull=False,
                    )
                ),
                name="agreement_has_one_responsible",
            ),
        ]

    def __str__(self):
        return self.code

    def get_absolute_url(self):
        return reverse("meetings:agreement", args=[self.pk])

    def is_visible_to(self, user) -> bool:
        """For lists of records outside this app (an indicator's drill-down)."""
        return user.has_perm("meetings.view_agreement", self)

    @property
    def responsible(self):
        return self.country or self.organ or self.committee

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        """Overdue is derived, never stored: open and past its due date."""
        today = today or timezone.localdate()
        return self.is_open and self.due is not None and self.due < today


class FollowUp(models.Model):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="follow_ups")
    date = models.DateField(_("date"))
    text = models.TextField(_("text"))
    status = models.CharField(
        _("new status"),
        max_length=20,
        choices=Agreement.Status.choices,
        blank=True,
        help_text=_("Leave empty if the status does not change."),
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["agreement", "date", "pk"]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-up entries")

    def __str__(self):
        return f"{self.agreement} — {self.date}"


class Attachment(StoredFile):
    """A file attached to an agenda item, a country report or a follow-up
    entry (its evidence). Checked by content like monitoring evidence, stored
    outside the web root, served by a permission-checked view."""

    agenda_item = models.ForeignKey(
        AgendaItem, on_delete=models.CASCADE, null=True, blank=True, related_name="attachments"
    )
    country_report = models.ForeignKey(
        CountryReport, on_delete=models.CASCADE, null=True, blank=True, related_name="attachments"
    )
    follow_up = models.ForeignKey(
        FollowUp, on_delete=models.CASCADE, null=True, blank=True, related_name="attachments"
    )
    file = models.FileField(_("file"), upload_to="meetings/%Y/%m/")

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    agenda_item__isnull=False, country_report__isnull=True, follow_up__isnull=True
                )
                | Q(agenda_item__isnull=True, country_report__isnull=False, follow_up__isnull=True)
                | Q(agenda_item__isnull=True, country_report__isnull=True, follow_up__isnull=False),
                name="attachment_belongs_to_one_item",
            )
        ]

    @property
    def event(self) -> Event:
        if self.agenda_item_id:
            return self.agenda_item.event
        if self.country_report_id:
            return self.country_report.event
        return self.follow_up.agreement.event


class NotificationSettings(models.Model):
    """Which optional e-mails a user receives. Convocations always go."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_settings"
    )
    agenda_approved = models.BooleanField(_("agenda approved"), default=True)
    minutes_circulated = models.BooleanField(_("minutes circulated for comment"), default=True)
    agreement_due = models.BooleanField(_("agreement due in 14 days"), default=True)
    agreement_overdue = models.BooleanField(_("agreement overdue"), default=True)

    class Meta:
        verbose_name = _("notification settings")
        verbose_name_plural = _("notification settings")

    def __str__(self):
        return str(self.user)


class Notification(models.Model):
    """The outbox: one row per e-mail to one user. Actions add rows; the
    daily command `send_notifications` sends what is unsent and adds the
    reminders of agreements due and overdue. `key` makes each notice unique,
    so a reminder is never sent twice."""

    class Kind(models.TextChoices):
        CONVOCATION = "convocation", _("Convocation")
        AGENDA_APPROVED = "agenda_approved", _("Agenda approved")
        MINUTES_CIRCULATED = "minutes_circulated", _("Minutes circulated for comment")
        AGREEMENT_DUE = "agreement_due", _("Agreement due in 14 days")
        AGREEMENT_OVERDUE = "agreement_overdue", _("Agreement overdue")

    OPTIONAL = (
        Kind.AGENDA_APPROVED,
        Kind.MINUTES_CIRCULATED,
        Kind.AGREEMENT_DUE,
        Kind.AGREEMENT_OVERDUE,
    )

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=30, choices=Kind.choices)
    key = models.CharField(max_length=100)
    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    minutes = models.ForeignKey(
        Minutes, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # Taken by one sender (a request's on-commit hook or the daily command)
    # so that two never send the same row; a claim older than an hour is
    # taken as abandoned.
    claimed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "kind", "key"], name="notification_once")
        ]

    def __str__(self):
        return f"{self.kind} → {self.user}"


class CalendarFeed(models.Model):
    """A private .ics feed address: the token is shown once and stored hashed;
    revoking it makes the address stop working."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.user} ({self.created_at:%Y-%m-%d})"


@receiver(m2m_changed, sender=Event.activities.through)
@receiver(m2m_changed, sender=Event.carried_agreements.through)
def _frozen_event_links(sender, instance, action, **kwargs):
    """The activities a meeting carried out and the agreements its agenda
    carried over are part of its record too."""
    changing = action in ("pre_add", "pre_remove", "pre_clear") and isinstance(instance, Event)
    if changing and instance.pk is not None and records_frozen([instance.pk]):
        raise FrozenError("The minutes of this meeting are approved: its records are frozen.")
