from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from coalicion.accounts.actions import check_invitation
from coalicion.core.actions import rules_onto_form
from coalicion.membership.forms import MemberCountryField
from coalicion.membership.models import ObserverOrganisation, Representation


class InviteForm(forms.Form):
    ROLE_CHOICES = [
        ("", _("No role yet")),
        *Representation.Role.choices,
        ("observer", _("Observer")),
    ]

    email = forms.EmailField(label=_("E-mail address"))
    given_name = forms.CharField(label=_("Given name"), max_length=100)
    family_name = forms.CharField(label=_("Family name"), max_length=100)
    role = forms.ChoiceField(label=_("Role"), choices=ROLE_CHOICES, required=False)
    country = MemberCountryField(label=_("Country represented"), required=False)
    organisation = forms.ModelChoiceField(
        label=_("Observer organisation"),
        queryset=ObserverOrganisation.objects.all(),
        required=False,
    )
    start = forms.DateField(
        label=_("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    end = forms.DateField(
        label=_("Until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    language = forms.ChoiceField(
        label=_("Language of the invitation"), choices=[("es", "Español"), ("en", "English")]
    )

    def clean(self):
        """The invitation's rules (`actions.check_invitation`: an address
        that has an account, a role without its country…) in one round."""
        data = super().clean()
        rules_onto_form(self, lambda: check_invitation(dict(data)))
        return data


class RepresentationForm(forms.Form):
    country = MemberCountryField(label=_("Country"))
    role = forms.ChoiceField(label=_("Role"), choices=Representation.Role.choices)
    start = forms.DateField(
        label=_("From"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    end = forms.DateField(
        label=_("Until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("The end cannot be before the start."))
        return data


class SetPasswordForm(forms.Form):
    password1 = forms.CharField(
        label=_("Password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("The two passwords differ."))
        elif data.get("password1"):
            try:
                password_validation.validate_password(data["password1"], self.user)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data
