"""Decisions of a meeting, objections and dissents, tallies and votes."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from coalicion.meetings.models.events import AgendaItem, Event
from coalicion.meetings.models.records import RecordedInMinutes


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
