"""Member countries, their national bodies, the Coalition's organs and terms,
people and their representations (SPEC §5, plan sections III and VIII)."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


def in_force(day: datetime.date) -> Q:
    """Records with a start and an optional end that cover `day`."""
    return Q(start__lte=day) & (Q(end__isnull=True) | Q(end__gte=day))


class InForceQuerySet(models.QuerySet):
    """Representations, terms of office and observer memberships: dated records."""

    def in_force(self, day: datetime.date):
        return self.filter(in_force(day))


class CountryQuerySet(models.QuerySet):
    def members(self, *, on: datetime.date):
        """The member countries on `on`: the one definition every page, the
        quorum and the roll-up use (see `Country.is_member_on`)."""
        joined = Q(member_since__isnull=True) | Q(member_since__lte=on)
        not_left = Q(member_until__isnull=True) | Q(member_until__gte=on)
        was_member = Q(is_member=True) | Q(member_until__isnull=False)
        return self.filter(was_member & joined & not_left)


class Country(models.Model):
    code = models.CharField(
        _("ISO 3166-1 code"),
        max_length=2,
        unique=True,
        help_text=_("Two capital letters, e.g. CR for Costa Rica."),
    )
    name = models.CharField(_("name (Spanish)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    is_member = models.BooleanField(_("member country"), default=True)
    member_since = models.DateField(_("member since"), null=True, blank=True)
    language = models.CharField(
        _("language of its e-mails"),
        max_length=8,
        blank=True,
        choices=settings.LANGUAGES,
        help_text=_("The language its people read the e-mails in; empty: the site's."),
    )
    member_until = models.DateField(
        _("member until"),
        null=True,
        blank=True,
        help_text=_(
            "The last day as a member, for a country that left the Coalition: it still counts "
            "for the meetings held before."
        ),
    )
    history = HistoricalRecords()

    objects = CountryQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("country")
        verbose_name_plural = _("countries")
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=r"^[A-Z]{2}$"), name="country_code_iso_alpha2"
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("membership:country", args=[self.code])

    def clean(self):
        if self.member_until and self.is_member:
            raise ValidationError(
                {
                    "member_until": _(
                        "A country with a last day as a member is no longer a member: untick "
                        "“member country”, or clear this date."
                    )
                }
            )
        if self.member_until and self.member_since and self.member_until < self.member_since:
            raise ValidationError(
                {"member_until": _("The last day as a member cannot precede the first.")}
            )

    def is_member_on(self, day: datetime.date) -> bool:
        """Member on `day`: joined by then and not left before (a country that
        left keeps `member_until`; one never a member has neither)."""
        if not self.is_member and self.member_until is None:
            return False
        joined = self.member_since is None or self.member_since <= day
        return joined and (self.member_until is None or self.member_until >= day)


class Crime(models.TextChoices):
    TRAFFICKING = "tdp", _("Trafficking in persons (TdP)")
    SMUGGLING = "tim", _("Smuggling of migrants (TIM)")


class NationalBody(models.Model):
    class Kind(models.TextChoices):
        COALITION = "coalition", _("National coalition")
        COMMISSION = "commission", _("Commission")
        COUNCIL = "council", _("Council")
        COMMITTEE = "committee", _("Committee")

    country = models.ForeignKey(
        Country, on_delete=models.PROTECT, related_name="national_bodies", verbose_name=_("country")
    )
    acronym = models.CharField(_("acronym"), max_length=30, blank=True)
    name = models.CharField(_("name (Spanish)"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    legal_basis = models.TextField(_("legal basis (Spanish)"), blank=True)
    legal_basis_en = models.TextField(_("legal basis (English)"), blank=True)
    member_institutions = models.PositiveIntegerField(
        _("number of member institutions"), null=True, blank=True
    )
    member_institutions_note = models.TextField(_("note on members (Spanish)"), blank=True)
    member_institutions_note_en = models.TextField(_("note on members (English)"), blank=True)
    covers_trafficking = models.BooleanField(_("covers trafficking in persons"), default=False)
    covers_smuggling = models.BooleanField(_("covers smuggling of migrants"), default=False)
    description = models.TextField(_("description (Spanish)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    described_in_plan = models.BooleanField(
        _("described in the plan"),
        default=True,
        help_text=_("False where the plan only names the body."),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["country__name", "name"]
        verbose_name = _("national body")
        verbose_name_plural = _("national bodies")

    def __str__(self):
        return f"{self.acronym or self.name} ({self.country.code})"

    @property
    def crimes(self) -> list[str]:
        crimes = []
        if self.covers_trafficking:
            crimes.append(Crime.TRAFFICKING.label)
        if self.covers_smuggling:
            crimes.append(Crime.SMUGGLING.label)
        return crimes


class Organ(models.Model):
    """Pleno, Presidencia, Secretaría Técnica (plan section VIII)."""

    class Code(models.TextChoices):
        PLENARY = "plenary", _("Plenary")
        PRESIDENCY = "presidency", _("Presidency")
        SECRETARIAT = "secretariat", _("Technical Secretariat")

    code = models.CharField(_("code"), max_length=20, choices=Code.choices, unique=True)
    name = models.CharField(_("name (Spanish)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    description = models.TextField(_("description (Spanish)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["order"]
        verbose_name = _("organ")
        verbose_name_plural = _("organs")

    def __str__(self):
        return self.name

    @property
    def rotates(self) -> bool:
        """The Presidency and the Secretariat are held by a country for a term."""
        return self.code != self.Code.PLENARY

    def holder_on(self, day: datetime.date):
        term = self.terms.in_force(day).select_related("country").first()
        return term.country if term else None


class OrganFunction(models.Model):
    organ = models.ForeignKey(
        Organ, on_delete=models.CASCADE, related_name="functions", verbose_name=_("organ")
    )
    order = models.PositiveSmallIntegerField(_("order"))
    text = models.TextField(_("text (Spanish)"))
    text_en = models.TextField(_("text (English)"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["organ", "order"]
        verbose_name = _("function")
        verbose_name_plural = _("functions")
        constraints = [
            models.UniqueConstraint(fields=["organ", "order"], name="organ_function_order_unique")
        ]

    def __str__(self):
        return f"{self.organ} {self.order}"


class OrganTerm(models.Model):
    """A country holds the Presidency or the Secretariat from start to end."""

    organ = models.ForeignKey(
        Organ, on_delete=models.PROTECT, related_name="terms", verbose_name=_("organ")
    )
    country = models.ForeignKey(
        Country, on_delete=models.PROTECT, related_name="organ_terms", verbose_name=_("country")
    )
    start = models.DateField(_("start"))
    end = models.DateField(_("end"), null=True, blank=True, help_text=_("Empty: still in office."))
    history = HistoricalRecords()

    objects = InForceQuerySet.as_manager()

    class Meta:
        ordering = ["organ", "-start"]
        verbose_name = _("term of office")
        verbose_name_plural = _("terms of office")
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                name="organ_term_end_after_start",
            )
        ]

    def __str__(self):
        return f"{self.organ}: {self.country} ({self.start}–{self.end or '…'})"

    def clean(self):
        if self.organ_id and self.organ.code == Organ.Code.PLENARY:
            raise ValidationError({"organ": _("The Plenary is not held by one country.")})
        if self.end and self.start and self.end < self.start:
            raise ValidationError({"end": _("The end of a term cannot be before its start.")})
        if self.organ_id and self.start:
            overlapping = OrganTerm.objects.filter(organ=self.organ).exclude(pk=self.pk)
            if self.end:
                overlapping = overlapping.filter(start__lte=self.end)
            overlapping = overlapping.filter(Q(end__isnull=True) | Q(end__gte=self.start))
            if overlapping.exists():
                raise ValidationError(
                    _("%(organ)s already has a holder during part of these dates.")
                    % {"organ": self.organ}
                )


class Person(models.Model):
    """A person in the contact directory. Synthetic in demo data."""

    given_name = models.CharField(_("given name"), max_length=100)
    family_name = models.CharField(_("family name"), max_length=100)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    institution = models.CharField(_("institution"), max_length=200, blank=True)
    position = models.CharField(_("position"), max_length=200, blank=True)
    country = models.ForeignKey(
        Country,
        on_delete=models.PROTECT,
        related_name="people",
        null=True,
        blank=True,
        verbose_name=_("country"),
    )
    language = models.CharField(
        _("language"),
        max_length=8,
        blank=True,
        choices=settings.LANGUAGES,
        help_text=_("The language of the e-mails this person receives; empty: their country's."),
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        related_name="person",
        null=True,
        blank=True,
        verbose_name=_("user account"),
    )
    # What a directory entry's form edits (the form and `actions.save_person`).
    DIRECTORY_FIELDS = (
        "given_name",
        "family_name",
        "email",
        "phone",
        "institution",
        "position",
        "country",
    )
    # Two people may edit a directory entry at once (stale-edit check).
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        ordering = ["family_name", "given_name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self):
        return f"{self.given_name} {self.family_name}"

    def preferred_language(self) -> str:
        """The language this person reads the system's e-mails in: their
        own choice, else their country's, else the site's."""
        country_language = self.country.language if self.country_id else ""
        return self.language or country_language or settings.LANGUAGE_CODE


class Representation(models.Model):
    """A person represents a member country before the Coalition."""

    class Role(models.TextChoices):
        TITULAR = "titular", _("Titular representative")
        ALTERNATE = "alternate", _("Alternate representative")

    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="representations", verbose_name=_("person")
    )
    country = models.ForeignKey(
        Country,
        on_delete=models.PROTECT,
        related_name="representations",
        verbose_name=_("country"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    start = models.DateField(_("start"))
    end = models.DateField(_("end"), null=True, blank=True, help_text=_("Empty: still serving."))
    history = HistoricalRecords()

    objects = InForceQuerySet.as_manager()

    class Meta:
        ordering = ["country__name", "role", "-start"]
        verbose_name = _("representation")
        verbose_name_plural = _("representations")
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                name="representation_end_after_start",
            )
        ]

    def __str__(self):
        return f"{self.person} — {self.get_role_display()} ({self.country.code})"

    def clean(self):
        if self.end and self.start and self.end < self.start:
            raise ValidationError({"end": _("The end cannot be before the start.")})


class ObserverOrganisation(models.Model):
    class Kind(models.TextChoices):
        INTERNATIONAL = "international", _("International organisation")
        NGO = "ngo", _("Civil-society organisation")
        INVITED = "invited", _("Invited")

    name = models.CharField(_("name"), max_length=300)
    acronym = models.CharField(_("acronym"), max_length=30, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("observer organisation")
        verbose_name_plural = _("observer organisations")

    def __str__(self):
        return self.acronym or self.name


class ObserverMembership(models.Model):
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="observer_memberships"
    )
    organisation = models.ForeignKey(
        ObserverOrganisation, on_delete=models.PROTECT, related_name="memberships"
    )
    start = models.DateField(_("start"))
    end = models.DateField(_("end"), null=True, blank=True)
    history = HistoricalRecords()

    objects = InForceQuerySet.as_manager()

    class Meta:
        ordering = ["organisation__name", "-start"]
        verbose_name = _("observer")
        verbose_name_plural = _("observers")

    def __str__(self):
        return f"{self.person} ({self.organisation})"
