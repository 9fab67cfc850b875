"""Read an uploaded table (CSV in UTF-8, or XLSX) as a stream of normalised rows.

The importers do not care which of the two formats a person saved: both come out of
:func:`read_table` as ``(line, fields)`` pairs, ``line`` being the physical line (CSV) or row
number (XLSX) with the header on line 1, and every field trimmed and in Unicode NFC. Rows are
produced one at a time so that memory does not grow with the file.
"""

import codecs
import csv
import io
import unicodedata
import zipfile
from collections.abc import Iterator, Sequence
from datetime import date, datetime, time
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

XLSX_SIGNATURE = b"PK\x03\x04"
XLS_SIGNATURE = b"\xd0\xcf\x11\xe0"
UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
# Files people upload by mistake, recognised by their first bytes.
NOT_TABLES = {
    b"%PDF": "PDF",
    b"\x89PNG": gettext_lazy("PNG (ảnh)"),
    b"\xff\xd8\xff": gettext_lazy("JPEG (ảnh)"),
    b"GIF8": gettext_lazy("GIF (ảnh)"),
}
READ_SIZE = 1 << 16


class Formula(str):
    """The text of a workbook cell that holds a formula (``=1+1``), and the cell's name."""

    def __new__(cls, text: str, cell: str):
        formula = super().__new__(cls, text)
        formula.cell = cell
        return formula


