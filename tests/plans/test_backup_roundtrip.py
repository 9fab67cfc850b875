"""A backup restores exactly: ``export_data``, an empty database, the four imports, same rows.

Notes hold what people paste into them (line breaks of every kind, tabs, quotes, commas, text
a spreadsheet would run, Vietnamese in either Unicode form); the catalogue holds an indicator
an admin added and a standard one an admin renamed. Text comes back in NFC, the form the data
contract stores, so it is compared in NFC.
"""

import csv
import importlib
import io
import unicodedata
from decimal import Decimal

import pytest
from django.apps import apps as django_apps
from django.core.management import call_command

from indicators.models import Indicator
from plans.files.csv_writing import CsvWriter
from plans.models import Agency, Change, Plan, Province, Result, Target
from plans.rules.tiers import format_tiers, parse_tiers
from plans.services.imports.indicators import FIELDS as INDICATOR_FIELDS

pytestmark = pytest.mark.django_db

FILES = ("indicators.csv", "agencies.csv", "provinces.csv", "targets.csv", "items.csv",
         "results.csv", "programmes.csv")
# In the order of a restore: each file names what the ones before it created.
RESTORE = (
    ("import_indicators", "indicators.csv"),
    ("import_agencies", "agencies.csv"),
    ("import_provinces", "provinces.csv"),
    ("import_targets", "targets.csv"),
    ("import_items", "items.csv"),
    ("import_results", "results.csv"),
    ("import_programmes", "programmes.csv"),
)

VIETNAMESE = "Ứng dụng CNTT ở cấp xã, phường — đạt 80%"
NOTES = [
    "dòng một\rdòng hai",  # a lone carriage return (old Mac line end, some copy-pastes)
    "dòng một\ndòng hai",
    "dòng một\r\ndòng hai",
    "=1+1\r=HYPERLINK(\"http://x\")",  # after the CR, a formula at the start of a line
    "cột một\tcột hai",
    'có "ngoặc kép", và dấu phẩy, cả ""hai""',
    "=SUM(A1:A9)",
    "+84 cuộc gọi",
    "-5 so với năm trước",
    "@cán bộ phụ trách",
    "'đã có dấu nháy",
    unicodedata.normalize("NFC", VIETNAMESE),
    unicodedata.normalize("NFD", VIETNAMESE),
    "a\r\rb\n\nc",
]


def read(path) -> str:
    """Return the text of ``path`` with its line ends as written (read_text turns \r into \n)."""
    with open(path, encoding="utf-8", newline="") as file:
        return file.read()


def nfc(value):
    return unicodedata.normalize("NFC", value) if isinstance(value, str) else value


def state():
    """Return every row the four files carry, field by field, text in NFC."""
    indicators = Indicator.objects.values_list("code", *INDICATOR_FIELDS, "predecessor__code",
                                               "from_year")
    agencies = Agency.objects.values_list(
        "province__code", "province__name", "code", "name", "tier", "parent__code",
        "active_from", "active_to",
    )
    targets = [
        (province, year, code, format_tiers(parse_tiers(tiers)), comparator, value, unit, note)
        for province, year, code, tiers, comparator, value, unit, note in Target.objects
        .values_list("plan__province__code", "plan__year", "indicator__code", "tiers",
                     "comparator", "value", "unit", "note")
    ]
    results = Result.objects.values_list(
        "year", "agency__code", "indicator__code", "value", "numerator", "denominator", "note",
    )
    return {
        name: sorted(tuple(nfc(field) for field in row) for row in rows)
        for name, rows in (("indicators", indicators), ("agencies", agencies),
                           ("targets", targets), ("results", results))
    }


def empty_database():
    """Delete everything a restore brings back, leaving the catalogue as migrations install it."""
    Change.objects.all().delete()
    Result.objects.all().delete()
    Target.objects.all().delete()
    Plan.objects.all().delete()
    Agency.objects.update(parent=None)
    Agency.objects.all().delete()
    Province.objects.all().delete()
    Indicator.objects.update(predecessor=None, from_year=None)
    Indicator.objects.all().delete()
    importlib.import_module("indicators.migrations.0002_standard_catalogue").install(
        django_apps, None
    )
    importlib.import_module("indicators.migrations.0005_indicator_predecessor").link(
        django_apps, None
    )


@pytest.fixture
def data(plan_a, agencies_a, agencies_b, indicator):
    """Province A's 2017 plan and results with hostile notes, and an admin's catalogue."""
    added = Indicator.objects.create(
        code="AI_SYSTEMS", name_vi="Hệ thống ứng dụng trí tuệ nhân tạo, \"AI\"",
        name_en="AI systems", group=Indicator.Group.SERVICES, kind=Indicator.Kind.COUNT,
        numerator_label="=Số hệ thống\r(đang chạy)", position=40,
    )
    renamed = indicator("LAN")
    renamed.name_vi = unicodedata.normalize("NFD", "Có mạng nội bộ (LAN), đã kiểm tra")
    renamed.save()
    Agency.objects.create(
        province=agencies_a["91-UBND"].province, code="91-TTCNTT",
        name="-Trung tâm CNTT, \"Sở TT&TT\"", tier="department", parent=agencies_a["91-STTTT"],
    )
    agencies = [agencies_a[code] for code in ("91-UBND", "91-SNV", "91-STTTT", "91-H899",
                                               "91-X30733")]
    indicators = list(Indicator.objects.filter(kind=Indicator.Kind.YES_NO)) + [added]
    for position, (target_indicator, note) in enumerate(zip(indicators, NOTES, strict=False)):
        unit = "count" if target_indicator.kind == Indicator.Kind.COUNT else "percent"
        Target.objects.create(
            plan=plan_a, indicator=target_indicator, tiers="department+district",
            comparator=">=", value=Decimal("12.5") if unit == "percent" else Decimal(3),
            unit=unit, note=note, position=position,
        )
    ratios = list(Indicator.objects.filter(kind=Indicator.Kind.RATIO))
    cells = [(agency, result_indicator) for result_indicator in [added, *ratios]
             for agency in agencies]
    for number, ((agency, result_indicator), note) in enumerate(zip(cells, NOTES, strict=False)):
        if result_indicator == added:
            Result.objects.create(year=2017, agency=agency, indicator=added, value=number,
                                  note=note)
        else:
            Result.objects.create(year=2017, agency=agency, indicator=result_indicator,
                                  numerator=number, denominator=20, note=note)
    Result.objects.create(year=2017, agency=agencies_b["33-SNV"], indicator=added, value=7,
                          note="Hưng Yên\r\n=ghi chú")


