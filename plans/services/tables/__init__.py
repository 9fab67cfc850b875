"""Read an uploaded table (CSV in UTF-8, or XLSX) as a stream of normalised rows.

The importers do not care which of the two formats a person saved: both come out of
:func:`read_table` as ``(line, fields)`` pairs, ``line`` being the physical line (CSV) or row
number (XLSX) with the header on line 1, and every field trimmed and in Unicode NFC. Rows are
produced one at a time so that memory does not grow with the file, and every read is counted
against a :class:`ReadBudget` (rows, columns, characters) while it reads.

The readers: :mod:`.csv_reader` (CSV in UTF-8, separated by commas, semicolons or tabs),
:mod:`.xlsx_reader` and :mod:`.sheet` (one sheet of a workbook), :mod:`.budget` (what a read
may cost); :mod:`plans.files.columns` lists the columns of each file.
"""


import codecs
import io
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import IO

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from plans.services.tables.budget import FileError, ReadBudget
from plans.services.tables.csv_reader import csv_rows
from plans.services.tables.sheet import Formula, trimmed_nfc
from plans.services.tables.xlsx_reader import xlsx_rows

__all__ = ["FileError", "Formula", "ReadBudget", "TableSource", "read_table", "trimmed_nfc"]

# What a table is read from: its bytes, or a binary file object.
TableSource = bytes | IO[bytes]

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


def read_table(
    source: TableSource, *, columns: Sequence[str], budget: ReadBudget | None = None,
    sheet_names: Sequence[str] = (), on_sheet: Callable[[str], None] | None = None,
    ignored: Sequence[str] = (), optional: Sequence[str] = (),
) -> Iterator:
    """Return an iterator of ``(line, fields, problem)`` for the data rows of ``source``.

    ``source`` is ``bytes`` or a binary file object. ``fields`` lists the values in the order of
    ``columns``; it is ``None`` when the row cannot be read as such, and ``problem`` says why
    (more or fewer fields than the header, a formula in a workbook cell). Fully blank rows are
    skipped. Raise :class:`FileError` for an unreadable file or a header with missing, unknown
    or duplicated columns; the iterator raises it for an undecodable line, a malformed
    workbook, or a file over ``budget`` (by default the import commands' budget).

    Columns named in ``ignored`` may be present too; their values are dropped. Columns named in
    ``optional`` may be present or not: their values follow ``columns``' in ``fields``, each
    ``None`` for every row when the header lacks it (a blank cell is "").

    Of a workbook, the sheet read is the first named one of ``sheet_names`` (in any case, with
    or without diacritics), else the first; with several worksheets ``on_sheet`` is told which.
    """
    budget = budget or ReadBudget.command()
    stream = io.BytesIO(source) if isinstance(source, bytes | bytearray) else source
    start = stream.read(4)
    if start.startswith(XLSX_SIGNATURE):
        raw_rows = xlsx_rows(
            stream, start, budget, sheet_names=sheet_names, on_sheet=on_sheet
        )
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
        raw_rows = csv_rows(stream, start, budget, columns=columns)
        pad = False

    first = next(raw_rows, None)
    if first is None:
        raise FileError(_("Tệp rỗng: không có dòng tiêu đề."))
    header = first[1]
    order = _column_order(header, columns, ignored, optional)
    return _data_rows(raw_rows, order, len(header), pad=pad)


def _column_order(
    header: list[str], columns: Sequence[str], ignored: Sequence[str] = (),
    optional: Sequence[str] = (),
) -> list[int | None]:
    """Return, for each expected column then each optional one, its index in ``header`` (None:
    an optional column the file lacks); raise FileError if the header is wrong.

    Names are matched in any case; a message quotes them as the file writes them.
    """
    keys = [name.lower() for name in header]
    if not any(keys):
        raise FileError(
            _("Dòng 1 phải là dòng tiêu đề với các cột: %(columns)s.")
            % {"columns": ",".join(columns)},
            line=1,
        )
    problems = []
    # Counted in one pass: the header's width is bounded, but not by a small number.
    counts = Counter(keys)
    duplicated = sorted(
        {_quoted(name) for name, key in zip(header, keys, strict=True) if key and counts[key] > 1}
    )
    if duplicated:
        problems.append(
            _("cột bị lặp: %(names)s") % {"names": ", ".join(duplicated)}
        )
    present = set(keys)
    missing = [column for column in columns if column not in present and column not in optional]
    if missing:
        problems.append(_("thiếu cột: %(names)s") % {"names": ", ".join(missing)})
    expected = {*columns, *ignored, *optional}
    unknown = [
        _quoted(name) or _("(cột không tên)")
        for name, key in zip(header, keys, strict=True) if key not in expected
    ]
    if unknown:
        problems.append(_("cột không hợp lệ: %(names)s") % {"names": ", ".join(unknown)})
    if problems:
        raise FileError(
            _("Dòng tiêu đề không đúng (%(problems)s). Các cột cần có: %(columns)s.")
            % {"problems": "; ".join(problems), "columns": ",".join(columns)},
            line=1,
        )
    position = {key: index for index, key in enumerate(keys)}
    return [position[column] for column in columns] + [
        position.get(column) for column in optional
    ]


def _quoted(name: str) -> str:
    """Return a header name as a message quotes it: a name of thousands of letters cut short."""
    return name if len(name) <= 40 else name[:40] + "…"


def _data_rows(
    raw_rows: Iterable[tuple[int, list[str]]], order: list[int | None], width: int, *, pad: bool,
) -> Iterator:
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
            yield line, [None if i is None else fields[i] for i in order], None


def _formulas_problem(formulas: list["Formula"]) -> str:
    cells = ", ".join(f"{formula.cell} ({formula})" for formula in formulas)
    return _(
        "Ô %(cells)s chứa công thức, không phải giá trị. Hãy chép các ô đó và dán đặc biệt "
        "chỉ giá trị (Paste Special → Values), rồi tải lên lại."
    ) % {"cells": cells}


