"""Forms of monitoring: reports and their review, indicator values, and the
filters of the matrix ("as of" date, POA, axis, country). Forms parse and
check input; the writes are in `actions`."""

import datetime

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.http import QueryDict
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from coalicion.core.actions import rules_onto_form
from coalicion.core.i18n import localized
from coalicion.core.uploads import FilesField, accepted_types_help
from coalicion.core.widgets import QuickSelect
from coalicion.monitoring.actions import check_indicator_value, check_report
from coalicion.monitoring.models import PERCENT_VALIDATORS
from coalicion.plans.models import Indicator

MAX_NARRATIVE_CHARS = 20_000


class ReportForm(forms.Form):
    """Progress of an activity in a period; `version` is the report's version
    when the form was shown (0 for a new report), for optimistic locking."""

    percent = forms.DecimalField(
        label=_("Percent complete"),
        help_text=_("From 0 to 100: how much of the activity is done by the end of the period."),
        max_digits=5,
        decimal_places=2,
        validators=PERCENT_VALIDATORS,
        widget=forms.NumberInput(attrs={"min": 0, "max": 100, "step": "0.01"}),
    )
    narrative = forms.CharField(
        label=_("Narrative"),
        help_text=_("What was done in the period, with whom, and what remains."),
        required=False,
        max_length=MAX_NARRATIVE_CHARS,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    evidence = FilesField(
        label=_("Evidence files (means of verification)"),
        required=False,
    )
    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)

    def __init__(self, *args, report=None, target: dict | None = None, **kwargs):
        """`target`: the `activity`, `period` and `country` reported on, whose
        rules (`actions.check_report`) are checked beside the form's own."""
        self.target = target
        if not args or args[0] is None:
            initial = {"version": report.version if report else 0}
            if report is not None:
                initial |= {"percent": report.percent, "narrative": report.narrative}
            kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        self.fields["evidence"].help_text = accepted_types_help()

    def clean(self):
        data = super().clean()
        if self.target is not None:
            rules_onto_form(self, lambda: check_report(**self.target, percent=data.get("percent")))
        return data

    def action_fields(self) -> dict:
        """What `actions.save_report` takes from the form."""
        data = self.cleaned_data
        return {
            "percent": data["percent"],
            "narrative": data["narrative"],
            "version": data["version"],
            "evidence": data["evidence"],
        }


