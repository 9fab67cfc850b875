"""Read a CSV file in UTF-8 as rows of trimmed NFC text, under a ReadBudget.

The bytes are decoded a block of whole lines at a time and refused at the first line that is
not UTF-8; rows, columns, cells and characters are counted while reading. The separator is a
comma, a semicolon (Excel's list separator under Vietnamese regional settings) or a tab, told
from the header line.
"""


import codecs
import csv
import io
import itertools
import unicodedata
from collections.abc import Iterator, Sequence
from typing import IO

from django.utils.translation import gettext as _

from plans.services.tables.budget import FileError, ReadBudget, amount

READ_SIZE = 1 << 16
# In order of preference when the header does not tell.
SEPARATORS = (",", ";", "\t")


def csv_rows(
    stream: IO[bytes], start: bytes, budget: ReadBudget, *, columns: Sequence[str] = ()
) -> Iterator[tuple[int, list[str]]]:
    """Yield ``(line, fields)`` for every CSV record, decoding UTF-8 line by line.

    The separator is the one that splits the header line into most of ``columns``.
    """
    lines = _decoded_lines(stream, start, budget)
    header = next(lines, None)
    if header is None:
        return
    reader = csv.reader(
        itertools.chain([header], lines), delimiter=separator(header, columns), strict=True
    )
    line = 1
    records = cells = 0
    max_rows, max_columns, max_chars = budget.max_rows, budget.max_columns, budget.max_cell_chars
    try:
        for fields in reader:
            records += 1
            cells += len(fields)
            if records > max_rows:
                raise budget.refusal(
                    "max_rows", _("Tệp có hơn %(max)s dòng") % {"max": amount(max_rows)}
                )
            if len(fields) > max_columns:
                raise budget.refusal(
                    "max_columns",
                    _("Dòng %(line)s có hơn %(max)s cột")
                    % {"line": line, "max": amount(max_columns)},
                )
            if cells > budget.max_cells:
                raise budget.refusal(
                    "max_cells",
                    _("Tệp có hơn %(max)s ô") % {"max": amount(budget.max_cells)},
                )
            if fields and max(map(len, fields)) > max_chars:
                raise _long_cell(budget, line)
            # trimmed_nfc() inlined: this runs for every field of millions of rows. A row of
            # ASCII text alone (most rows) is told at once; NFC leaves ASCII text as it is.
            fields = list(map(str.strip, fields))
            if not "".join(fields).isascii():
                fields = [unicodedata.normalize("NFC", text) for text in fields]
            yield line, fields
            line = reader.line_num + 1
    except csv.Error as exc:
        # csv's own bound on a field (131,072 characters) is above any budget's.
        if "field limit" in str(exc):
            raise _long_cell(budget, reader.line_num or 1) from exc
        raise FileError(
            _("Dòng %(line)s không đọc được như CSV: có thể thiếu dấu ngoặc kép đóng, hoặc dấu "
              "ngoặc kép nằm giữa một giá trị không đặt trong ngoặc kép.")
            % {"line": reader.line_num or 1}
        ) from exc


def separator(header: str, columns: Sequence[str]) -> str:
    """Return the separator of ``SEPARATORS`` that splits ``header`` into most of ``columns``."""
    expected = set(columns)

    def found(candidate: str) -> int:
        try:
            names = next(csv.reader([header], delimiter=candidate), [])
        except csv.Error:
            # A field over csv's limit: not this separator (the read itself reports it).
            return -1
        return len(expected.intersection(name.strip().lower() for name in names))

    # max() keeps the first of equals: a comma unless another separator finds more columns.
    return max(SEPARATORS, key=found)


def _long_cell(budget: ReadBudget, line: int) -> FileError:
    return budget.refusal(
        "max_cell_chars",
        _("Dòng %(line)s có một ô hơn %(max)s ký tự")
        % {"line": line, "max": amount(budget.max_cell_chars)},
    )


def _decoded_lines(stream: IO[bytes], start: bytes, budget: ReadBudget) -> Iterator[str]:
    """Yield the text lines of ``stream`` (after ``start``), refusing anything but UTF-8.

    The bytes are decoded a block of whole lines at a time. UTF-8 never uses the byte of
    "\\n" inside a multi-byte letter, so a block cut after a "\\n" holds whole letters, and
    the offset of an undecodable byte tells its line. A line longer than any record within
    the budget could be (every field at its longest, quotes doubled, four bytes a letter) is
    refused before it is held whole; so is a file of more characters than the budget allows.
    """
    buffer = start[len(codecs.BOM_UTF8):] if start.startswith(codecs.BOM_UTF8) else start
    max_line_bytes = budget.max_columns * (2 * budget.max_cell_chars + 3) * 4
    lines_before = 0
    chars = 0
    while True:
        chunk = stream.read(READ_SIZE)
        buffer += chunk
        if chunk:
            cut = buffer.rfind(b"\n") + 1
            block, buffer = buffer[:cut], buffer[cut:]
            if len(buffer) > max_line_bytes:
                raise budget.refusal(
                    "max_cell_chars",
                    _("Dòng %(line)s quá dài: có ô hơn %(chars)s ký tự hoặc hơn %(columns)s "
                      "cột")
                    % {"line": lines_before + block.count(b"\n") + 1,
                       "chars": amount(budget.max_cell_chars),
                       "columns": amount(budget.max_columns)},
                )
        else:
            block, buffer = buffer, b""
        if block:
            text = _decode(block, lines_before)
            chars += len(text)
            if chars > budget.max_total_chars:
                raise budget.refusal(
                    "max_total_chars",
                    _("Tệp có hơn %(max)s ký tự") % {"max": amount(budget.max_total_chars)},
                )
            # Each line keeps its ending: a quoted field may run over several lines.
            yield from io.StringIO(text, newline="")
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
