"""The CSV round trip: ``export_data`` writes what the three imports read back, unchanged."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from plans.models import (
    Agency,
    Change,
    Plan,
    Programme,
    ProgrammeTarget,
    Province,
    Result,
    Target,
)
from plans.outputs.exports import progress_csv

pytestmark = pytest.mark.django_db


def export(tmp_path, *provinces):
    args = [str(tmp_path)] + [f"--province={code}" for code in provinces]
    call_command("export_data", *args)
    return {name: (tmp_path / name).read_text(encoding="utf-8")
            for name in ("agencies.csv", "targets.csv", "results.csv")}


def all_progress():
    """progress.csv of every plan with targets (targets.csv carries no plan without one)."""
    plans = Plan.objects.select_related("province").filter(targets__isnull=False).distinct()
    return {(plan.province.code, plan.year): progress_csv(province=plan.province, year=plan.year)
            for plan in plans}


def wipe():
    """Delete every province's data, as on the new server of a restore."""
    Change.objects.all().delete()
    Programme.objects.all().delete()
    Province.objects.update(successor=None)
    Result.objects.all().delete()
    Target.objects.all().delete()
    Plan.objects.all().delete()
    Agency.objects.update(parent=None)
    Agency.objects.all().delete()
    Province.objects.all().delete()


def test_the_demo_survives_export_wipe_and_import(tmp_path):
    call_command("load_demo", "--no-accounts")
    progress_before = all_progress()
    # Kiên Giang 2016 and 2017, Hưng Yên 2018, An Giang 2026.
    assert len(progress_before) == 4
    files = export(tmp_path / "backup")
    counts = (Agency.objects.count(), Target.objects.count(), Result.objects.count(),
              ProgrammeTarget.objects.count(),
              list(Province.objects.values_list("code", "active_to", "successor__code")))
    assert counts[2] > 100

    wipe()
    assert not Result.objects.exists()
    for command, name in (("import_agencies", "agencies.csv"),
                          ("import_provinces", "provinces.csv"),
                          ("import_targets", "targets.csv"),
                          ("import_results", "results.csv"),
                          ("import_programmes", "programmes.csv")):
        call_command(command, str(tmp_path / "backup" / name))

    assert (Agency.objects.count(), Target.objects.count(), Result.objects.count(),
            ProgrammeTarget.objects.count(),
            list(Province.objects.values_list("code", "active_to", "successor__code"))) == counts
    assert all_progress() == progress_before
    # And the export of the restored data is the same, byte for byte.
    assert export(tmp_path / "again") == files


def test_files_are_utf8_with_the_import_headers_and_vietnamese_intact(tmp_path):
    call_command("load_demo", "--no-accounts")
    files = export(tmp_path)
    assert files["agencies.csv"].splitlines()[0] == (
        "province_code,province_name,agency_code,agency_name,tier,parent_code,active_from,"
        "active_to"
    )
    assert files["targets.csv"].splitlines()[0] == (
        "province_code,year,indicator_code,tiers,comparator,value,unit,note,items"
    )
    assert files["results.csv"].splitlines()[0] == (
        "year,agency_code,indicator_code,value,numerator,denominator,note"
    )
    assert "Kiên Giang" in files["agencies.csv"]
    assert "Hưng Yên" in files["agencies.csv"]
    assert not files["agencies.csv"].startswith("\ufeff")
    assert "\r\n" not in files["results.csv"]
    # tiers are written out, never "all"; target values are plain numbers.
    for line in files["targets.csv"].splitlines()[1:]:
        assert ",all," not in line
        assert ".0," not in line


def test_one_province_alone(tmp_path):
    call_command("load_demo", "--no-accounts")
    files = export(tmp_path, "33")
    agencies = files["agencies.csv"].splitlines()[1:]
    assert agencies and all(line.startswith("33,") for line in agencies)
    targets = files["targets.csv"].splitlines()[1:]
    assert targets and all(line.startswith("33,") for line in targets)
    hung_yen = set(Agency.objects.filter(province__code="33").values_list("code", flat=True))
    results = files["results.csv"].splitlines()[1:]
    assert len(results) == Result.objects.filter(agency__province__code="33").count()
    assert {line.split(",")[1] for line in results} <= hung_yen


def test_an_unknown_province_is_refused_and_nothing_is_written(tmp_path):
    call_command("load_demo", "--no-accounts")
    with pytest.raises(CommandError, match="Không có tỉnh mã 99"):
        export(tmp_path / "out", "91", "99")
    assert not (tmp_path / "out").exists()


def test_text_that_a_spreadsheet_would_run_is_written_as_stored(tmp_path):
    # No formula guard in a backup: the import would keep the apostrophe (docs/FORMATS.md). The
    # files people open in spreadsheets (progress.csv, .xlsx, templates) carry the guard.
    call_command("load_demo", "--no-accounts")
    result = Result.objects.filter(agency__province__code="91").first()
    result.note = "=HYPERLINK(\"http://x\")"
    result.save()
    files = export(tmp_path)
    assert ',"=HYPERLINK(""http://x"")"\n' in files["results.csv"]
    assert "'=HYPERLINK" not in files["results.csv"]


def test_an_unwritable_directory_is_a_clear_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(CommandError, match="Không ghi được"):
        call_command("export_data", str(blocker / "sub"))


def test_outside_a_transaction_the_three_files_come_from_one_snapshot(transactional_db, tmp_path):
    # Outside the test's transaction the command opens its own (REPEATABLE READ on PostgreSQL).
    call_command("load_demo", "--no-accounts")
    files = export(tmp_path)
    assert len(files["results.csv"].splitlines()) == Result.objects.count() + 1