class FileError(Exception):
    """The file as a whole cannot be read; ``message`` says why and what to do."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def clean(text: str) -> str:
    """Return ``text`` trimmed of surrounding spaces and in Unicode NFC."""
    text = text.strip()
    # ASCII text is already NFC; skipping the call matters at millions of fields.
    return text if text.isascii() else unicodedata.normalize("NFC", text)


def read_table(source, *, columns: Sequence[str]) -> Iterator:
    """Return an iterator of ``(line, fields, problem)`` for the data rows of ``source``.

    ``source`` is ``bytes`` or a binary file object. ``fields`` lists the values in the order of
    ``columns``; it is ``None`` when the row cannot be read as such, and ``problem`` says why
    (more or fewer fields than the header, a formula in a workbook cell). Fully blank rows are
    skipped. Raise :class:`FileError` for an unreadable file or a header with missing, unknown
    or duplicated columns; the iterator raises it for an undecodable line.
    """
    stream = io.BytesIO(source) if isinstance(source, bytes | bytearray) else source
    start = stream.read(4)
    if start.startswith(XLSX_SIGNATURE):
        raw_rows = _xlsx_rows(stream, start)
        # Excel does not keep empty cells at the end of a row: a short row is padded.
        pad = True
    elif start.startswith(tuple(NOT_TABLES)):
        kind = next(kind for signature, kind in NOT_TABLES.items() if start.startswith(signature))
        raise FileError(
            _(
                "Tệp không phải UTF-8 mà là một tệp %(kind)s, không phải bảng số liệu. Hãy tải "
                "lên bảng dưới dạng “CSV UTF-8 (phân tách bằng dấu phẩy)” hoặc Excel .xlsx."
            )
            % {"kind": kind}
        )
    elif start.startswith(XLS_SIGNATURE):
        raise FileError(
            _(
                "Tệp Excel 97–2003 (.xls) không được hỗ trợ. Hãy mở tệp trong Excel và lưu lại "
                "dưới dạng “Sổ làm việc Excel (.xlsx)” hoặc “CSV UTF-8”."
            )
        )
    elif start.startswith(UTF16_BOMS):
        raise FileError(
            _(
                "Tệp được lưu bằng mã UTF-16 (“Unicode Text”), không phải UTF-8. Khi lưu trong "
                "Excel, hãy chọn “CSV UTF-8 (phân tách bằng dấu phẩy)”."
            )
        )
    else:
        raw_rows = _csv_rows(stream, start)
        pad = False

    first = next(raw_rows, None)
    if first is None:
        raise FileError(_("Tệp rỗng: không có dòng tiêu đề."))
    header = first[1]
    return _data_rows(raw_rows, _column_order(header, columns), len(header), pad=pad)


def _column_order(header: list[str], columns: Sequence[str]) -> list[int]:
    """Return, for each expected column, its index in ``header``; raise FileError if wrong."""
    names = [name.lower() for name in header]
    if not any(names):
        raise FileError(
            _("Dòng 1 phải là dòng tiêu đề với các cột: %(columns)s.")
            % {"columns": ",".join(columns)}
        )
    problems = []
    duplicated = sorted({name for name in names if name and names.count(name) > 1})
    if duplicated:
        problems.append(
            _("cột bị lặp: %(names)s") % {"names": ", ".join(duplicated)}
        )
    missing = [column for column in columns if column not in names]
    if missing:
        problems.append(_("thiếu cột: %(names)s") % {"names": ", ".join(missing)})
    unknown = [name or _("(cột không tên)") for name in names if name not in columns]
    if unknown:
        problems.append(_("cột không hợp lệ: %(names)s") % {"names": ", ".join(unknown)})
    if problems:
        raise FileError(
            _("Dòng tiêu đề không đúng (%(problems)s). Các cột cần có: %(columns)s.")
            % {"problems": "; ".join(problems), "columns": ",".join(columns)}
        )
    return [names.index(column) for column in columns]


def _data_rows(raw_rows, order: list[int], width: int, *, pad: bool) -> Iterator:
    in_order = order == list(range(width))
    for line, fields in raw_rows:
        if not any(fields):
            continue
        if pad:
            formulas = [field for field in fields if isinstance(field, Formula)]
            if formulas:
                yield line, None, _formulas_problem(formulas)
                continue
            if len(fields) < width:
                fields += [""] * (width - len(fields))
        if len(fields) != width:
            yield line, None, _(
                "Dòng có %(found)s trường nhưng tiêu đề có %(expected)s cột. Kiểm tra dấu phẩy "
                "thừa hoặc thiếu (một giá trị có dấu phẩy phải đặt trong ngoặc kép)."
            ) % {"found": len(fields), "expected": width}
        elif in_order:
            yield line, fields, None
        else:
            yield line, [fields[i] for i in order], None


def _formulas_problem(formulas: list["Formula"]) -> str:
    cells = ", ".join(f"{formula.cell} ({formula})" for formula in formulas)
    return _(
        "Ô %(cells)s chứa công thức, không phải giá trị. Hãy chép các ô đó và dán đặc biệt "
        "chỉ giá trị (Paste Special → Values), rồi tải lên lại."
    ) % {"cells": cells}


def _csv_rows(stream, start: bytes) -> Iterator[tuple[int, list[str]]]:
    """Yield ``(line, fields)`` for every CSV record, decoding UTF-8 line by line."""
    reader = csv.reader(_decoded_lines(stream, start), strict=True)
    line = 1
    try:
        for fields in reader:
            # clean() inlined: this runs for every field of millions of rows.
            yield line, [
                text if text.isascii() else unicodedata.normalize("NFC", text)
                for text in map(str.strip, fields)
            ]
            line = reader.line_num + 1
    except csv.Error as exc:
        raise FileError(
            _("Dòng %(line)s không đọc được như CSV: có thể thiếu dấu ngoặc kép đóng, hoặc dấu "
              "ngoặc kép nằm giữa một giá trị không đặt trong ngoặc kép.")
            % {"line": reader.line_num or 1}
        ) from exc


def _decoded_lines(stream, start: bytes) -> Iterator[str]:
    """Yield the text lines of ``stream`` (after ``start``), refusing anything but UTF-8.

    The bytes are decoded a block of whole lines at a time. UTF-8 never uses the byte of
    "\\n" inside a multi-byte letter, so a block cut after a "\\n" holds whole letters, and
    the offset of an undecodable byte tells its line.
    """
    buffer = start[len(codecs.BOM_UTF8):] if start.startswith(codecs.BOM_UTF8) else start
    lines_before = 0
    while True:
        chunk = stream.read(READ_SIZE)
        buffer += chunk
        if chunk:
            cut = buffer.rfind(b"\n") + 1
            block, buffer = buffer[:cut], buffer[cut:]
        else:
            block, buffer = buffer, b""
        if block:
            # Each line keeps its ending: a quoted field may run over several lines.
            yield from io.StringIO(_decode(block, lines_before), newline="")
            lines_before += block.count(b"\n")
        if not chunk:
            return


def _decode(block: bytes, lines_before: int) -> str:
    """Return ``block`` decoded, or raise FileError naming the first line that is not UTF-8."""
    try:
        text = block.decode("utf-8")
        bad = len(block)
    except UnicodeDecodeError as exc:
        text = None
        bad = exc.start
    nul = block.find(b"\x00", 0, bad)
    if nul >= 0:
        # UTF-16 without a byte-order mark: every other byte of Latin text is zero.
        raise FileError(
            _(
                "Tệp không phải UTF-8 (dòng %(line)s có ký tự NUL, thường gặp khi tệp "
                "được lưu bằng UTF-16). Khi lưu trong Excel, hãy chọn “CSV UTF-8 (phân "
                "tách bằng dấu phẩy)”."
            )
            % {"line": lines_before + block.count(b"\n", 0, nul) + 1}
        )
    if text is None:
        raise FileError(
            _(
                "Tệp không phải UTF-8 (dòng %(line)s không đọc được). Excel tiếng Việt "
                "thường lưu bằng Windows-1258 hoặc TCVN3: hãy chọn “CSV UTF-8 (phân tách "
                "bằng dấu phẩy)” khi lưu."
            )
            % {"line": lines_before + block.count(b"\n", 0, bad) + 1}
        )
    return text


def _xlsx_rows(stream, start: bytes) -> Iterator[tuple[int, list[str]]]:
    """Yield ``(row number, fields)`` of the first sheet of an XLSX workbook."""
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    if stream.seekable():
        stream.seek(stream.tell() - len(start))
    else:
        # openpyxl needs to seek inside the zip; XLSX is compressed, so holding it is cheap.
        stream = io.BytesIO(start + stream.read())
    try:
        workbook = openpyxl.load_workbook(stream, read_only=True, data_only=False)
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows()
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError,
            IndexError) as exc:
        raise FileError(
            _(
                "Không đọc được tệp Excel: tệp hỏng hoặc không phải sổ làm việc .xlsx. Hãy lưu "
                "lại bằng Excel dưới dạng .xlsx hoặc “CSV UTF-8”."
            )
        ) from exc
    try:
        for number, cells in enumerate(rows, start=1):
            fields = [
                # A formula's result is whatever Excel last computed, if it saved one at all:
                # refuse it rather than guess.
                Formula(cell.value, cell.coordinate) if cell.data_type == "f"
                else _cell_text(cell.value, cell.number_format)
                for cell in cells
            ]
            # Excel keeps formatted but empty cells at the end of a row; they are not fields.
            while fields and not fields[-1]:
                fields.pop()
            yield number, fields
    finally:
        workbook.close()


def _cell_text(value, number_format: str | None = None) -> str:
    """Return a cell's value as the text a CSV would hold.

    Excel stores every number as a float, so 2017 arrives as 2017.0: whole floats are written
    without the ``.0``; other floats keep their shortest exact form (2.5, 12.55). A cell
    formatted as a percentage shows 80% but holds 0.8: it is read as the 80 a person sees.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float) and number_format and "%" in number_format:
        value = float(Decimal(repr(value)) * 100)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return clean(str(value))
