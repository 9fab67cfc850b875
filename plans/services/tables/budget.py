"""The work a file read may cost, and the refusal of a file that is unreadable or over it.

Every table read from outside (a web upload, a file given to an import command) is read under a
:class:`ReadBudget`. The readers count while they read, so a hostile file is refused after a
bounded amount of work, before any of it is believed. The two profiles are in the settings
(``READ_BUDGETS``); README.md lists them.
"""

from dataclasses import dataclass, fields

from django.conf import settings
from django.utils import formats
from django.utils.translation import gettext as _


class FileError(Exception):
    """The file as a whole cannot be read; ``message`` says why and what to do.

    ``line`` is the line at fault when there is one (1 for the header), else 0.
    """

    def __init__(self, message: str, *, line: int = 0):
        super().__init__(message)
        self.message = message
        self.line = line


@dataclass(frozen=True)
class ReadBudget:
    """The limits of one read; ``scope`` is the key of its profile in ``READ_BUDGETS``."""

    scope: str
    # Rows of the table: CSV records, or row elements of the sheet (blank ones included).
    max_rows: int
    # Fields of a row, the header included; in a workbook, the column of a non-empty cell.
    max_columns: int
    # Fields of all rows together; in a workbook, the cell elements of the sheet, empty or not.
    max_cells: int
    max_cell_chars: int
    # Characters of all the cells together (a workbook's shared strings counted at every use).
    max_total_chars: int
    max_shared_strings: int
    max_shared_chars: int
    # Uncompressed size of each part of a workbook, and its size over its compressed size.
    max_part_bytes: int
    max_compression_ratio: int
    # XML of a workbook: nesting depth, attributes of one element, elements of all its parts
    # together, bytes of one tag (expat holds a tag whole, attributes and all, until its end).
    max_xml_depth: int
    max_xml_attributes: int
    max_xml_elements: int
    max_xml_tag_bytes: int

    @classmethod
    def web(cls) -> "ReadBudget":
        """Return the budget of a file uploaded on the website."""
        return cls(scope="web", **settings.READ_BUDGETS["web"])

    @classmethod
    def command(cls) -> "ReadBudget":
        """Return the budget of a file given to an import command."""
        return cls(scope="command", **settings.READ_BUDGETS["command"])

    def refusal(self, limit: str, problem: str) -> FileError:
        """Return the FileError for ``problem``, naming the profile of ``limit`` and what to do.

        ``limit`` is the field of the budget that was exceeded.
        """
        if self.scope == "web":
            scope = _("giới hạn khi tải lên trang web")
            advice = _("hãy chia nhỏ tệp hoặc nhờ quản trị viên dùng lệnh import_results.")
        else:
            scope = _("giới hạn của lệnh nhập, đặt bằng %(setting)s") % {
                "setting": self.setting_name(limit)
            }
            advice = _("hãy chia nhỏ tệp hoặc tăng giới hạn đó.")
        return FileError(
            _("%(problem)s (%(scope)s); %(advice)s")
            % {"problem": problem, "scope": scope, "advice": advice}
        )

    def setting_name(self, limit: str) -> str:
        """Return the environment variable that sets ``limit`` in this profile."""
        if limit not in {field.name for field in fields(self)} - {"scope"}:
            raise ValueError(limit)
        return f"READ_{self.scope.upper()}_{limit.upper()}"


def amount(number: int) -> str:
    """Return ``number`` grouped by thousands the way the active language writes it."""
    return formats.number_format(number, use_l10n=True, force_grouping=True)


def megabytes(size: int) -> str:
    """Return ``size`` bytes as whole megabytes (MiB), grouped by thousands."""
    return amount(size // (1024 * 1024))
