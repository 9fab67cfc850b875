"""Run a write again when PostgreSQL ended its transaction for a deadlock or a serialization
failure, a bounded number of times, before anything is refused.

The services lock rows in one order (the plan, then reports by id, then results by id) and lock
the plan without blocking its key (``FOR NO KEY UPDATE``), so that an approval's history entry,
whose foreign key to the plan is checked when it commits, never waits for a save holding the
plan. A deadlock left anyway (a lock order outside these services) costs one of the two
transactions; that one is run again from the start, after a short random pause, as a new
transaction: nothing of the failed one was kept.
"""

import functools
import logging
import random
import time
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from django.db import OperationalError, connection

logger = logging.getLogger(__name__)

P = ParamSpec("P")
R = TypeVar("R")

# PostgreSQL's SQLSTATEs: deadlock_detected, serialization_failure.
CONFLICT_CODES = {"40P01", "40001"}
# Runs in all: the first and two more.
ATTEMPTS = 3
# Seconds of the pause before a further run, times the run's number.
PAUSE = 0.05


def is_conflict(error: OperationalError) -> bool:
    """Return True if ``error`` is a deadlock or serialization failure of PostgreSQL."""
    return getattr(error.__cause__, "pgcode", None) in CONFLICT_CODES


def retry_on_conflict(function: Callable[P, R]) -> Callable[P, R]:
    """Run ``function`` again, up to ATTEMPTS runs in all, when its transaction failed for a
    deadlock or a serialization failure; raise the last error after that.

    Only a function that opens its own transaction can be run again: inside a caller's, the
    whole transaction is lost, so the error goes to the caller (who may retry it).
    """

    @functools.wraps(function)
    def retrying(*args: P.args, **kwargs: P.kwargs) -> R:
        for attempt in range(1, ATTEMPTS + 1):
            try:
                return function(*args, **kwargs)
            except OperationalError as error:
                if attempt == ATTEMPTS or connection.in_atomic_block or not is_conflict(error):
                    raise
                logger.warning("%s: %s; run %s of %s", function.__qualname__,
                               str(error).splitlines()[0], attempt + 1, ATTEMPTS)
                time.sleep(random.uniform(0, PAUSE) * attempt)
        raise AssertionError("unreachable")

    return retrying
