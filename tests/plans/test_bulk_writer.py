"""The bulk writer (plans.services.bulk): many rows of one model, on whichever backend runs."""

import datetime
import sqlite3

import pytest
from django.db import connection
from django.utils import timezone

from plans.models import Change, Plan, Province, Result
from plans.services import bulk

NOW = timezone.make_aware(datetime.datetime(2024, 5, 1, 8, 30))


@pytest.fixture
def max_params(monkeypatch):
    """Let a test bound the parameters of one INSERT statement, so rows go in several."""
    restore = []

    def bound(limit):
        if connection.vendor == "sqlite":
            connection.ensure_connection()
            raw = connection.connection
            restore.append((raw, raw.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)))
            raw.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, limit)
        else:
            # COPY (psycopg2) has no statements to split; the INSERT path reads this.
            monkeypatch.setattr(connection.features, "max_query_params", limit)

    yield bound
    for raw, before in restore:
        raw.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, before)


def results_of(rows):
    return [
        (year, agency, indicator, value, None, None, f"note {n}")
        for n, (year, agency, indicator, value) in enumerate(rows)
    ]


@pytest.fixture
def cells(agencies_a, indicator):
    """Return (year, agency id, indicator id, value) keys for 2 × 7 agencies × 3 indicators."""
    indicators = [indicator(code).pk for code in ("LAN", "FIBRE", "WEB_PORTAL")]
    return [
        (year, agency.pk, indicator_id, (year + agency.pk + indicator_id) % 2)
        for year in (2017, 2018)
        for agency in agencies_a.values()
        for indicator_id in indicators
    ]


RESULT_FIELDS = ["year", "agency", "indicator", "value", "numerator", "denominator", "note"]
# The other columns of a result, the same for every row.
RESULT_CONSTANTS = {"is_sample": True, "version": 1, "updated_by": None, "updated_at": NOW}


@pytest.mark.parametrize("limit", [None, 11, 22, 100])
def test_it_inserts_rows_and_returns_their_ids_in_order(cells, max_params, limit):
    if limit:
        # 11 columns a row: one result per statement, two, nine; by default all 42 in one.
        max_params(limit)

    ids = bulk.insert_rows(
        Result, RESULT_FIELDS, results_of(cells), constants=RESULT_CONSTANTS, return_ids=True
    )

    assert len(ids) == len(cells) == 42
    stored = {
        pk: (year, agency, indicator, value, note, is_sample, version, updated_at)
        for pk, year, agency, indicator, value, note, is_sample, version, updated_at
        in Result.objects.values_list(
            "pk", "year", "agency", "indicator", "value", "note", "is_sample", "version",
            "updated_at",
        )
    }
    assert [stored[pk] for pk in ids] == [
        (year, agency, indicator, value, f"note {n}", True, 1, NOW)
        for n, (year, agency, indicator, value) in enumerate(cells)
    ]


def test_it_returns_nothing_unless_asked(cells):
    assert bulk.insert_rows(Result, RESULT_FIELDS, results_of(cells[:3]),
                            constants=RESULT_CONSTANTS) == []
    assert Result.objects.count() == 3


def test_it_writes_nothing_for_no_rows(db, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert bulk.insert_rows(Result, RESULT_FIELDS, [], return_ids=True) == []
        bulk.update_rows(Result, ["value"], [])


def test_it_writes_json_text_into_json_columns_and_nulls(agencies_a, cells):
    [pk] = bulk.insert_rows(Result, RESULT_FIELDS, results_of(cells[:1]),
                            constants=RESULT_CONSTANTS, return_ids=True)
    plan = Plan.objects.create(province=agencies_a["91-SNV"].province, year=2017)

    bulk.insert_rows(
        Change,
        ["result", "plan", "old", "new"],
        [
            (pk, plan.pk, None, '{"value": 1, "note": "Vĩnh \\"Thanh\\""}'),
            (pk, None, '{"value": 1}', '{"value": 0, "list": [1, 2]}'),
        ],
        constants={"changed_by": None, "changed_at": NOW, "channel": "command"},
    )

    stored = list(Change.objects.order_by("pk").values_list("plan", "old", "new", "changed_at"))
    assert stored == [
        (plan.pk, None, {"value": 1, "note": 'Vĩnh "Thanh"'}, NOW),
        (None, {"value": 1}, {"value": 0, "list": [1, 2]}, NOW),
    ]
    assert set(Change.objects.values_list("channel", flat=True)) == {"command"}


def test_it_updates_rows_by_primary_key(cells, officer_a):
    ids = bulk.insert_rows(Result, RESULT_FIELDS, results_of(cells),
                           constants={**RESULT_CONSTANTS, "is_sample": False}, return_ids=True)
    later = NOW + datetime.timedelta(hours=1)
    changed = ids[::2]

    bulk.update_rows(
        Result,
        ["value", "note", "version"],
        [(7, "", 2, pk) for pk in changed],
        constants={"updated_by": officer_a.pk, "updated_at": later, "is_sample": True},
    )

    stored = {pk: row for pk, *row in Result.objects.values_list(
        "pk", "value", "note", "version", "updated_by", "updated_at", "is_sample")}
    assert {pk: stored[pk] for pk in changed} == {
        pk: [7, "", 2, officer_a.pk, later, True] for pk in changed
    }
    untouched = [pk for pk in ids if pk not in set(changed)]
    assert {tuple(stored[pk][2:]) for pk in untouched} == {(1, None, NOW, False)}


def test_it_updates_without_constants(province_a):
    province = Province.objects.create(code="92", name="Cần Thơ")

    bulk.update_rows(Province, ["name"], [("Thành phố Cần Thơ", province.pk)])

    province.refresh_from_db()
    province_a.refresh_from_db()
    assert (province.name, province_a.name) == ("Thành phố Cần Thơ", "Kiên Giang")
