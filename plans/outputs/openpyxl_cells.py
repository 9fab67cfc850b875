"""Cells of sheets written with openpyxl (the results template): text never a formula.

The progress workbook is streamed by :mod:`plans.files.xlsx_writing`; these helpers write the
same cells (numbers as numbers, text as guarded strings, the same styles) through openpyxl, for
a sheet that needs what that writer leaves out (data validation, protection).
"""

from decimal import Decimal

from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font

from plans.files.xlsx_writing import DECIMAL_FORMAT, FORMULA_PREFIXES, Number, Style


def write_text(cell, text) -> None:
    """Set ``cell`` to ``text`` as a string, never a formula, whatever it starts with.

    openpyxl stores a string starting with "=" as a formula; forcing the string type writes it
    as text, and the quote prefix keeps it text when someone edits the cell in Excel.
    """
    text = "" if text is None else str(text)
    cell.value = text
    cell.data_type = "s"
    if text.startswith(FORMULA_PREFIXES):
        cell.quotePrefix = True


def _font(style: Style) -> Font:
    return Font(bold=style.bold, size=style.size)


def _alignment(style: Style) -> Alignment | None:
    return Alignment(wrap_text=True, vertical="top") if style.wrap else None


def row_cells(sheet, values, *, font: Style | None = None, alignment: Style | None = None) -> list:
    """Return ``values`` as cells to append to the write-only openpyxl ``sheet``.

    A :class:`Number` keeps its format; other numbers stay numbers (a Decimal with decimals
    shows one: "0.0"); everything else is guarded text, blanks stay empty; the font of
    ``font`` (bold, size) and the alignment of ``alignment`` (wrapped, top) style every
    non-empty cell.
    """
    cells: list[object] = []  # openpyxl's write-only cells, None for a blank
    for value in values:
        if value is None or value == "":
            cells.append(None)
            continue
        cell = WriteOnlyCell(sheet)
        if isinstance(value, Number):
            cell.value = value.value
            cell.number_format = value.number_format
        elif isinstance(value, int | float | Decimal) and not isinstance(value, bool):
            cell.value = value
            if isinstance(value, Decimal):
                exponent = value.as_tuple().exponent
                assert isinstance(exponent, int)  # a stored figure is finite, never NaN
                if exponent < 0:
                    cell.number_format = DECIMAL_FORMAT
        else:
            write_text(cell, value)
        if font is not None:
            cell.font = _font(font)
        if alignment is not None and (aligned := _alignment(alignment)) is not None:
            cell.alignment = aligned
        cells.append(cell)
    return cells
