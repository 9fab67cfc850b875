"""The CSV writer of every file the application writes for programs to read back, and the
guard of text cells in files people open in a spreadsheet (:func:`csv_safe`).

Python's ``csv.writer`` quotes a field only for the characters of its own line ending: with
``lineterminator="\\n"`` a field holding a lone carriage return is written bare, and every CSV
reader (ours included) ends the record there — the rest of a note then starts a new line of
the file. The writer here keeps ``\\n`` line ends and quotes such a field.
"""

import csv
from collections.abc import Iterable
from typing import TextIO


class CsvWriter:
    """Write rows as ``csv.writer(file, lineterminator="\\n")`` does, quoting carriage returns."""

    def __init__(self, file: TextIO):
        self._plain = csv.writer(file, lineterminator="\n")
        # csv cannot quote one field alone: a row holding a carriage return is quoted whole,
        # which every reader reads back as the same values.
        self._quoted = csv.writer(file, lineterminator="\n", quoting=csv.QUOTE_ALL)

    def writerow(self, row: Iterable) -> None:
        row = tuple(row)
        if any("\r" in field for field in row if isinstance(field, str)):
            self._quoted.writerow(row)
        else:
            self._plain.writerow(row)

    def writerows(self, rows: Iterable[Iterable]) -> None:
        for row in rows:
            self.writerow(row)


# A spreadsheet reads a cell starting with one of these as a formula (CSV injection): the ASCII
# signs, their full-width forms (＝＋－＠, which spreadsheets with East Asian input read as the
# same signs), and a tab or carriage return before one.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def csv_safe(text: str) -> str:
    """Return ``text`` with a leading ``'`` if a spreadsheet would read it as a formula.

    Only for text cells: a number such as ``-1`` in a numeric column is left to the caller.
    Only for files people open (progress.csv and .xlsx, the entry templates): the backups of
    ``export_data`` are read back by the imports, which would keep the apostrophe.
    """
    if text and text.startswith(FORMULA_STARTS):
        return "'" + text
    return text
