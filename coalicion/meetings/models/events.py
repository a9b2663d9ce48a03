"""Events and meetings of the Coalition and their agenda."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.signals import m2m_changed
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from coalicion.core.i18n import localized
from coalicion.meetings.counting import QuorumRule
from coalicion.meetings.models.records import FrozenError, RecordedInMinutes, records_frozen


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
    # Counts the saves that changed the attendance register (its lines of
    # member countries and observers): the stale-edit check of its form.
    register_version = models.PositiveIntegerField(default=0)
    history = HistoricalRecords(excluded_fields=["version", "register_version"])

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

    def rule_errors(self) -> dict[str, str]:
        """The event's own rules (its dates, number and place), by field:
        checked by the action that saves it, and by its form beside the
        form's own rules so that a failed submit shows every problem at once.
        A rule whose values are missing is left to the required fields."""
        errors = {}
        if self.start and self.end and self.end < self.start:
            errors["end"] = gettext("The event cannot end before it starts.")
        if self.kind and self.is_meeting and not self.number:
            errors["number"] = gettext("An ordinary or extraordinary meeting needs its number.")
        if self.kind and not self.is_meeting and self.number:
            errors["number"] = gettext("Only ordinary and extraordinary meetings are numbered.")
        if self.is_virtual and not self.virtual_url and not self.city:
            errors["virtual_url"] = gettext("Give the address of the virtual room.")
        if not self.is_virtual and not (self.country_id or self.city):
            errors["country"] = gettext("Give the country and city, or mark the event as virtual.")
        return errors

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
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords(excluded_fields=["version"])

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


@receiver(m2m_changed, sender=Event.activities.through)
@receiver(m2m_changed, sender=Event.carried_agreements.through)
def _frozen_event_links(sender, instance, action, **kwargs):
    """The activities a meeting carried out and the agreements its agenda
    carried over are part of its record too."""
    changing = action in ("pre_add", "pre_remove", "pre_clear") and isinstance(instance, Event)
    if changing and instance.pk is not None and records_frozen([instance.pk]):
        raise FrozenError("The minutes of this meeting are approved: its records are frozen.")
