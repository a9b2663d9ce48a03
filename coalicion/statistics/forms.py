from django import forms
from django.utils.translation import gettext_lazy as _

from coalicion.core.actions import rules_onto_form
from coalicion.statistics.actions import check_import
from coalicion.statistics.codes import (
    CHARACTERISTICS,
    COUNTRY,
    DIMENSIONS,
    YEAR,
    Measure,
    characteristics_of,
    codes_of,
    label_of,
)
from coalicion.statistics.models import Upload
from coalicion.statistics.selectors import Query, countries_with_data, years_with_data

FILTER_PREFIX = "f_"


class ImportForm(forms.Form):
    measure = forms.ChoiceField(label=_("Measure"), choices=Measure.choices)
    kind = forms.ChoiceField(label=_("Kind of data"), choices=Upload.Kind.choices)
    source = forms.CharField(
        label=_("Source"),
        max_length=200,
        help_text=_(
            "The institution and system the figures come from, e.g. “Ministerio Público, SIGE”."
        ),
    )
    file = forms.FileField(
        label=_("File (.csv or .xlsx)"),
        help_text=_(
            "A CSV file in UTF-8 (up to 200 MB) or an Excel workbook (up to 60 MB), with the "
            "template's columns."
        ),
    )

    def __init__(self, *args, allowed: set[str] | None = None, **kwargs):
        """`allowed`: the countries the sender may send figures for, for the
        action's rules (`actions.check_import`), checked beside the form's own."""
        super().__init__(*args, **kwargs)
        self.allowed = allowed

    def clean(self):
        data = super().clean()
        if self.allowed is not None:
            rules_onto_form(self, lambda: check_import(allowed=self.allowed, fields=dict(data)))
        return data


class ExploreForm(forms.Form):
    """The pivot asked for: a measure, the dimensions of rows and columns, and
    a code (or the total) for each other dimension."""

    measure = forms.ChoiceField(label=_("Measure"), choices=Measure.choices)
    rows = forms.ChoiceField(label=_("Rows"))
    columns = forms.ChoiceField(label=_("Columns"))

    def __init__(self, data=None, **kwargs):
        data = data.copy() if data is not None else {}
        measure = data.get("measure") or Measure.TIP_VICTIMS_DETECTED
        if measure not in Measure.values:
            measure = Measure.TIP_VICTIMS_DETECTED
        self.measure_code = measure
        years = years_with_data(measure)
        defaults = {
            "measure": measure,
            "rows": COUNTRY,
            "columns": "sex"
            if "sex" in characteristics_of(measure)
            else characteristics_of(measure)[0],
        }
        if years and f"{FILTER_PREFIX}{YEAR}" not in data:
            defaults[f"{FILTER_PREFIX}{YEAR}"] = str(years[-1])
        for name, value in defaults.items():
            if not data.get(name) and name not in data:
                data[name] = value
        super().__init__(data, **kwargs)
        dimensions = [
            (d, DIMENSIONS[d].label) for d in (COUNTRY, YEAR, *characteristics_of(measure))
        ]
        self.fields["rows"].choices = dimensions
        self.fields["columns"].choices = dimensions
        countries = [(c.code, c.name) for c in countries_with_data(measure)]
        choices = {
            COUNTRY: countries,
            YEAR: [(str(year), str(year)) for year in years],
            **{d: [(code, label_of(d, code)) for code in codes_of(d)] for d in CHARACTERISTICS},
        }
        for dimension in (COUNTRY, YEAR, *characteristics_of(measure)):
            self.fields[f"{FILTER_PREFIX}{dimension}"] = forms.ChoiceField(
                label=DIMENSIONS[dimension].label,
                choices=[("", _("All (total)")), *choices[dimension]],
                required=False,
            )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("rows") and cleaned.get("rows") == cleaned.get("columns"):
            self.add_error("columns", _("Choose a dimension other than the rows'."))
        return cleaned

    def filter_fields(self):
        return [self[name] for name in self.fields if name.startswith(FILTER_PREFIX)]

    def query(self) -> Query:
        data = self.cleaned_data
        filters = {}
        for name, value in data.items():
            if name.startswith(FILTER_PREFIX) and value:
                dimension = name.removeprefix(FILTER_PREFIX)
                if dimension not in (data["rows"], data["columns"]):
                    filters[dimension] = value
        return Query(
            measure=data["measure"], rows=data["rows"], columns=data["columns"], filters=filters
        )


def default_query() -> Query:
    form = ExploreForm({})
    form.is_valid()
    return form.query()
