"""Turn the XML of one worksheet into rows of text, counting rows, cells and characters.

:class:`SheetRows` holds the expat handlers :mod:`plans.services.tables.xlsx_reader` feeds a
sheet through. A cell becomes the text a CSV would hold (see :func:`cell_text`); a malformed
cell or row raises :class:`FileError` naming it, and so does going over the
:class:`ReadBudget`.
"""

import math
import unicodedata
from datetime import date, datetime, time
from decimal import Decimal

from django.utils.translation import gettext as _
from openpyxl.utils.datetime import from_excel, from_ISO8601

from plans.services.tables.budget import FileError, ReadBudget, amount

MAIN = (
    "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "http://purl.oclc.org/ooxml/spreadsheetml/main",  # "Strict Open XML"
)
# Excel's own bounds: XFD is column 16,384.
MAX_SHEET_ROW = 1_048_576
MAX_SHEET_COLUMN = 16_384
# What a cell format makes of a number, decided once per format (see xlsx_reader._Styles).
GENERAL, PERCENT, DATE, DURATION = range(4)
DIGITS = "0123456789"


def local_names(*names: str) -> dict[str, str]:
    """Return the expat names (namespace, space, name) of ``names`` mapped to the names."""
    return {f"{namespace} {name}": name for namespace in MAIN for name in names}


def _column_letters() -> dict[str, int]:
    letters = {}
    for number in range(1, MAX_SHEET_COLUMN + 1):
        letters[column_name(number)] = number
    return letters


def column_name(number: int) -> str:
    """Return the letters of column ``number`` (1 is A)."""
    name = ""
    while number:
        number, digit = divmod(number - 1, 26)
        name = chr(65 + digit) + name
    return name


COLUMNS = _column_letters()


class Formula(str):
    """The text of a workbook cell that holds a formula (``=1+1``), and the cell's name."""

    cell: str

    def __new__(cls, text: str, cell: str) -> "Formula":
        formula = super().__new__(cls, text)
        formula.cell = cell
        return formula


def trimmed_nfc(text: str) -> str:
    """Return ``text`` trimmed of surrounding spaces and in Unicode NFC."""
    text = text.strip()
    # ASCII text is already NFC; skipping the call matters at millions of fields.
    return text if text.isascii() else unicodedata.normalize("NFC", text)


def malformed_workbook(problem: str) -> FileError:
    """Return the FileError of a workbook whose content is malformed, saying what to do."""
    return FileError(
        _("Tệp Excel bị hỏng: %(problem)s Hãy mở tệp bằng Excel rồi lưu lại dưới dạng .xlsx "
          "hoặc “CSV UTF-8”.") % {"problem": problem}
    )


def quoted_start(text: str) -> str:
    """Return at most the start of ``text``, to quote a value from the file in a message."""
    return text if len(text) <= 20 else text[:20] + "…"


def row_number(text: str) -> int | None:
    """Return the row number ``text`` (1 to 1,048,576), or None if it is not one."""
    if text.isascii() and text.isdigit() and len(text) <= 7 and text[0] != "0":
        number = int(text)
        if number <= MAX_SHEET_ROW:
            return number
    return None


def list_index(text: str) -> int | None:
    """Return ``text`` as a list index, or None if it is not a short run of digits."""
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 9 else None