class ReviewForm(forms.Form):
    """The Secretariat's decision on one submitted report or value."""

    VALIDATE = "validate"
    RETURN = "return"

    decision = forms.ChoiceField(
        choices=[(VALIDATE, _("Validate")), (RETURN, _("Return with a comment"))],
        widget=forms.HiddenInput,
    )
    comment = forms.CharField(
        label=_("Comment to the responsible party"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput, required=False)

    def clean(self):
        data = super().clean()
        if data.get("decision") == self.RETURN and not data.get("comment", "").strip():
            self.add_error("comment", _("Say what must be corrected before returning it."))
        return data


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class MatrixFilterForm(forms.Form):
    """GET filters: POA year, axis, country and the date the figures are
    known on. Bad values are reported and replaced by the defaults."""

    as_of = forms.DateField(
        label=_("As of"),
        required=False,
        input_formats=["%Y-%m-%d"],
        widget=DateInput(),
        help_text=_("Figures as they were known on this date."),
        error_messages={"invalid": _("Enter a date as YYYY-MM-DD.")},
    )
    # Selects written in Python: the pages users open most show this form.
    year = forms.TypedChoiceField(
        label=_("Operating plan"), required=False, coerce=int, widget=QuickSelect
    )
    axis = forms.ChoiceField(label=_("Axis"), required=False, widget=QuickSelect)
    country = forms.ChoiceField(label=_("Country"), required=False, widget=QuickSelect)

    def __init__(self, data, *, poas, axes, countries, fields=None, **kwargs):
        super().__init__(data, **kwargs)
        self.poas = list(poas)
        self.axes = {axis.code: axis for axis in axes}
        self.countries = {country.code: country for country in countries}
        self.fields["year"].choices = [("", gettext("Latest up to the date"))] + [
            (poa.year, poa.year) for poa in self.poas
        ]
        self.fields["axis"].choices = [("", gettext("All axes"))] + [
            (axis.code, f"{axis.code}. {localized(axis, 'name')}") for axis in axes
        ]
        self.fields["country"].choices = [("", gettext("All countries"))] + [
            (country.code, localized(country, "name")) for country in countries
        ]
        for name in list(self.fields):
            if fields is not None and name not in fields:
                del self.fields[name]

    def clean_as_of(self):
        value = self.cleaned_data["as_of"]
        today = timezone.localdate()
        if value is not None and value > today:
            raise forms.ValidationError(
                gettext("%(date)s is in the future: the figures cannot be known yet.")
                % {"date": date_format(value, "SHORT_DATE_FORMAT")}
            )
        return value

    def messages(self) -> list[str]:
        """One clear message per refused filter, saying what was shown instead."""
        found = []
        for name, errors in self.errors.items():
            label = self.fields[name].label if name in self.fields else name
            raw = self.data.get(name, "")
            for error in errors:
                if name == "as_of":
                    found.append(
                        gettext(
                            "The date “%(value)s” was not understood (%(error)s); "
                            "the figures shown are today's."
                        )
                        % {"value": raw, "error": error}
                    )
                else:
                    found.append(
                        gettext("%(field)s “%(value)s” is not available; all are shown.")
                        % {"field": label, "value": raw}
                    )
        return found

    @property
    def as_of_date(self) -> datetime.date:
        return self.value("as_of") or timezone.localdate()

    def value(self, name):
        """The cleaned value of a filter, or None when absent or refused."""
        if name not in self.fields or name in self.errors:
            return None
        return self.cleaned_data.get(name) or None

    @property
    def chosen_axis(self):
        code = self.value("axis")
        return self.axes.get(code) if code else None

    @property
    def chosen_country(self):
        code = self.value("country")
        return self.countries.get(code) if code else None

    @property
    def chosen_year(self) -> int | None:
        return self.value("year")

    def query(self, only=None) -> str:
        """The accepted filters as a query string (for links)."""
        query = QueryDict(mutable=True)
        for name in self.fields:
            if only is not None and name not in only:
                continue
            value = self.data.get(name)
            if value and name not in self.errors:
                query[name] = value
        return query.urlencode()


def _stage_label(stage) -> str:
    return f"{localized(stage, 'name')} ({stage.percent:g} %)"


class IndicatorValueForm(forms.Form):
    """One value of a manual indicator: for a year, for a country where the
    indicator is disaggregated (a focal point's country is set by the view,
    never taken from the form), a value or a stage, and a narrative."""

    year = forms.TypedChoiceField(label=_("Year"), coerce=int)
    country = forms.ModelChoiceField(label=_("Country"), queryset=None, required=True)
    value = forms.DecimalField(label=_("Value"), max_digits=14, decimal_places=4, required=False)
    stage = forms.ModelChoiceField(label=_("Stage reached"), queryset=None, required=False)
    narrative = forms.CharField(
        label=_("Narrative"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What the value is based on, and the means of verification."),
    )
    evidence = FilesField(label=_("Evidence files (means of verification)"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def __init__(
        self, *args, indicator, years, countries=None, stages=None, forced_country=None, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.indicator = indicator
        self.forced_country = forced_country
        self.fields["year"].choices = [(year, year) for year in years]
        if countries is None:
            del self.fields["country"]
        else:
            self.fields["country"].queryset = countries
            self.fields["country"].label_from_instance = lambda c: localized(c, "name")
        if indicator.kind == Indicator.Kind.MILESTONE:
            del self.fields["value"]
            self.fields["stage"].queryset = stages
            self.fields["stage"].required = True
            self.fields["stage"].label_from_instance = _stage_label
        else:
            del self.fields["stage"]
            self.fields["value"].required = True
            if indicator.kind == Indicator.Kind.PERCENTAGE:
                self.fields["value"].validators += [
                    MinValueValidator(0),
                    MaxValueValidator(100),
                ]
                self.fields["value"].help_text = _("A percentage, between 0 and 100.")
            elif indicator.unit:
                self.fields["value"].help_text = escape(localized(indicator, "unit"))

    def clean(self):
        """The action's rules (`actions.check_indicator_value`: a value
        already submitted or validated…) beside the form's own, in one round."""
        data = super().clean()
        fields = dict(data)
        if self.forced_country is not None or "country" not in self.fields:
            fields["country"] = self.forced_country  # as the view saves it
        rules_onto_form(
            self, lambda: check_indicator_value(indicator=self.indicator, fields=fields)
        )
        return data
