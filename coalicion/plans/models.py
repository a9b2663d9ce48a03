"""The results framework and the annual operating plans (SPEC §1, §2; plan
sections VI, VII and X). Content is loaded from a data file by ``load_plan``;
Spanish is canonical, ``*_en`` fields hold the English translation."""

import re
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from coalicion.membership.models import Country
from coalicion.plans.parties import ResponsibleParty, party_constraint

WEIGHT_VALIDATORS = [MinValueValidator(Decimal("0"))]


class Plan(models.Model):
    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name (Spanish)"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    organisation = models.CharField(_("organisation (Spanish)"), max_length=300)
    organisation_en = models.CharField(_("organisation (English)"), max_length=300, blank=True)
    period_start = models.PositiveSmallIntegerField(_("first year"))
    period_end = models.PositiveSmallIntegerField(_("last year"))
    introduction = models.TextField(_("introduction (Spanish)"), blank=True)
    introduction_en = models.TextField(_("introduction (English)"), blank=True)
    background = models.TextField(_("background (Spanish)"), blank=True)
    background_en = models.TextField(_("background (English)"), blank=True)
    target_population = models.TextField(_("target population (Spanish)"), blank=True)
    target_population_en = models.TextField(_("target population (English)"), blank=True)
    general_objective = models.TextField(_("general objective (Spanish)"))
    general_objective_en = models.TextField(_("general objective (English)"), blank=True)
    vision = models.TextField(_("vision (Spanish)"))
    vision_en = models.TextField(_("vision (English)"), blank=True)
    mission = models.TextField(_("mission (Spanish)"))
    mission_en = models.TextField(_("mission (English)"), blank=True)
    source = models.CharField(_("source document"), max_length=500, blank=True)
    data_notes = models.JSONField(
        _("notes on the data"),
        default=list,
        blank=True,
        help_text=_("Repairs and inconsistencies found while extracting the plan."),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-period_start"]
        verbose_name = _("strategic plan")
        verbose_name_plural = _("strategic plans")
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="plan_period_ordered",
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("plans:plan", args=[self.code])


class PlanStatement(models.Model):
    """A value, principle or approach (enfoque) of the plan."""

    class Kind(models.TextChoices):
        VALUE = "value", _("Value")
        PRINCIPLE = "principle", _("Principle")
        APPROACH = "approach", _("Approach")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="statements")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    code = models.SlugField(_("code"), max_length=50)
    order = models.PositiveSmallIntegerField(_("order"))
    name = models.CharField(_("name (Spanish)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    text = models.TextField(_("text (Spanish)"))
    text_en = models.TextField(_("text (English)"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "kind", "order"]
        verbose_name = _("value, principle or approach")
        verbose_name_plural = _("values, principles and approaches")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "kind", "code"], name="plan_statement_code_unique"
            )
        ]

    def __str__(self):
        return self.name


