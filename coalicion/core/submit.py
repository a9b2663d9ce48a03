"""The one way a view runs an action (STYLE rule 12, ADR 0015).

Every view that writes does the same four things: check the form, call one
action, put the action's refusal on the form (or, for a button with no
form, in the page's messages), and flash what was done. :func:`submit`
does them, so that a view is left with parsing, permissions and the
response::

    outcome = submit(
        request,
        lambda: create_agreement(actor=request.user, event=event, **form.agreement_fields()),
        form=form,
        done=lambda agreement: _("Agreement %(code)s was recorded.") % {"code": agreement.code},
    )
    if outcome:
        return redirect(outcome.value)
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError

from coalicion.core.actions import StaleEdit, errors_onto_form


@dataclass(frozen=True)
class Outcome:
    """What came of a submission: `ok` (also its truth value), the action's
    return `value`, and whether a refusal was a stale edit (`stale`)."""

    ok: bool
    value: Any = None
    stale: bool = False

    def __bool__(self) -> bool:
        return self.ok


def is_stale(error: ValidationError) -> bool:
    """Whether an action refused a save based on an outdated copy."""
    if isinstance(error, StaleEdit):
        return True
    if hasattr(error, "error_dict"):
        return False
    return any(getattr(e, "code", None) == "stale" for e in error.error_list)


def submit(
    request,
    step: Callable[[], Any],
    *,
    form=None,
    done: str | Callable[[Any], str] = "",
) -> Outcome:
    """Run `step` (the call of one action) once `form`, if any, is valid.

    A refusal (`ValidationError`) goes onto the form with
    `errors_onto_form`, or, without a form, into the page's error messages;
    nothing else is caught. On success `done` (a message, or a function of
    the action's result that returns one) is flashed."""
    if form is not None and not form.is_valid():
        return Outcome(False)
    try:
        value = step()
    except ValidationError as error:
        if form is not None:
            errors_onto_form(form, error)
        else:
            for message in error.messages:
                messages.error(request, message)
        return Outcome(False, stale=is_stale(error))
    message = done(value) if callable(done) else done
    if message:
        messages.success(request, message)
    return Outcome(True, value)
