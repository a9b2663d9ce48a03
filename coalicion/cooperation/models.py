"""Cooperation (SPEC §7, plan sections IV, VII and X): the registry of
regional and national instruments with the history of their stages, good
practices and their replications, the map of actors with alliances and
joint actions, and resource mobilisation.

Every record that belongs to a member country has `country`; a record
without a country is regional, the Secretariat's (`rules.py`).
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from coalicion.core.uploads import StoredFile
from coalicion.meetings.models import Event
from coalicion.membership.models import Country
from coalicion.plans.models import Activity, Axis, MilestoneStage


class Scope(models.TextChoices):
    REGIONAL = "regional", _("Regional")
    NATIONAL = "national", _("National")


def _country_of_record(related_name: str, help_text, verbose_name=None) -> models.ForeignKey:
    """The member country a record belongs to; empty for a regional record
    (the Coalition's own, kept by the Secretariat: `rules.py`)."""
    return models.ForeignKey(
        Country,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name=related_name,
        verbose_name=verbose_name or _("member country"),
        help_text=help_text,
    )


class KeptRecord(models.Model):
    """A record kept as typed through its form, which two people may open at
    once: the form carries `version` and the action refuses a stale edit
    (`coalicion.core.actions.check_version`); every change is kept."""

    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords(inherit=True)

    class Meta:
        abstract = True


class InstrumentType(models.Model):
    """A kind of instrument the Coalition follows (a regional prevention
    strategy, national repatriation protocols…). `indicator_code` names the
    plan indicator that counts the instruments of this type, if any."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name (Spanish)"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    scope = models.CharField(_("scope"), max_length=20, choices=Scope.choices)
    indicator_code = models.CharField(
        _("indicator"),
        max_length=20,
        blank=True,
        help_text=_("The code of the plan indicator that counts these instruments (e.g. 2.1)."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("instrument type")
        verbose_name_plural = _("instrument types")

    def __str__(self):
        return self.name


class Instrument(models.Model):
    """A regional or national instrument (strategy, protocol, procedure).
    Its stage changes only through `StageChange` entries (`actions.change_stage`),
    so its stage on any past date is known; `stage` and `stage_since` repeat
    the latest entry for lists."""

    type = models.ForeignKey(
        InstrumentType, on_delete=models.PROTECT, related_name="instruments", verbose_name=_("type")
    )
    country = _country_of_record(
        "cooperation_instruments", _("Empty for a regional instrument."), _("country")
    )
    title = models.CharField(_("title (Spanish)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    stage = models.ForeignKey(
        MilestoneStage, on_delete=models.PROTECT, related_name="+", verbose_name=_("stage")
    )
    stage_since = models.DateField(_("stage since"))
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords(excluded_fields=["stage", "stage_since"])

    class Meta:
        ordering = ["type__order", "country__name", "title"]
        verbose_name = _("instrument")
        verbose_name_plural = _("instruments")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("cooperation:instrument", args=[self.pk])

    @property
    def is_regional(self) -> bool:
        return self.country_id is None

    def is_visible_to(self, user) -> bool:
        """For lists of records outside this app (an indicator's drill-down)."""
        return user.has_perm("cooperation.view_instrument", self)


class StageChange(models.Model):
    """One step of an instrument's stage history: append-only. A step back
    needs a reason; `day` is when the change took effect (the approving
    act's date), `recorded_at` when it was entered."""

    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="changes")
    stage = models.ForeignKey(
        MilestoneStage, on_delete=models.PROTECT, related_name="+", verbose_name=_("stage")
    )
    previous_stage = models.ForeignKey(
        MilestoneStage,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("previous stage"),
    )
    day = models.DateField(_("date of the change"))
    reason = models.TextField(_("reason"), blank=True)
    act = models.CharField(
        _("approving act or document"),
        max_length=300,
        blank=True,
        help_text=_("The decree, resolution or agreement that made the change, if any."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["day", "pk"]
        verbose_name = _("stage change")
        verbose_name_plural = _("stage changes")

    def __str__(self):
        return f"{self.instrument} · {self.stage} ({self.day})"

    @property
    def is_step_back(self) -> bool:
        return self.previous_stage is not None and self.stage.order < self.previous_stage.order


class StageEvidence(StoredFile):
    """A document or approving act attached to a stage change."""

    change = models.ForeignKey(StageChange, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(_("file"), upload_to="cooperation/instruments/%Y/")

    class Meta:
        ordering = ["uploaded_at"]
        verbose_name = _("evidence of a stage change")
        verbose_name_plural = _("evidence of stage changes")


class Area(models.TextChoices):
    INVESTIGATION = "investigation", _("Investigation")
    PROSECUTION = "prosecution", _("Prosecution")
    SANCTION = "sanction", _("Sanction")
    CARE = "care", _("Care of victims")
    PREVENTION = "prevention", _("Prevention")
    COORDINATION = "coordination", _("Coordination")
    OTHER = "other", _("Other")


class GoodPractice(KeptRecord):
    """A good practice of a member country, presented to the others."""

    title = models.CharField(_("title (Spanish)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    country = models.ForeignKey(
        Country,
        on_delete=models.PROTECT,
        related_name="cooperation_practices",
        verbose_name=_("country of origin"),
    )
    axis = models.ForeignKey(
        Axis,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("strategic axis"),
    )
    area = models.CharField(_("area"), max_length=20, choices=Area.choices)
    description = models.TextField(_("description"))
    evidence_note = models.CharField(_("evidence"), max_length=300, blank=True)
    registered_on = models.DateField(_("registered on"))
    presented_at = models.ForeignKey(
        Event,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("presented at"),
        help_text=_("The regional encounter where it was exchanged (POA 3.1.1)."),
    )

    class Meta:
        ordering = ["-registered_on", "title"]
        verbose_name = _("good practice")
        verbose_name_plural = _("good practices")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("cooperation:practice", args=[self.pk])


class Replication(models.Model):
    """A member country adopted a good practice of another."""

    practice = models.ForeignKey(
        GoodPractice, on_delete=models.CASCADE, related_name="replications"
    )
    country = models.ForeignKey(
        Country,
        on_delete=models.PROTECT,
        related_name="cooperation_replications",
        verbose_name=_("adopting country"),
    )
    day = models.DateField(_("adopted on"))
    description = models.TextField(_("how it was adopted"), blank=True)
    evidence_note = models.CharField(_("evidence"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["day", "pk"]
        verbose_name = _("replication")
        verbose_name_plural = _("replications")
        constraints = [
            models.UniqueConstraint(
                fields=["practice", "country"], name="cooperation_replication_once_per_country"
            )
        ]

    def __str__(self):
        return f"{self.practice} → {self.country}"

    def get_absolute_url(self):
        return self.practice.get_absolute_url()


class RecordEvidence(StoredFile):
    """A file attached to a good practice, a replication or a joint action
    (exactly one of them): seen by whoever may see the record."""

    practice = models.ForeignKey(
        GoodPractice,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="evidence_files",
    )
    replication = models.ForeignKey(
        Replication,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="evidence_files",
    )
    joint_action = models.ForeignKey(
        "JointAction",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="evidence_files",
    )
    file = models.FileField(_("file"), upload_to="cooperation/records/%Y/")

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(practice__isnull=False, replication__isnull=True, joint_action__isnull=True)
                    | Q(practice__isnull=True, replication__isnull=False, joint_action__isnull=True)
                    | Q(practice__isnull=True, replication__isnull=True, joint_action__isnull=False)
                ),
                name="cooperation_recordevidence_one_record",
            )
        ]

    @property
    def record(self):
        """The practice, replication or joint action the file belongs to."""
        return self.practice or self.replication or self.joint_action


class Actor(KeptRecord):
    """POA 4.1.1 "mapeo de actores": a body the Coalition works with."""

    class Level(models.TextChoices):
        NATIONAL = "national", _("National")
        REGIONAL = "regional", _("Regional")
        EXTRA_REGIONAL = "extra_regional", _("Extra-regional")

    class Kind(models.TextChoices):
        GOVERNMENT = "government", _("Government body")
        REGIONAL_SPACE = "regional_space", _("Regional space")
        INTERNATIONAL = "international", _("International organisation")
        NGO = "ngo", _("Non-governmental organisation")
        DONOR = "donor", _("Donor")
        ACADEMIA = "academia", _("Academia")
        PRIVATE = "private", _("Private sector")

    name = models.CharField(_("name"), max_length=300)
    acronym = models.CharField(_("acronym"), max_length=30, blank=True)
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    country = _country_of_record(
        "cooperation_actors",
        _("For a national actor: the member country it belongs to."),
        _("country"),
    )
    topics = models.CharField(_("topics"), max_length=300, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact telephone"), max_length=50, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("actor")
        verbose_name_plural = _("actors")

    def __str__(self):
        return f"{self.name} ({self.acronym})" if self.acronym else self.name

    def get_absolute_url(self):
        return reverse("cooperation:actor", args=[self.pk])


class Alliance(KeptRecord):
    """An alliance of the Coalition (or of a member country) with an actor."""

    class Kind(models.TextChoices):
        MOU = "mou", _("Memorandum of understanding")
        AGREEMENT = "agreement", _("Cooperation agreement")
        LETTER = "letter", _("Letter of intent")
        INFORMAL = "informal", _("Informal alliance")

    class Status(models.TextChoices):
        NEGOTIATION = "negotiation", _("In negotiation")
        ACTIVE = "active", _("In force")
        ENDED = "ended", _("Ended")

    actor = models.ForeignKey(
        Actor, on_delete=models.PROTECT, related_name="alliances", verbose_name=_("actor")
    )
    country = _country_of_record(
        "cooperation_alliances", _("Empty for an alliance of the Coalition itself.")
    )
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    instrument = models.CharField(_("instrument"), max_length=300, blank=True)
    start = models.DateField(
        _("start"), null=True, blank=True, help_text=_("Empty while in negotiation.")
    )
    end = models.DateField(_("end"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)

    class Meta:
        ordering = ["-start", "pk"]
        verbose_name = _("alliance")
        verbose_name_plural = _("alliances")
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(start__isnull=False, end__gte=models.F("start")),
                name="cooperation_alliance_ends_after_start",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.actor}"

    def get_absolute_url(self):
        return reverse("cooperation:actor", args=[self.actor_id])

    def formed_by(self, day: datetime.date) -> bool:
        return self.start is not None and self.start <= day

    def in_force_on(self, day: datetime.date) -> bool:
        return self.formed_by(day) and (self.end is None or self.end >= day)


class JointAction(models.Model):
    """An action carried out together with one or more actors."""

    title = models.CharField(_("title"), max_length=300)
    day = models.DateField(_("date"))
    description = models.TextField(_("description"), blank=True)
    country = _country_of_record(
        "cooperation_joint_actions", _("Empty for an action of the Coalition itself.")
    )
    actors = models.ManyToManyField(Actor, related_name="joint_actions", verbose_name=_("actors"))
    alliance = models.ForeignKey(
        Alliance,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="joint_actions",
        verbose_name=_("under the alliance"),
    )
    event = models.ForeignKey(
        Event,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("linked event"),
    )
    evidence_note = models.CharField(_("evidence"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-day", "pk"]
        verbose_name = _("joint action")
        verbose_name_plural = _("joint actions")

    def __str__(self):
        return f"{self.title} ({self.day})"

    def get_absolute_url(self):
        return reverse("cooperation:actors") + f"#joint-action-{self.pk}"


class ResourceRequest(KeptRecord):
    """POA 4.1.3: a request for cooperation or funds, and what was obtained."""

    class Status(models.TextChoices):
        PREPARED = "prepared", _("In preparation")
        SUBMITTED = "submitted", pgettext_lazy("status of a resource request", "Submitted")
        OBTAINED = "obtained", _("Obtained")
        REFUSED = "refused", _("Refused")

    donor = models.ForeignKey(
        Actor, on_delete=models.PROTECT, related_name="resource_requests", verbose_name=_("donor")
    )
    country = _country_of_record(
        "cooperation_resource_requests", _("Empty for a request of the Coalition itself.")
    )
    purpose = models.CharField(_("purpose"), max_length=300)
    requested_on = models.DateField(_("requested on"))
    currency = models.CharField(_("currency"), max_length=3, default="USD")
    amount_requested = models.DecimalField(
        _("amount requested"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    amount_obtained = models.DecimalField(
        _("amount obtained"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    obtained_on = models.DateField(_("obtained on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    activities = models.ManyToManyField(
        Activity, blank=True, related_name="+", verbose_name=_("POA activities")
    )
    instruments = models.ManyToManyField(
        Instrument, blank=True, related_name="resource_requests", verbose_name=_("instruments")
    )

    class Meta:
        ordering = ["-requested_on", "pk"]
        verbose_name = _("resource request")
        verbose_name_plural = _("resource requests")

    def __str__(self):
        return f"{self.purpose} · {self.donor}"

    def get_absolute_url(self):
        return reverse("cooperation:resource_edit", args=[self.pk])