class SheetRows:
    """The expat handlers of one worksheet; completed rows wait in ``pending``.

    Only rows holding a value are kept, as ``(row number, fields)``, each field at its
    column's place; a sheet's declared dimension is ignored.
    """

    def __init__(
        self, budget: ReadBudget, *, strings: list[str], kinds: list[int], epoch: datetime,
    ) -> None:
        self.budget = budget
        self.strings = strings
        self.kinds = kinds
        self.epoch = epoch
        self.pending: list[tuple[int, list[str]]] = []
        self.rows_read = 0
        self.cells_read = 0
        self.total = 0
        self.number = 0  # of the current (or last) row
        self.number_text = ""  # the same as written in the file
        self.row: list[str] | None = None
        self.column = 0  # of the current (or last) cell in the row
        self.cell_type = "n"
        self.style: str | None = None
        self.value: list[str] | None = None
        self.formula: list[str] | None = None
        self.parts: list[str] | None = None  # where the text being read goes
        self.inline = False
        self.phonetic = False
        self.chars = 0
        self.starts = {}
        self.ends = {}
        for name, local in local_names("row", "c", "v", "f", "is", "t", "rPh").items():
            self.starts[name] = getattr(self, f"start_{local}")
            self.ends[name] = getattr(self, f"end_{local}")

    def start(self, name: str, attrs: dict[str, str]) -> None:
        handler = self.starts.get(name)
        if handler is not None:
            handler(attrs)

    def end(self, name: str) -> None:
        handler = self.ends.get(name)
        if handler is not None:
            handler()

    def text(self, data: str) -> None:
        if self.parts is None:
            return
        self.chars += len(data)
        if self.chars > self.budget.max_cell_chars:
            raise self.budget.refusal(
                "max_cell_chars",
                _("Ô %(cell)s có hơn %(max)s ký tự")
                % {"cell": self.cell_name(), "max": amount(self.budget.max_cell_chars)},
            )
        self.parts.append(data)

    def cell_name(self) -> str:
        return f"{column_name(self.column)}{self.number}"

    # --- rows ---

    def start_row(self, attrs: dict[str, str]) -> None:
        budget = self.budget
        self.rows_read += 1
        if self.rows_read > budget.max_rows:
            raise budget.refusal(
                "max_rows", _("Tệp có hơn %(max)s dòng") % {"max": amount(budget.max_rows)}
            )
        text = attrs.get("r")
        number: int | None
        if text is None:
            number = self.number + 1
            text = str(number)
        else:
            number = row_number(text)
            if number is None:
                raise malformed_workbook(
                    _("số dòng “%(row)s” không hợp lệ.") % {"row": quoted_start(text)}
                )
        if number <= self.number:
            raise malformed_workbook(
                _("dòng %(row)s đứng sau dòng %(previous)s; các dòng phải theo thứ tự.")
                % {"row": number, "previous": self.number}
            )
        self.number = number
        self.number_text = text
        self.row = []
        self.column = 0

    def end_row(self) -> None:
        if self.row:
            self.pending.append((self.number, self.row))
        self.row = None

    # --- cells ---

    def start_c(self, attrs: dict[str, str]) -> None:
        if self.row is None:
            raise malformed_workbook(_("có ô nằm ngoài mọi dòng."))
        self.cells_read += 1
        if self.cells_read > self.budget.max_cells:
            raise self.budget.refusal(
                "max_cells",
                _("Tệp có hơn %(max)s ô") % {"max": amount(self.budget.max_cells)},
            )
        reference = attrs.get("r")
        column: int | None
        if reference is None:
            column = self.column + 1
        else:
            letters = reference.rstrip(DIGITS)
            column = COLUMNS.get(letters) or COLUMNS.get(letters.upper())
            digits = reference[len(letters):]
            # The digits are nearly always the row's own, already checked.
            if column is None or (digits != self.number_text and row_number(digits) is None):
                raise malformed_workbook(
                    _("địa chỉ ô “%(cell)s” không hợp lệ (cột từ A đến XFD, dòng từ 1 đến "
                      "1048576).") % {"cell": quoted_start(reference)}
                )
        if column <= self.column:
            raise malformed_workbook(
                _("ô %(cell)s lặp lại hoặc đứng sai thứ tự trong dòng %(row)s.")
                % {"cell": f"{column_name(column)}{self.number}", "row": self.number}
            )
        self.column = column
        self.cell_type = attrs.get("t", "n")
        self.style = attrs.get("s")
        self.value = self.formula = None
        self.chars = 0

    def end_c(self) -> None:
        self.parts = None
        if self.formula is not None:
            # A formula's result is whatever Excel last computed, if it saved one at all:
            # the importers refuse it rather than guess.
            text: str = Formula("=" + "".join(self.formula), self.cell_name())
        elif self.value is None:
            return
        else:
            text = self.cell_text("".join(self.value))
        if not text:
            return
        budget = self.budget
        if self.column > budget.max_columns:
            raise budget.refusal(
                "max_columns",
                _("Dòng %(line)s có hơn %(max)s cột (ô %(cell)s)")
                % {"line": self.number, "max": amount(budget.max_columns),
                   "cell": self.cell_name()},
            )
        self.total += len(text)
        if self.total > budget.max_total_chars:
            raise budget.refusal(
                "max_total_chars",
                _("Tệp có hơn %(max)s ký tự") % {"max": amount(budget.max_total_chars)},
            )
        row = self.row
        assert row is not None  # start_c refuses a cell outside a row
        if len(row) < self.column - 1:
            row.extend([""] * (self.column - 1 - len(row)))
        row.append(text)

    def start_v(self, attrs: dict[str, str]) -> None:
        self.parts = self.value = []

    def start_f(self, attrs: dict[str, str]) -> None:
        self.parts = self.formula = []

    def start_is(self, attrs: dict[str, str]) -> None:
        self.inline = True
        self.value = []

    def start_t(self, attrs: dict[str, str]) -> None:
        # The phonetic guide (rPh) of East Asian text is not part of the value.
        if self.inline and not self.phonetic:
            self.parts = self.value

    def start_rPh(self, attrs: dict[str, str]) -> None:
        self.phonetic = True

    def end_v(self) -> None:
        self.parts = None

    end_f = end_t = end_v

    def end_is(self) -> None:
        self.inline = False

    def end_rPh(self) -> None:
        self.phonetic = False

    # --- values ---

    def cell_text(self, raw: str) -> str:
        """Return the text of the current cell, whose raw value is ``raw``."""
        kind = self.cell_type
        if kind == "n":
            return self.number_value(raw) if raw else ""
        if kind == "s":
            position = list_index(raw)
            if position is None or position >= len(self.strings):
                raise malformed_workbook(
                    _("ô %(cell)s trỏ tới chuỗi dùng chung số %(index)s, nhưng tệp chỉ có "
                      "%(count)s chuỗi dùng chung.")
                    % {"cell": self.cell_name(), "index": quoted_start(raw),
                       "count": amount(len(self.strings))}
                )
            # Shared strings are cleaned once, when they are read.
            return self.strings[position]
        if kind == "b":
            if raw not in ("0", "1"):
                raise malformed_workbook(
                    _("ô %(cell)s ghi giá trị đúng/sai “%(value)s”, không phải 0 hoặc 1.")
                    % {"cell": self.cell_name(), "value": quoted_start(raw)}
                )
            return cell_text(raw == "1")
        if kind == "d":
            try:
                return cell_text(from_ISO8601(raw))
            except ValueError:
                raise malformed_workbook(
                    _("ô %(cell)s ghi ngày “%(value)s” không hợp lệ.")
                    % {"cell": self.cell_name(), "value": quoted_start(raw)}
                ) from None
        # Strings (inline, or a formula's saved text) and errors such as #N/A.
        return trimmed_nfc(raw)

    def number_value(self, raw: str) -> str:
        """Return the text of a number cell, as Excel shows it given the cell's format."""
        try:
            # As Excel writes them: 2017 for a whole number, 2.5 or 1E-3 otherwise.
            value = float(raw) if ("." in raw or "e" in raw or "E" in raw) else int(raw)
        except ValueError:
            value = None
        if value is None:
            if raw.strip().lower().lstrip("+-") in ("nan", "inf", "infinity"):
                raise self.not_finite(raw)
            raise malformed_workbook(
                _("ô %(cell)s ghi “%(value)s”, không phải một số.")
                % {"cell": self.cell_name(), "value": quoted_start(raw)}
            )
        if isinstance(value, float) and not math.isfinite(value):
            raise self.not_finite(raw)
        kind = self.kind()
        if kind == PERCENT:
            # The cell shows 80% but holds 0.8: it is read as the 80 a person sees.
            value = float(Decimal(repr(value)) * 100)
            if not math.isfinite(value):
                raise self.not_finite(raw)
        elif kind in (DATE, DURATION):
            try:
                value = from_excel(value, self.epoch, timedelta=kind == DURATION)
            except (OverflowError, ValueError):
                raise malformed_workbook(
                    _("ô %(cell)s có định dạng ngày nhưng giá trị “%(value)s” không phải một "
                      "ngày.") % {"cell": self.cell_name(), "value": quoted_start(raw)}
                ) from None
        return cell_text(value)

    def not_finite(self, raw: str) -> FileError:
        return malformed_workbook(
            _("ô %(cell)s ghi “%(value)s”, không phải một số hữu hạn.")
            % {"cell": self.cell_name(), "value": quoted_start(raw)}
        )

    def kind(self) -> int:
        """Return what the current cell's format makes of a number (GENERAL, PERCENT, ...)."""
        style = self.style
        if not style or style == "0" and not self.kinds:
            return GENERAL
        position = list_index(style)
        if position is None or position >= len(self.kinds):
            raise malformed_workbook(
                _("ô %(cell)s dùng định dạng số %(style)s, không có trong tệp.")
                % {"cell": self.cell_name(), "style": quoted_start(style)}
            )
        return self.kinds[position]


def cell_text(value: object) -> str:
    """Return a cell's value as the text a CSV would hold.

    Excel stores every number as a float, so 2017 may arrive as 2017.0: whole floats are
    written without the ``.0``; other floats keep their shortest exact form (2.5, 12.55).
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return trimmed_nfc(str(value))
