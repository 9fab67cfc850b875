"""The change history: made in one place, each entry naming its plan (plans.services.history)."""

import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.admin.sites import site
from django.test import RequestFactory

from plans.models import Change, Plan, Result, Target
from plans.services.history import (
    change_record,
    changes_record,
    plan_snapshot,
    result_snapshot,
    target_snapshot,
)
from plans.services.imports import results_import, targets_import
from plans.services.plans import target_changes_record
from tests.factories import csv_file, make_result, make_target

RESULTS_HEADER = "year,agency_code,indicator_code,value,numerator,denominator,note"
TARGETS_HEADER = "province_code,year,indicator_code,tiers,comparator,value,unit,note"
ROOT = Path(__file__).resolve().parents[2]


def test_results_written_by_the_import_name_their_plan(agencies_a, plan_a, officer_a):
    results_import(
        source=csv_file(
            RESULTS_HEADER, "2017,91-SNV,LAN,1,,,", "2017,91-H899,OFFICIAL_EMAIL,,3,4,"
        ),
        user=officer_a, channel="upload",
    )
    results_import(source=csv_file(RESULTS_HEADER, "2017,91-SNV,LAN,0,,,"), user=officer_a,
                   channel="upload")

    changes = Change.objects.filter(result__isnull=False)
    assert changes.count() == 3
    assert set(changes.values_list("plan", flat=True)) == {plan_a.pk}


def test_results_of_provinces_and_years_name_each_their_own_plan(
    agencies_a, agencies_b, plan_a, plan_b, province_a
):
    plan_a_2018 = Plan.objects.create(province=province_a, year=2018, status=Plan.Status.OPEN)
    results_import(source=csv_file(
        RESULTS_HEADER, "2017,91-SNV,LAN,1,,,", "2018,91-SNV,LAN,1,,,", "2017,33-SNV,LAN,1,,,",
    ))

    plans = {
        (change.result.agency.code, change.result.year): change.plan_id
        for change in Change.objects.select_related("result__agency")
    }
    assert plans == {("91-SNV", 2017): plan_a.pk, ("91-SNV", 2018): plan_a_2018.pk,
                     ("33-SNV", 2017): plan_b.pk}


def test_a_result_of_a_year_without_a_plan_is_recorded_without_one(agencies_a):
    results_import(source=csv_file(RESULTS_HEADER, "2017,91-SNV,LAN,1,,,"))

    change = Change.objects.get()
    assert (change.result.agency.code, change.plan) == ("91-SNV", None)


def test_the_admin_history_search_by_province_finds_imported_results(
    agencies_a, plan_a, admin_user
):
    results_import(source=csv_file(RESULTS_HEADER, "2017,91-SNV,LAN,1,,,"))
    model_admin = site._registry[Change]
    request = RequestFactory().get("/")
    request.user = admin_user

    found, _duplicates = model_admin.get_search_results(
        request, Change.objects.all(), "Kiên Giang"
    )

    assert list(found.values_list("result__agency__code", flat=True)) == ["91-SNV"]


def test_target_snapshots_from_the_admin_and_the_import_have_the_same_keys(
    plan_a, indicator, admin_user
):
    targets_import(source=csv_file(TARGETS_HEADER, "91,2017,LAN,department,>=,80,percent,"))
    imported = Change.objects.get(target__indicator__code="LAN")
    fibre = make_target(plan_a, indicator("FIBRE"), "district", "50")
    target_changes_record(plan=plan_a, created=[fibre], user=admin_user)
    admin = Change.objects.get(target=fibre)

    assert set(imported.new) == set(admin.new) == set(target_snapshot(fibre))
    assert imported.new["position"] == 0