class MilestoneStage(models.Model):
    """The stage scale of milestone indicators: plan data, not code."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="milestone_stages")
    code = models.SlugField(_("code"), max_length=50)
    order = models.PositiveSmallIntegerField(_("order"))
    name = models.CharField(_("name (Spanish)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    percent = models.DecimalField(
        _("achievement (%)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "order"]
        verbose_name = _("milestone stage")
        verbose_name_plural = _("milestone stages")
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="milestone_stage_code_unique")
        ]

    def __str__(self):
        return f"{self.name} ({self.percent:g} %)"


class Axis(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="axes")
    code = models.CharField(_("code"), max_length=20)
    order = models.PositiveSmallIntegerField(_("order"))
    name = models.CharField(_("name (Spanish)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    title = models.CharField(_("title (Spanish)"), max_length=300, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    description = models.TextField(_("description (Spanish)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "order"]
        verbose_name = _("strategic axis")
        verbose_name_plural = _("strategic axes")
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="axis_code_unique")]

    def __str__(self):
        return f"{self.code}. {self.name}"

    def get_absolute_url(self):
        return reverse("plans:axis", args=[self.plan.code, self.code])


class StrategicObjective(models.Model):
    axis = models.ForeignKey(Axis, on_delete=models.CASCADE, related_name="objectives")
    code = models.CharField(_("code"), max_length=20)
    label = models.CharField(_("label in the document"), max_length=100, blank=True)
    order = models.PositiveSmallIntegerField(_("order"))
    statement = models.TextField(_("statement (Spanish)"))
    statement_en = models.TextField(_("statement (English)"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["axis__order", "order"]
        verbose_name = _("strategic objective")
        verbose_name_plural = _("strategic objectives")
        constraints = [
            models.UniqueConstraint(fields=["axis", "code"], name="strategic_objective_code_unique")
        ]

    def __str__(self):
        return f"{self.code}. {self.statement[:80]}"


# A label as the plan document prints it: its words, then the number
# ("Resultado 2.1", "Resultados 3.2.1", "Resultado A1.1").
LABEL = re.compile(r"^(?P<words>.*?)\s+(?P<number>\S*\d\S*)$")


def label_in_language(label: str, template: str) -> str:
    """The document's label on a page in the active language: as printed in
    Spanish; in another language, its words in that language (`template`,
    translated, takes the number: "Result %(number)s") and its number as
    printed, which is not always the code. A label without a number stays."""
    match = LABEL.match(label or "")
    if match is None or (translation.get_language() or "es").startswith("es"):
        return label
    return template % {"number": match.group("number")}


class Result(models.Model):
    objective = models.ForeignKey(
        StrategicObjective, on_delete=models.CASCADE, related_name="results"
    )
    code = models.CharField(_("code"), max_length=20)
    label = models.CharField(_("label in the document"), max_length=100, blank=True)
    order = models.PositiveSmallIntegerField(_("order"))
    statement = models.TextField(_("statement (Spanish)"))
    statement_en = models.TextField(_("statement (English)"), blank=True)
    target_year = models.PositiveSmallIntegerField(_("target year"))
    note = models.TextField(_("note on the data (Spanish)"), blank=True)
    note_en = models.TextField(_("note on the data (English)"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["objective__axis__order", "objective__order", "order"]
        verbose_name = _("result")
        verbose_name_plural = _("results")
        constraints = [
            models.UniqueConstraint(fields=["objective", "code"], name="result_code_unique")
        ]

    def __str__(self):
        return f"{self.label or self.code}. {self.statement[:80]}"

    @property
    def shown_label(self) -> str:
        """The document's label ("Resultado 2.1") in the page's language
        ("Result 2.1" on English pages); empty without one."""
        return label_in_language(self.label, gettext("Result %(number)s"))


class Indicator(models.Model):
    class Kind(models.TextChoices):
        COUNT = "count", _("Count")
        PERCENTAGE = "percentage", _("Percentage")
        MILESTONE = "milestone", _("Milestone (stages)")

    class Direction(models.TextChoices):
        INCREASE = "increase", _("Increase")
        DECREASE = "decrease", _("Decrease")

    class Source(models.TextChoices):
        MANUAL = "manual", _("Entered by hand with evidence")
        COMPUTED = "computed", _("Computed from records of this system")

    result = models.ForeignKey(Result, on_delete=models.CASCADE, related_name="indicators")
    code = models.CharField(_("code"), max_length=20)
    label = models.CharField(_("label in the document"), max_length=20, blank=True)
    order = models.PositiveSmallIntegerField(_("order"))
    statement = models.TextField(_("statement (Spanish)"))
    statement_en = models.TextField(_("statement (English)"), blank=True)
    unit = models.CharField(_("unit (Spanish)"), max_length=100, blank=True)
    unit_en = models.CharField(_("unit (English)"), max_length=100, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    direction = models.CharField(
        _("direction"), max_length=20, choices=Direction.choices, default=Direction.INCREASE
    )
    baseline_value = models.DecimalField(
        _("baseline value"), max_digits=14, decimal_places=4, null=True, blank=True
    )
    baseline_year = models.PositiveSmallIntegerField(_("baseline year"), null=True, blank=True)
    target_value = models.DecimalField(
        _("target value"), max_digits=14, decimal_places=4, null=True, blank=True
    )
    target_year = models.PositiveSmallIntegerField(_("target year"), null=True, blank=True)
    means_of_verification = models.TextField(_("means of verification (Spanish)"), blank=True)
    means_of_verification_en = models.TextField(_("means of verification (English)"), blank=True)
    disaggregated_by_country = models.BooleanField(_("disaggregated by country"), default=False)
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    computation = models.CharField(
        _("computation"),
        max_length=100,
        blank=True,
        help_text=_("Name of the registered computation, for computed indicators."),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = [
            "result__objective__axis__order",
            "result__objective__order",
            "result__order",
            "order",
        ]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.UniqueConstraint(fields=["result", "code"], name="indicator_code_unique"),
            models.CheckConstraint(
                condition=~Q(source="computed") | ~Q(computation=""),
                name="indicator_computed_has_computation",
            ),
        ]

    def __str__(self):
        return f"{self.code}. {self.statement[:80]}"

    def clean(self):
        if self.source == self.Source.COMPUTED and not self.computation:
            raise ValidationError({"computation": _("A computed indicator needs a computation.")})


class WorkingCommittee(models.Model):
    """Comités de trabajo: first-class members of the plan's execution."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="committees")
    code = models.SlugField(_("code"), max_length=50)
    name = models.CharField(_("name (Spanish)"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    mandate = models.TextField(_("mandate (Spanish)"), blank=True)
    mandate_en = models.TextField(_("mandate (English)"), blank=True)
    countries = models.ManyToManyField(
        Country, related_name="committees", blank=True, verbose_name=_("member countries")
    )
    members = models.ManyToManyField(
        "membership.Person", related_name="committees", blank=True, verbose_name=_("members")
    )
    history = HistoricalRecords(m2m_fields=[countries, members])

    class Meta:
        ordering = ["plan", "name"]
        verbose_name = _("working committee")
        verbose_name_plural = _("working committees")
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="committee_code_unique")
        ]

    def __str__(self):
        return self.name