def test_the_four_files_restore_every_row_into_an_empty_database(data, tmp_path):
    before = state()
    assert len(before["results"]) == len(NOTES) + 1
    call_command("export_data", str(tmp_path))
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted(FILES)

    empty_database()
    assert state() != before
    for command, name in RESTORE:
        call_command(command, str(tmp_path / name))

    assert state() == before
    assert Indicator.objects.get(code="AI_SYSTEMS").position == 40


def test_the_restored_data_exports_to_the_same_files_and_a_second_restore_changes_nothing(
    data, tmp_path
):
    call_command("export_data", str(tmp_path / "first"))
    empty_database()
    for command, name in RESTORE:
        call_command(command, str(tmp_path / "first" / name))
    call_command("export_data", str(tmp_path / "second"))
    after = state()

    for command, name in RESTORE:
        out = io.StringIO()
        call_command(command, str(tmp_path / "first" / name), stdout=out)
        assert "tạo 0, sửa 0" in out.getvalue()
    assert state() == after
    # Only the NFD text differs: the first files hold it as stored, the second in NFC.
    for name in FILES:
        first = read(tmp_path / "first" / name)
        second = read(tmp_path / "second" / name)
        assert nfc(first) == second, name


def test_one_province_alone_restores_with_the_indicators_it_names(data, tmp_path):
    call_command("export_data", str(tmp_path), "--province=33")
    empty_database()
    for command, name in RESTORE:
        call_command(command, str(tmp_path / name))

    result = Result.objects.get()
    assert (result.agency.code, result.indicator.code, result.value, result.note) == (
        "33-SNV", "AI_SYSTEMS", 7, "Hưng Yên\r\n=ghi chú"
    )


def test_the_backup_files_carry_no_formula_guard(data, tmp_path):
    call_command("export_data", str(tmp_path))
    rows = {
        name: list(csv.reader(io.StringIO(read(tmp_path / name), newline="")))
        for name in FILES
    }
    notes = [row[-1] for row in rows["results.csv"][1:]]
    assert "=SUM(A1:A9)" in notes
    assert "+84 cuộc gọi" in notes
    assert "'đã có dấu nháy" in notes
    assert not any(note.startswith("'=") for note in notes)
    assert ["91", "Kiên Giang", "91-TTCNTT", "-Trung tâm CNTT, \"Sở TT&TT\"", "department",
            "91-STTTT", "", ""] in rows["agencies.csv"]
    assert rows["indicators.csv"][0] == ["code", *INDICATOR_FIELDS, "predecessor_code",
                                         "from_year"]
    added = next(row for row in rows["indicators.csv"] if row[0] == "AI_SYSTEMS")
    assert added[5] == "=Số hệ thống\r(đang chạy)"


def test_a_carriage_return_is_always_inside_a_quoted_field(data, tmp_path):
    call_command("export_data", str(tmp_path))
    for name in FILES:
        text = read(tmp_path / name)
        # Every record ends with "\n" alone; a "\r" is only ever inside quotes.
        for record in csv.reader(io.StringIO(text, newline=""), strict=True):
            assert len(record) > 1
        outside = text.split('"')[::2]
        assert not any("\r" in part for part in outside), name


def test_the_writer_quotes_a_lone_carriage_return_and_keeps_newline_line_ends():
    buffer = io.StringIO()
    writer = CsvWriter(buffer)
    writer.writerow(["2017", "91-SNV", "dòng một\rdòng hai"])
    writer.writerows([("2017", None, 3, "bình thường")])
    assert buffer.getvalue() == (
        '"2017","91-SNV","dòng một\rdòng hai"\n2017,,3,bình thường\n'
    )
    assert list(csv.reader(io.StringIO(buffer.getvalue(), newline=""))) == [
        ["2017", "91-SNV", "dòng một\rdòng hai"], ["2017", "", "3", "bình thường"],
    ]


def test_spaces_around_a_note_are_not_kept(agencies_a, indicator, tmp_path):
    """The imports trim every field; the forms and imports never store such spaces."""
    Result.objects.create(year=2017, agency=agencies_a["91-SNV"], indicator=indicator("LAN"),
                          value=1, note="  \tghi chú \r\n")
    call_command("export_data", str(tmp_path))
    Result.objects.all().delete()
    call_command("import_results", str(tmp_path / "results.csv"))
    assert Result.objects.get().note == "ghi chú"
