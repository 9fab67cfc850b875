"""Two people save the same result at the same moment from two database connections.

Each thread gets its own connection (Django's connections are per thread); both load version v
of the result, wait at a barrier, then call the results service with ``expected_version=v``.
Exactly one save wins; the other is refused with the winner's figures, and the row holds the
winner's value at version v + 1 with one Change. On PostgreSQL (CI runs the suite there via
``DATABASE_URL``) the two transactions really overlap. SQLite serialises writers: the test
database is a file and every transaction takes the write lock as it begins (settings), so the
second save waits for the first, then finds the newer version and is refused.
"""

import threading

import pytest
from django.db import connection

from plans.models import Change, Result
from plans.services.results import ResultsRefused, result_record

ROUNDS = 5

pytestmark = pytest.mark.django_db(transaction=True)


def save_in_thread(*, result_id, user, numerator, barrier, outcomes):
    """Load the result in this thread's own connection, wait for the other, then save."""
    try:
        result = Result.objects.select_related("agency", "indicator").get(pk=result_id)
        seen = result.version
        barrier.wait(timeout=30)
        try:
            written = result_record(
                agency=result.agency,
                indicator=result.indicator,
                year=result.year,
                value=None,
                numerator=numerator,
                denominator=result.denominator,
                note=None,
                user=user,
                channel=Change.Channel.GRID,
                expected_version=seen,
            )
            outcomes.append(("won", user, numerator, seen, written))
        except ResultsRefused as refusal:
            outcomes.append(("refused", user, numerator, seen, refusal))
    except Exception as exc:  # noqa: BLE001 - reported to the test thread below
        outcomes.append(("error", user, numerator, None, exc))
    finally:
        connection.close()


def race(result_id, first, second):
    """Run two simultaneous saves of ``result_id``; return their outcomes."""
    barrier = threading.Barrier(2)
    outcomes = []
    threads = [
        threading.Thread(
            target=save_in_thread,
            kwargs={"result_id": result_id, "user": user, "numerator": numerator,
                    "barrier": barrier, "outcomes": outcomes},
        )
        for user, numerator in (first, second)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a save never finished"
    errors = [outcome for outcome in outcomes if outcome[0] == "error"]
    assert not errors, errors
    return outcomes


def test_it_lets_exactly_one_of_two_simultaneous_saves_win(world, officer_a, admin_user):
    result_id = world.result.pk
    for round_number in range(ROUNDS):
        before = Result.objects.get(pk=result_id)
        changes_before = Change.objects.filter(result_id=result_id).count()
        outcomes = race(
            result_id,
            (officer_a, 10 + round_number),
            (admin_user, 20 + round_number),
        )

        won = [outcome for outcome in outcomes if outcome[0] == "won"]
        refused = [outcome for outcome in outcomes if outcome[0] == "refused"]
        assert len(won) == 1, outcomes
        assert len(refused) == 1, outcomes
        _state, winner, value, seen, _written = won[0]
        assert seen == before.version
        # Both started from the same version: the loser is told whose value now stands.
        assert refused[0][3] == before.version
        refusal = refused[0][4]
        (messages,) = refusal.problems.values()
        assert winner.get_username() in messages[0]
        (current,) = refusal.current.values()
        assert current.numerator == value

        after = Result.objects.get(pk=result_id)
        assert after.numerator == value
        assert after.version == before.version + 1
        assert after.updated_by == winner
        changes = Change.objects.filter(result_id=result_id).order_by("pk")
        assert changes.count() == changes_before + 1
        assert changes.last().new["numerator"] == value
        assert changes.last().changed_by == winner


def test_it_lets_exactly_one_of_two_simultaneous_first_saves_create_the_result(
    world, agencies_a, indicator, officer_a, admin_user
):
    """No result yet (version 0 seen by both): one creates it, the other is refused."""
    agency, lan = agencies_a["91-STTTT"], indicator("LAN")
    barrier = threading.Barrier(2)
    outcomes = []

    def first_save(user, value):
        try:
            barrier.wait(timeout=30)
            try:
                result_record(
                    agency=agency, indicator=lan, year=2017, value=value, numerator=None,
                    denominator=None, note="", user=user, channel=Change.Channel.GRID,
                    expected_version=0,
                )
                outcomes.append(("won", user, value))
            except ResultsRefused:
                outcomes.append(("refused", user, value))
        except Exception as exc:  # noqa: BLE001 - reported to the test thread below
            outcomes.append(("error", user, exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=first_save, args=args)
               for args in ((officer_a, 1), (admin_user, 0))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(outcome[0] for outcome in outcomes) == ["refused", "won"], outcomes
    (winner,) = [outcome for outcome in outcomes if outcome[0] == "won"]
    stored = Result.objects.get(agency=agency, indicator=lan, year=2017)
    assert (stored.value, stored.version, stored.updated_by) == (winner[2], 1, winner[1])
    assert Change.objects.filter(result=stored).count() == 1
