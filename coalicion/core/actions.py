"""The one action contract (STYLE rule 12, ADR 0009).

Every write of the system is an action: a keyword-only function named verb
first, taking the acting user as ``actor=``, doing the whole business step
in its own transaction (files included), writing its audit event and
queueing its notifications on commit. It never sees a request.

A form that two people can open at once carries the record's ``version``;
the action compares it with :func:`check_version` and refuses a save based
on an outdated copy with :class:`StaleEdit`. A view turns any refusal of an
action into messages on its form with :func:`errors_onto_form`.

The rules an action checks on the submitted data and the current state
(dates in order, a quorum, a duplicate…) live in one function of its
module that raises every problem at once; the action calls it, and so does
its form's ``clean()`` through :func:`rules_onto_form`, so that a refused
form lists them beside its own rules in one round (issue 12, ADR 0047).
"""

from collections.abc import Callable

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
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


class Problems:
    """What an action's rule function finds, gathered so that it is refused
    all at once: `run` a check that raises, `add` a message by field (None:
    the whole form), then `raise_all`."""

    def __init__(self):
        self.found: list[ValidationError] = []

    def run(self, check: Callable[..., None], *args, **kwargs) -> None:
        try:
            check(*args, **kwargs)
        except ValidationError as error:
            self.found.append(error)

    def add(self, field: str | None, message, code: str | None = None) -> None:
        error = ValidationError(message, code=code)
        self.found.append(ValidationError({field: error}) if field else error)

    def fields(self) -> set[str]:
        """The fields already refused (a rule on them need not run)."""
        return {name for error in self.found for name in getattr(error, "error_dict", {})}

    def raise_all(self) -> None:
        """One problem as it was raised (its code kept); several as one
        error by field, those of no field at the top of the form."""
        if len(self.found) == 1:
            raise self.found[0]
        if not self.found:
            return
        if not any(hasattr(error, "error_dict") for error in self.found):
            raise ValidationError([item for error in self.found for item in error.error_list])
        by_field: dict[str, list] = {}
        for error in self.found:
            if hasattr(error, "error_dict"):
                for field, items in error.error_dict.items():
                    by_field.setdefault(field, []).extend(items)
            else:
                by_field.setdefault(NON_FIELD_ERRORS, []).extend(error.error_list)
        raise ValidationError(by_field)


def rules_onto_form(form, check: Callable[[], None]) -> None:
    """Run an action's rule function `check` beside the form's own rules
    and put what it refuses on the form, except on a field that already
    has its own error (the form's message says enough there). A caller
    passes None for a value that failed its own validation; the rule
    function skips the rules that need it."""
    try:
        check()
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for field, found in error.error_dict.items():
                target = field if field in form.fields else None
                if target is not None and target in form.errors:
                    continue
                for item in found:
                    form.add_error(target, item)
        else:
            known = set(form.non_field_errors())
            for item in error.error_list:
                if item.messages[0] not in known:
                    form.add_error(None, item)