def test_a_target_change_from_the_import_keeps_the_old_snapshot_whole(plan_a, indicator):
    target = make_target(plan_a, indicator("LAN"), "department", "80")
    target.position = 3
    target.save()

    targets_import(source=csv_file(TARGETS_HEADER, "91,2017,LAN,department,>=,90,percent,"))

    change = Change.objects.get(target=target)
    assert change.old == target_snapshot(Target(
        indicator=indicator("LAN"), tiers="department", comparator=">=", value=Decimal("80"),
        unit="percent", note="", position=3,
    ))
    assert (change.new["value"], change.new["position"], change.plan) == ("90", 3, plan_a)


def test_every_subject_names_its_plan(agencies_a, plan_a, indicator, admin_user):
    target = make_target(plan_a, indicator("LAN"), "department", "80")
    result = make_result(agencies_a["91-SNV"], indicator("LAN"), value=1)

    changes = changes_record(
        changes=[
            (plan_a, None, plan_snapshot(plan_a)),
            (target, None, target_snapshot(target)),
            (result, None, result_snapshot(result)),
        ],
        user=admin_user, channel="admin", plan=plan_a,
    )

    assert [change.plan_id for change in changes] == [plan_a.pk] * 3
    assert [(c.target_id, c.result_id) for c in changes] == [
        (None, None), (target.pk, None), (None, result.pk),
    ]


def test_a_result_change_needs_its_plan(agencies_a, indicator):
    result = make_result(agencies_a["91-SNV"], indicator("LAN"), value=1)

    with pytest.raises(ValueError, match="plan"):
        change_record(subject=result, user=None, channel="admin", old=None,
                      new=result_snapshot(result))
    assert not Change.objects.exists()


def test_an_unknown_channel_is_refused(plan_a):
    with pytest.raises(ValueError, match="channel"):
        change_record(subject=plan_a, user=None, channel="email", old=None, new={})


def test_the_result_snapshot_is_the_figures_kept_in_the_history(agencies_a, indicator):
    result = Result(agency=agencies_a["91-SNV"], indicator=indicator("OFFICIAL_EMAIL"),
                    year=2017, numerator=3, denominator=4, note="x")

    assert result_snapshot(result) == {"value": None, "numerator": 3, "denominator": 4,
                                       "note": "x"}


def application_sources() -> list[Path]:
    """Return the application's Python files: every app, not the tests or the migrations."""
    sources = []
    for app in ("plans", "indicators", "egov_targets"):
        sources += [
            path for path in (ROOT / app).rglob("*.py") if "migrations" not in path.parts
        ]
    return sources


def test_one_function_makes_every_history_entry():
    makes_a_change = re.compile(
        r"(?<!class )\bChange\("
        r"|Change\.objects\.(create|bulk_create|get_or_create|update_or_create)\("
        r"|insert_rows\(\s*Change\b"
    )
    history = ROOT / "plans" / "services" / "history.py"

    offenders = [
        f"{path.relative_to(ROOT)}: {found.group()}"
        for path in application_sources()
        if path != history
        for found in makes_a_change.finditer(path.read_text(encoding="utf-8"))
    ]

    assert offenders == []
    assert len(makes_a_change.findall(history.read_text(encoding="utf-8"))) >= 2


def test_it_backfills_the_plan_of_result_entries_left_without_one(
    officer_a, plan_a, agencies_a, indicator
):
    """Migration 0007 gives old result entries the plan of their province and year."""
    import importlib

    from django.apps import apps as django_apps

    migration = importlib.import_module("plans.migrations.0007_change_plan_backfill")
    agency = agencies_a["91-UBND"]
    result = Result.objects.create(
        agency=agency, indicator=indicator("LAN"), year=plan_a.year, value=1
    )
    old = Change.objects.create(result=result, changed_by=officer_a, channel="upload", new={})
    elsewhere = Result.objects.create(
        agency=agency, indicator=indicator("FIBRE"), year=plan_a.year + 1, value=1
    )
    orphan = Change.objects.create(result=elsewhere, changed_by=officer_a, channel="upload")

    migration.backfill(django_apps, None)

    old.refresh_from_db()
    orphan.refresh_from_db()
    assert old.plan_id == plan_a.pk
    assert orphan.plan_id is None
