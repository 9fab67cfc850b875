"""The benchmark's dataset generator: deterministic, docs/FORMATS.md files, read by the imports."""

import csv
import importlib.util
import json
import sys
from pathlib import Path

import pytest

from plans.models import Agency, Plan, Result, Target
from plans.services.imports import agencies_import, results_import, targets_import

GENERATE = Path(__file__).resolve().parents[2] / "bench" / "generate.py"


@pytest.fixture(scope="module")
def generate():
    spec = importlib.util.spec_from_file_location("bench_generate", GENERATE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def rows(path: Path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def test_it_writes_identical_files_for_the_same_seed(generate, tmp_path):
    generate.generate(provinces=1, seed=7, out=tmp_path / "a")
    generate.generate(provinces=1, seed=7, out=tmp_path / "b")
    for name in ("agencies.csv", "targets.csv", "results.csv", "results_half.csv"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_it_writes_other_files_for_another_seed(generate, tmp_path):
    generate.generate(provinces=1, seed=7, out=tmp_path / "a")
    generate.generate(provinces=1, seed=8, out=tmp_path / "b")
    assert (tmp_path / "a" / "results.csv").read_bytes() != (
        tmp_path / "b" / "results.csv"
    ).read_bytes()


def test_it_writes_a_prefix_of_the_larger_dataset(generate, tmp_path):
    generate.generate(provinces=1, seed=7, out=tmp_path / "one")
    generate.generate(provinces=2, seed=7, out=tmp_path / "two")
    for name in ("agencies.csv", "targets.csv", "results.csv"):
        small = (tmp_path / "one" / name).read_bytes()
        assert (tmp_path / "two" / name).read_bytes().startswith(small)
        assert len((tmp_path / "two" / name).read_bytes()) > len(small)


def test_it_writes_the_formats_md_columns(generate, tmp_path):
    generate.generate(provinces=1, seed=7, out=tmp_path)
    headers = {
        name: (tmp_path / name).read_text(encoding="utf-8").splitlines()[0]
        for name in ("agencies.csv", "targets.csv", "results.csv")
    }
    assert headers == {
        "agencies.csv": "province_code,province_name,agency_code,agency_name,tier,parent_code,"
        "active_from,active_to",
        "targets.csv": "province_code,year,indicator_code,tiers,comparator,value,unit,note",
        "results.csv": "year,agency_code,indicator_code,value,numerator,denominator,note",
    }


def test_it_counts_what_it_wrote_and_halves_the_results(generate, tmp_path):
    counts = generate.generate(provinces=2, seed=7, out=tmp_path)
    assert counts == json.loads((tmp_path / "counts.json").read_text())
    assert counts["provinces"] == 2
    assert counts["agencies"] == len(rows(tmp_path / "agencies.csv"))
    assert counts["targets"] == len(rows(tmp_path / "targets.csv")) == 2 * 10 * 10
    results = rows(tmp_path / "results.csv")
    assert counts["results"] == len(results)
    assert rows(tmp_path / "results_half.csv") == results[: len(results) // 2]


def test_it_reports_only_in_the_years_an_agency_exists(generate, tmp_path):
    generate.generate(provinces=1, seed=7, out=tmp_path)
    agencies = {row["agency_code"]: row for row in rows(tmp_path / "agencies.csv")}
    merged = [row for row in agencies.values() if row["active_to"] == "2019"]
    created = [row for row in agencies.values() if row["active_from"] == "2020"]
    assert merged
    assert created
    for result in rows(tmp_path / "results.csv"):
        agency = agencies[result["agency_code"]]
        year = int(result["year"])
        assert not agency["active_to"] or year <= int(agency["active_to"])
        assert not agency["active_from"] or year >= int(agency["active_from"])


def test_it_has_the_63_provinces_with_their_own_codes(generate):
    codes = [code for code, _name in generate.PROVINCES]
    assert len(codes) == len(set(codes)) == 63
    assert dict(generate.PROVINCES)["91"] == "Kiên Giang"
    assert dict(generate.PROVINCES)["33"] == "Hưng Yên"


def test_it_refuses_a_province_count_out_of_range(generate, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(sys, "argv", ["generate.py", "--provinces", "64", "--out", str(tmp_path)])
    with pytest.raises(SystemExit) as exit_info:
        generate.main()
    assert exit_info.value.code == 2
    assert "--provinces must lie in 1..63" in capsys.readouterr().err
    assert not (tmp_path / "results.csv").exists()


@pytest.mark.django_db
def test_its_files_import_through_the_project_services(generate, tmp_path):
    counts = generate.generate(provinces=1, seed=7, out=tmp_path)
    with open(tmp_path / "agencies.csv", "rb") as source:
        assert agencies_import(source=source).created == counts["agencies"]
    with open(tmp_path / "targets.csv", "rb") as source:
        assert targets_import(source=source).created == counts["targets"]
    with open(tmp_path / "results.csv", "rb") as source:
        assert results_import(source=source).created == counts["results"]
    assert Agency.objects.count() == counts["agencies"]
    assert Plan.objects.count() == 10
    assert Target.objects.count() == counts["targets"]
    assert Result.objects.count() == counts["results"]