class OperatingPlan(models.Model):
    """Plan Operativo Anual (POA)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="operating_plans")
    year = models.PositiveSmallIntegerField(_("year"))
    name = models.CharField(_("name (Spanish)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    presentation = models.TextField(_("presentation (Spanish)"), blank=True)
    presentation_en = models.TextField(_("presentation (English)"), blank=True)
    responsible_parties_text = models.TextField(_("responsible parties (Spanish)"), blank=True)
    responsible_parties_text_en = models.TextField(_("responsible parties (English)"), blank=True)
    weight = models.DecimalField(
        _("weight"), max_digits=8, decimal_places=3, default=1, validators=WEIGHT_VALIDATORS
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "year"]
        verbose_name = _("annual operating plan")
        verbose_name_plural = _("annual operating plans")
        constraints = [models.UniqueConstraint(fields=["plan", "year"], name="poa_year_unique")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("plans:poa", args=[self.plan.code, self.year])


class OperationalObjective(models.Model):
    operating_plan = models.ForeignKey(
        OperatingPlan, on_delete=models.CASCADE, related_name="objectives"
    )
    strategic_objective = models.ForeignKey(
        StrategicObjective, on_delete=models.PROTECT, related_name="operational_objectives"
    )
    code = models.CharField(_("code"), max_length=20)
    order = models.PositiveSmallIntegerField(_("order"))
    statement = models.TextField(_("statement (Spanish)"))
    statement_en = models.TextField(_("statement (English)"), blank=True)
    weight = models.DecimalField(
        _("weight"), max_digits=8, decimal_places=3, default=1, validators=WEIGHT_VALIDATORS
    )
    cancelled = models.BooleanField(_("cancelled"), default=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["operating_plan", "order"]
        verbose_name = _("operational objective")
        verbose_name_plural = _("operational objectives")
        constraints = [
            models.UniqueConstraint(
                fields=["operating_plan", "code"], name="operational_objective_code_unique"
            )
        ]

    def __str__(self):
        return f"{self.code}. {self.statement[:80]}"


class Activity(models.Model):
    objective = models.ForeignKey(
        OperationalObjective, on_delete=models.CASCADE, related_name="activities"
    )
    code = models.CharField(_("code"), max_length=30)
    order = models.PositiveSmallIntegerField(_("order"))
    statement = models.TextField(_("statement (Spanish)"))
    statement_en = models.TextField(_("statement (English)"), blank=True)
    weight = models.DecimalField(
        _("weight"), max_digits=8, decimal_places=3, default=1, validators=WEIGHT_VALIDATORS
    )
    start = models.DateField(_("start"), null=True, blank=True)
    end = models.DateField(_("end"), null=True, blank=True)
    cancelled = models.BooleanField(pgettext_lazy("an activity", "cancelled"), default=False)
    note = models.TextField(_("note on the data (Spanish)"), blank=True)
    note_en = models.TextField(_("note on the data (English)"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["objective__order", "order"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        constraints = [
            models.UniqueConstraint(fields=["objective", "code"], name="activity_code_unique"),
            models.CheckConstraint(
                condition=Q(end__isnull=True)
                | Q(start__isnull=True)
                | Q(end__gte=models.F("start")),
                name="activity_end_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.code}. {self.statement[:80]}"

    def clean(self):
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": _("The end cannot be before the start.")})


class Goal(models.Model):
    """A goal (meta) or POA indicator of an operational objective or activity."""

    class Kind(models.TextChoices):
        GOAL = "goal", _("Goal")
        INDICATOR = "indicator", _("Indicator")

    objective = models.ForeignKey(
        OperationalObjective,
        on_delete=models.CASCADE,
        related_name="goals",
        null=True,
        blank=True,
    )
    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="goals", null=True, blank=True
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.GOAL)
    order = models.PositiveSmallIntegerField(_("order"))
    text = models.TextField(_("text (Spanish)"))
    text_en = models.TextField(_("text (English)"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "order"]
        verbose_name = _("goal or POA indicator")
        verbose_name_plural = _("goals and POA indicators")
        constraints = [
            models.CheckConstraint(
                condition=Q(objective__isnull=True, activity__isnull=False)
                | Q(objective__isnull=False, activity__isnull=True),
                name="goal_belongs_to_one_item",
            )
        ]

    def __str__(self):
        return self.text[:80]


class Responsible(ResponsibleParty):
    """A responsible party of an activity, as the POA states it
    (`coalicion.plans.parties`)."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="responsibles")
    history = HistoricalRecords()

    class Meta:
        ordering = ["activity", "id"]
        verbose_name = _("responsible party")
        verbose_name_plural = _("responsible parties")
        constraints = [party_constraint(name="responsible_reference_matches_kind")]
