"""The one way a view runs an action: refusals onto the form (or into the
messages), success flashed, the step never run on an invalid form."""

from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from coalicion.core.actions import StaleEdit
from coalicion.core.submit import submit


class NameForm(forms.Form):
    name = forms.CharField()


def a_request():
    request = RequestFactory().post("/")
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def flashed(request) -> list[str]:
    return [str(m) for m in get_messages(request)]


def test_a_done_step_returns_its_value_and_flashes_the_message():
    request = a_request()
    outcome = submit(request, lambda: 42, form=NameForm({"name": "x"}), done=lambda n: f"{n} ok")
    assert outcome and outcome.value == 42 and not outcome.stale
    assert flashed(request) == ["42 ok"]


def test_an_invalid_form_never_runs_the_step():
    ran = []
    outcome = submit(a_request(), lambda: ran.append(1), form=NameForm({}), done="ok")
    assert not outcome and ran == []


def test_a_refusal_goes_onto_the_form_by_field_or_on_top():
    form = NameForm({"name": "x"})

    def refuse():
        raise ValidationError({"name": "Taken.", "other": "Elsewhere."})

    request = a_request()
    assert not submit(request, refuse, form=form, done="ok")
    assert form.errors["name"] == ["Taken."]
    assert form.non_field_errors() == ["Elsewhere."]
    assert flashed(request) == []


def test_without_a_form_a_refusal_is_a_message_and_a_stale_edit_is_told():
    def stale():
        raise StaleEdit()

    request = a_request()
    outcome = submit(request, stale, done="ok")
    assert not outcome and outcome.stale
    assert flashed(request) == StaleEdit().messages
