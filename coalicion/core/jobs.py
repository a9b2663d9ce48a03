"""Background jobs that try again before they give up (ADR 0066).

django-tasks 0.12 and its database backend run a job once: a job that
raises is recorded as failed and stays so. :func:`retried_task` declares a
job like ``django_tasks.task`` does, and when it raises queues it again,
up to `attempts` tries in all, each after a longer wait (`backoff`, then
twice that, then four times…) on a backend that can defer jobs (the
database backend of production), at once on one that cannot (the
immediate backend of the tests). After the last try, `gave_up` records the
failure where the person who started the job sees it, and the error is
raised so that the queue keeps it as well (with its traceback, for the
operator). A refusal (``ValidationError``) is not tried again::

    @retried_task(attempts=3, gave_up=lambda report_id, error: ...)
    def generate_report(report_id: int) -> None: ...

`retrying` (optional) is told of each failed try that will be tried again,
e.g. to show "trying again" on a page. Only jobs that may be run twice
(idempotent ones) are declared this way.
"""

import datetime
import functools
import logging
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.utils import timezone
from django_tasks import task

logger = logging.getLogger(__name__)

DEFAULT_ATTEMPTS = 3
DEFAULT_BACKOFF = datetime.timedelta(seconds=30)


def retry_delay(attempt: int, backoff: datetime.timedelta) -> datetime.timedelta:
    """The wait before try `attempt + 1`: backoff, 2×backoff, 4×backoff…"""
    return backoff * 2 ** (attempt - 1)


def retried_task(
    *,
    attempts: int = DEFAULT_ATTEMPTS,
    backoff: datetime.timedelta = DEFAULT_BACKOFF,
    gave_up: Callable | None = None,
    retrying: Callable | None = None,
    **options,
):
    """``@task(**options)`` that tries again, up to `attempts` tries in all.

    `gave_up(*args, error=..., **kwargs)` is called after the last try;
    `retrying(*args, error=..., attempt=..., attempts=..., **kwargs)`
    after each earlier one (`attempt` is the try that failed)."""
    if attempts < 1:
        raise ValueError("A job is tried at least once.")

    def decorate(function):
        @functools.wraps(function)
        def run(*args, attempt: int = 1, **kwargs):
            try:
                return function(*args, **kwargs)
            except Exception as error:
                name = function.__qualname__
                # A refusal (ValidationError) says what is wrong with the
                # request: trying again would give the same answer.
                if attempt >= attempts or isinstance(error, ValidationError):
                    logger.error("Job %s failed on try %d of %d: given up", name, attempt, attempts)
                    if gave_up is not None:
                        gave_up(*args, error=error, **kwargs)
                    raise
                delay = retry_delay(attempt, backoff)
                logger.warning(
                    "Job %s failed (try %d of %d); trying again in %s",
                    name,
                    attempt,
                    attempts,
                    delay,
                    exc_info=True,
                )
                if retrying is not None:
                    retrying(*args, error=error, attempt=attempt, attempts=attempts, **kwargs)
                again = job
                if job.get_backend().supports_defer:
                    again = job.using(run_after=timezone.now() + delay)
                again.enqueue(*args, attempt=attempt + 1, **kwargs)
                raise

        job = task(**options)(run)
        return job

    return decorate
