"""The one action contract (STYLE rule 12, ADR 0009).

Every write of the system is an action: a keyword-only function named verb
first, taking the acting user as ``actor=``, doing the whole business step
in its own transaction (files included), writing its audit event and
queueing its notifications on commit. It never sees a request.

A form that two people can open at once carries the record's ``version``;
the action compares it with :func:`check_version` and refuses a save based
on an outdated copy with :class:`StaleEdit`. A view turns any refusal of an
action into messages on its form with :func:`errors_onto_form`.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class StaleEdit(ValidationError):
    """Somebody else saved the record since this edit started."""

    def __init__(self, message=None):
        super().__init__(
            message
            or _(
                "Someone else saved this in the meantime. Your changes were not saved: "
                "reload the page to see the current version, then make them again."
            ),
            code="stale",
        )


def check_version(obj, version) -> None:
    """Refuse a save based on an outdated copy of `obj`. `version` is what
    the form was opened on; None skips the check (a first save, or a caller
    that holds the row locked and read it itself)."""
    if version is None:
        return
    try:
        current = int(version) == obj.version
    except (TypeError, ValueError):
        current = False
    if not current:
        raise StaleEdit()


def errors_onto_form(form, error: ValidationError) -> None:
    """An action's refusal on the form: by field where the form has that
    field, otherwise at the top of the form; codes are kept (a stale edit
    is `form.has_error(NON_FIELD_ERRORS, "stale")`)."""
    if hasattr(error, "error_dict"):
        for field, found in error.error_dict.items():
            target = field if field in form.fields else None
            for item in found:
                form.add_error(target, item)
    else:
        for item in error.error_list:
            form.add_error(None, item)
