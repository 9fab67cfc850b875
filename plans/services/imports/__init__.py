"""Import indicators, agencies, targets and results from the CSV/XLSX files of docs/FORMATS.md.

Every import is all-or-nothing: rows are read and checked in chunks of a few thousand (a handful
of queries per chunk, never one per row), written while no error has been found, and if any row
anywhere is wrong the whole import is rolled back and :class:`ImportRefused` carries every error
with its line number. Re-importing the same file finds every row unchanged and writes nothing.

Management commands and the web upload page call these functions as they are. One module per
importer (``indicators``, ``agencies``, ``targets``, ``results`` with its check half
``result_checks``); ``rows`` holds what they
share: the rows of a file, the report, the errors and the parsers of values.
"""

from plans.services.imports.agencies import agencies_import
from plans.services.imports.indicators import indicators_import
from plans.services.imports.items import items_import
from plans.services.imports.results import (
    NEWER_KEEP,
    NEWER_OVERWRITE,
    NEWER_REFUSE,
    ChangesDiffer,
    ResultChange,
    ResultConflict,
    results_import,
)
from plans.services.imports.rows import ImportRefused, ImportReport, Progress, RowError
from plans.services.imports.targets import targets_import
from plans.services.tables import FileError, ReadBudget

__all__ = [
    "NEWER_KEEP",
    "NEWER_OVERWRITE",
    "NEWER_REFUSE",
    "ChangesDiffer",
    "FileError",
    "ImportRefused",
    "ImportReport",
    "Progress",
    "ReadBudget",
    "ResultChange",
    "ResultConflict",
    "RowError",
    "agencies_import",
    "indicators_import",
    "items_import",
    "results_import",
    "targets_import",
]
