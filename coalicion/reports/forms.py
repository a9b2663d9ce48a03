"""The form that asks for an accountability report."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from coalicion.core.actions import rules_onto_form
from coalicion.reports import selectors
from coalicion.reports.actions import check_request
from coalicion.reports.assembly import Period, term_period

# An ISO value whatever the page's language: a date field shows nothing else.
DATE = forms.DateInput({"type": "date"}, format="%Y-%m-%d")


class AccountabilityForm(forms.Form):
    term = forms.TypedChoiceField(
        label=_("Secretariat term"),
        coerce=int,
        required=False,
        empty_value=None,
        help_text=_("Or leave it empty and give a date range."),
    )
    start = forms.DateField(label=_("From"), required=False, widget=DATE)
    end = forms.DateField(label=_("To"), required=False, widget=DATE)
    as_of = forms.DateField(
        label=_("Data as of"),
        widget=DATE,
        help_text=_("The report shows what was known on that day."),
    )
    language = forms.ChoiceField(
        label=_("Language"),
        choices=[("es", _("Spanish")), ("en", pgettext_lazy("name of a language", "English"))],
    )
    open_to_observers = forms.BooleanField(label=_("Observers may read it"), required=False)

    def __init__(self, *args, terms=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.terms = {term.pk: term for term in terms}
        self.fields["term"].choices = [("", "—")] + [
            (term.pk, selectors.term_label(term)) for term in terms
        ]
        self.fields["as_of"].initial = timezone.localdate()

    def clean(self):
        """The request's rules (`actions.check_request`) beside the form's
        own, in one round; the period only when everything is right."""
        data = super().clean()
        term = self.terms.get(data.get("term"))
        dated = term is None and data.get("start") and data.get("end")
        rules_onto_form(
            self,
            lambda: check_request(
                as_of=data.get("as_of"),
                language=data.get("language"),
                start=data.get("start") if dated else None,
                end=data.get("end") if dated else None,
            ),
        )
        if term is None and not dated and not {"term", "start", "end"} & set(self.errors):
            self.add_error(None, _("Choose a Secretariat term or give both dates of a range."))
        if not self.errors:
            if term is not None:
                data["period"] = term_period(term, as_of=data["as_of"])
            else:
                data["period"] = Period(start=data["start"], end=data["end"])
        return data


class TermReportForm(forms.Form):
    """The end-of-term report of a Presidency or Secretariat term."""

    term = forms.TypedChoiceField(label=_("Term of office"), coerce=int)
    as_of = forms.DateField(
        label=_("Data as of"),
        widget=DATE,
        help_text=_("The report shows what was known on that day."),
    )
    language = forms.ChoiceField(
        label=_("Language"),
        choices=[("es", _("Spanish")), ("en", pgettext_lazy("name of a language", "English"))],
    )
    open_to_observers = forms.BooleanField(label=_("Observers may read it"), required=False)

    def __init__(self, *args, terms=(), **kwargs):
        kwargs.setdefault("auto_id", "term-report-%s")  # beside the other form on the page
        super().__init__(*args, **kwargs)
        self.terms = {term.pk: term for term in terms}
        self.fields["term"].choices = [
            (term.pk, selectors.organ_term_label(term)) for term in terms
        ]
        self.fields["as_of"].initial = timezone.localdate()

    def clean(self):
        data = super().clean()
        rules_onto_form(
            self,
            lambda: check_request(as_of=data.get("as_of"), language=data.get("language")),
        )
        if not self.errors:
            term = self.terms[data["term"]]
            data["period"] = Period(start=term.start, end=term.end or data["as_of"], term=term)
        return data
