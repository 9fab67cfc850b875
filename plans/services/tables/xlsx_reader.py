"""Read one sheet of an XLSX workbook as rows of text, streaming, under a ReadBudget.

The sheet read is the first whose name is one of the names asked for (in any case, with or
without diacritics: "Kết quả", "ket qua"), else the first worksheet.

Why not openpyxl, which the project uses to write: the budget. Everything read from outside is
counted and refused while it is read, before it is believed (sizes, rows, columns, characters,
parts, XML nesting). openpyxl's reader offers no place to do that: it loads the shared strings
and the styles whole before the first row and sets no limit on what a part expands to, so a
small file that expands to gigabytes is in memory before anything can refuse it. (Its other
known fault, padding every row to the width a sheet declares, would be fixed by
``reset_dimensions()`` on a read-only sheet; that alone would not justify this module.) Here
the zip directory is checked first (sizes, compression ratio, method), each part is
decompressed a block at a time into an expat parser whose handlers count rows, cells and
characters (:mod:`plans.services.tables.sheet` for the sheet itself), and the XML's nesting,
attributes, elements and unfinished tags (:mod:`plans.files.xml_budget`); a sheet's declared
dimension is ignored. Anything malformed, from a corrupt compressed stream to a cell address
like ``QQQQQQ77777777``, raises :class:`FileError` with a message naming the part or the cell.
"""


import io
import posixpath
import struct
import unicodedata
import zipfile
import zlib
from collections.abc import Callable, Iterator, Sequence
from typing import IO, Any, NoReturn
from xml.parsers import expat
from xml.parsers.expat import XMLParserType

from django.utils.translation import gettext as _
from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format, is_timedelta_format
from openpyxl.utils.datetime import MAC_EPOCH, WINDOWS_EPOCH

from plans.files.xml_budget import XmlCounter, XmlLimits, XmlOverBudget
from plans.files.zip_directory import NoZipDirectory, zip_directory
from plans.services.tables.budget import FileError, ReadBudget, amount, megabytes
from plans.services.tables.sheet import (
    DATE,
    DURATION,
    GENERAL,
    PERCENT,
    SheetRows,
    local_names,
    malformed_workbook,
    quoted_start,
    trimmed_nfc,
)

READ_SIZE = 1 << 16
RELATIONSHIP_ID = {
    f"{namespace} id"
    for namespace in (
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
        "http://purl.oclc.org/ooxml/officeDocument/relationships",
    )
}
PACKAGE_RELATIONSHIP = "http://schemas.openxmlformats.org/package/2006/relationships Relationship"
# A workbook is a few dozen parts. These bound the zip directory Python reads whole, and the
# sheets, relationships and cell formats held while the workbook is opened.
MAX_PARTS = 10_000
MAX_DIRECTORY_BYTES = 1024 * 1024
MAX_CELL_FORMATS = 65_536
# Excel allows 31 characters; a longer name from another program is cut, not refused.
MAX_SHEET_NAME = 100
# Below this size a part's compression ratio says nothing: small XML compresses well.
RATIO_CHECKED_FROM = 1024 * 1024
# Built-in number formats that show a percentage (0% and 0.00%).
PERCENT_FORMAT_IDS = {9, 10}
# Excel writes the Deflate method only; others (bzip2, LZMA) decompress without a bound on the
# output of one read.
READABLE_METHODS = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED}
STRING_NAMES = local_names("si", "t", "rPh")
WORKBOOK_NAMES = local_names("sheet", "workbookPr")
STYLE_NAMES = local_names("numFmt", "cellXfs", "xf")


def xlsx_rows(
    stream: IO[bytes], start: bytes, budget: ReadBudget, *, sheet_names: Sequence[str] = (),
    on_sheet: Callable[[str], None] | None = None,
) -> Iterator[tuple[int, list[str]]]:
    """Yield ``(row number, fields)`` for the rows of one sheet that hold a value.

    The sheet is the first named one of ``sheet_names``, else the first; when the workbook has
    several worksheets, ``on_sheet`` is called with the name of the one read. Row 1 is always
    yielded first (empty if the sheet has nothing there): it must be the header. Raise
    FileError for a workbook that is malformed or over ``budget``.
    """
    try:
        archive = _open_archive(stream, start, budget)
        with archive:
            first = True
            workbook = _Workbook(archive, budget)
            for number, fields in workbook.sheet_rows(sheet_names, on_sheet):
                if first and number != 1:
                    yield 1, []
                first = False
                yield number, fields
    except FileError:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, struct.error, KeyError,
            ValueError, OverflowError, IndexError, NotImplementedError, RuntimeError,
            expat.ExpatError) as exc:
        raise FileError(_not_a_workbook()) from exc


def folded(name: str) -> str:
    """Return a sheet name without case, diacritics or surrounding spaces: "Kết quả" → "ket qua"."""
    letters = unicodedata.normalize("NFD", name.strip().lower().replace("đ", "d"))
    return "".join(letter for letter in letters if not unicodedata.combining(letter))


def _not_a_workbook() -> str:
    return _(
        "Không đọc được tệp Excel: tệp hỏng hoặc không phải sổ làm việc .xlsx. Hãy lưu lại "
        "bằng Excel dưới dạng .xlsx hoặc “CSV UTF-8”."
    )


# --- the zip container ---------------------------------------------------------------------


def _open_archive(stream: IO[bytes], start: bytes, budget: ReadBudget) -> zipfile.ZipFile:
    """Return the zip archive of ``stream``, its directory checked before Python reads it."""
    if stream.seekable():
        stream.seek(stream.tell() - len(start))
    else:
        stream = _copied(stream, start, budget)
    try:
        entries, directory_size = zip_directory(stream)
    except NoZipDirectory:
        raise FileError(_not_a_workbook()) from None
    # zipfile reads the whole directory and makes an object per entry: bound it first. A
    # ZIP64 directory, which no workbook needs, has its markers here, over both.
    if directory_size > MAX_DIRECTORY_BYTES or entries > MAX_PARTS:
        raise malformed_workbook(_("tệp nén có quá nhiều phần."))
    archive = zipfile.ZipFile(stream)
    if len(archive.infolist()) > MAX_PARTS:
        archive.close()
        raise malformed_workbook(_("tệp nén có quá nhiều phần."))
    return archive


def _copied(stream: IO[bytes], start: bytes, budget: ReadBudget) -> io.BytesIO:
    """Return a seekable copy of a stream that cannot seek; zipfile needs to seek."""
    copy = io.BytesIO()
    copy.write(start)
    while chunk := stream.read(READ_SIZE):
        copy.write(chunk)
        if copy.tell() > budget.max_part_bytes:
            raise budget.refusal(
                "max_part_bytes",
                _("Tệp lớn hơn %(max)s MB") % {"max": megabytes(budget.max_part_bytes)},
            )
    copy.seek(0)
    return copy


def _parser(part: str) -> XMLParserType:
    """Return an expat parser that refuses any DOCTYPE or entity declaration."""

    def refuse(*args: object) -> NoReturn:
        raise malformed_workbook(
            _("phần %(part)s có khai báo DOCTYPE hoặc thực thể XML, điều Excel không bao giờ "
              "ghi.") % {"part": part}
        )

    parser = expat.ParserCreate(namespace_separator=" ")
    # Text of one element arrives in a few large pieces rather than many small ones.
    parser.buffer_text = True
    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.UnparsedEntityDeclHandler = refuse
    parser.ExternalEntityRefHandler = refuse
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    return parser


class _Workbook:
    """The parts of an open workbook that tell where its first sheet is and how to read it."""

    def __init__(self, archive: zipfile.ZipFile, budget: ReadBudget):
        self.archive = archive
        self.budget = budget
        # The elements of all the parts read are counted together.
        self.xml = XmlCounter(XmlLimits.of(budget))

    def feed(self, name: str, parser: XMLParserType) -> Iterator[None]:
        """Feed part ``name`` to ``parser`` a block at a time, yielding after each block.

        The directory's sizes are checked before reading, and the bytes are counted while
        reading in case the directory lies.
        """
        budget = self.budget
        info = self.archive.getinfo(name)
        if info.compress_type not in READABLE_METHODS:
            raise malformed_workbook(
                _("phần %(part)s được nén theo cách Excel không dùng.") % {"part": name}
            )
        if info.file_size > budget.max_part_bytes:
            raise self._too_large(name)
        if (
            info.file_size >= RATIO_CHECKED_FROM
            and info.file_size > budget.max_compression_ratio * max(info.compress_size, 1)
        ):
            raise budget.refusal(
                "max_compression_ratio",
                _("Phần %(part)s của tệp Excel nén nhỏ đi hơn %(max)s lần, bất thường với một "
                  "bảng số liệu") % {"part": name, "max": amount(budget.max_compression_ratio)},
            )
        read = 0
        self.xml.watch(parser)
        try:
            with self.archive.open(info) as part:
                while chunk := part.read(READ_SIZE):
                    read += len(chunk)
                    if read > budget.max_part_bytes:
                        raise self._too_large(name)
                    parser.Parse(chunk, False)
                    self.xml.fed(parser, read)
                    yield
            parser.Parse(b"", True)
        except XmlOverBudget as over:
            raise self._xml_refusal(name, over) from None
        except expat.ExpatError as exc:
            raise malformed_workbook(
                _("phần %(part)s không phải XML hợp lệ (dòng %(line)s, cột %(column)s của phần "
                  "đó); có thể tệp bị cắt cụt.")
                % {"part": name, "line": exc.lineno, "column": exc.offset}
            ) from exc
        except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
            raise malformed_workbook(
                _("phần %(part)s không giải nén được.") % {"part": name}
            ) from exc
        yield

    def read(self, name: str, handler: Any) -> None:
        """Parse part ``name`` whole with ``handler``'s start, end and text methods."""
        parser = _parser(name)
        parser.StartElementHandler = handler.start
        if hasattr(handler, "end"):
            parser.EndElementHandler = handler.end
        if hasattr(handler, "text"):
            parser.CharacterDataHandler = handler.text
        for _block in self.feed(name, parser):
            pass

    def _too_large(self, name: str) -> FileError:
        return self.budget.refusal(
            "max_part_bytes",
            _("Phần %(part)s của tệp Excel giải nén ra hơn %(max)s MB")
            % {"part": name, "max": megabytes(self.budget.max_part_bytes)},
        )

    def _xml_refusal(self, name: str, over: XmlOverBudget) -> FileError:
        maximum = amount(over.maximum)
        problem = {
            "max_xml_depth": _("Phần %(part)s của tệp Excel lồng các phần tử XML sâu hơn "
                               "%(max)s cấp"),
            "max_xml_attributes": _("Phần %(part)s của tệp Excel có một phần tử XML với hơn "
                                    "%(max)s thuộc tính"),
            "max_xml_elements": _("Tệp Excel có hơn %(max)s phần tử XML"),
            "max_xml_tag_bytes": _("Phần %(part)s của tệp Excel có một thẻ XML dài hơn "
                                   "%(max)s byte"),
        }[over.limit]
        return self.budget.refusal(over.limit, problem % {"part": name, "max": maximum})

    def relationships(self, source: str) -> dict[str, tuple[str, str]]:
        """Return the relationships of part ``source``: id → (type, part name)."""
        folder, file_name = posixpath.split(source)
        name = posixpath.join(folder, "_rels", file_name + ".rels")
        if name not in self.archive.NameToInfo:
            return {}
        handler = _Relationships(folder)
        self.read(name, handler)
        return handler.found

    def sheet_rows(
        self, names: Sequence[str], on_sheet: Callable[[str], None] | None,
    ) -> Iterator[tuple[int, list[str]]]:
        """Yield the rows holding a value of the worksheet chosen (chart sheets are not tables)."""
        package = self.relationships("")
        workbook = next(
            (target for kind, target in package.values() if kind.endswith("/officeDocument")),
            "xl/workbook.xml",
        )
        contents = _WorkbookContents()
        self.read(workbook, contents)
        related = self.relationships(workbook)
        worksheets = [
            (name, related[rid][1]) for name, rid in contents.sheets
            if rid in related and related[rid][0].endswith("/worksheet")
        ]
        if not worksheets:
            raise FileError(_not_a_workbook())
        wanted = {folded(name) for name in names}
        name, sheet = next(
            (worksheet for worksheet in worksheets if folded(worksheet[0]) in wanted),
            worksheets[0],
        )
        if len(worksheets) > 1 and on_sheet is not None:
            on_sheet(trimmed_nfc(name))
        strings = styles = None
        for kind, target in related.values():
            if kind.endswith("/sharedStrings") and strings is None:
                strings = target
            elif kind.endswith("/styles") and styles is None:
                styles = target
        formats = _Styles()
        if styles in self.archive.NameToInfo:
            self.read(styles, formats)
        shared = _SharedStrings(self.budget)
        if strings in self.archive.NameToInfo:
            self.read(strings, shared)
        rows = SheetRows(
            self.budget, strings=shared.strings, kinds=formats.kinds(),
            epoch=MAC_EPOCH if contents.date1904 else WINDOWS_EPOCH,
        )
        parser = _parser(sheet)
        parser.StartElementHandler = rows.start
        parser.EndElementHandler = rows.end
        parser.CharacterDataHandler = rows.text
        for _block in self.feed(sheet, parser):
            if rows.pending:
                yield from rows.pending
                rows.pending = []


class _Relationships:
    """Collect the relationships of a ``.rels`` part, their targets made part names."""

    def __init__(self, folder: str):
        self.folder = folder
        self.found: dict[str, tuple[str, str]] = {}

    def start(self, name: str, attrs: dict[str, str]) -> None:
        if name != PACKAGE_RELATIONSHIP or attrs.get("TargetMode") == "External":
            return
        if len(self.found) >= MAX_PARTS:
            raise malformed_workbook(_("tệp có quá nhiều liên kết giữa các phần."))
        target = attrs.get("Target", "")
        if target.startswith("/"):
            target = target[1:]
        else:
            target = posixpath.normpath(posixpath.join(self.folder, target))
        self.found[attrs.get("Id", "")] = (attrs.get("Type", ""), target)


class _WorkbookContents:
    """Collect the sheets of ``workbook.xml`` in order (name, relationship), and its dates."""

    def __init__(self) -> None:
        self.sheets: list[tuple[str, str]] = []
        self.date1904 = False

    def start(self, name: str, attrs: dict[str, str]) -> None:
        local = WORKBOOK_NAMES.get(name)
        if local == "sheet":
            if len(self.sheets) >= MAX_PARTS:
                raise malformed_workbook(_("sổ làm việc có quá nhiều trang tính."))
            self.sheets.append((
                attrs.get("name", "")[:MAX_SHEET_NAME],
                next((attrs[key] for key in RELATIONSHIP_ID if key in attrs), ""),
            ))
        elif local == "workbookPr":
            self.date1904 = attrs.get("date1904", "").lower() in ("1", "true")


class _Styles:
    """Collect the number format of each cell format (``cellXfs``) of ``styles.xml``."""

    def __init__(self) -> None:
        self.custom: dict[int, str] = {}
        self.format_ids: list[int] = []
        self.in_cell_formats = False

    def start(self, name: str, attrs: dict[str, str]) -> None:
        local = STYLE_NAMES.get(name)
        if local == "numFmt":
            if len(self.custom) >= MAX_CELL_FORMATS:
                raise malformed_workbook(_("tệp có quá nhiều định dạng số."))
            self.custom[self._id(attrs)] = attrs.get("formatCode", "")
        elif local == "cellXfs":
            self.in_cell_formats = True
        elif local == "xf" and self.in_cell_formats:
            if len(self.format_ids) >= MAX_CELL_FORMATS:
                raise malformed_workbook(_("tệp có quá nhiều định dạng ô."))
            self.format_ids.append(self._id(attrs))

    def end(self, name: str) -> None:
        if STYLE_NAMES.get(name) == "cellXfs":
            self.in_cell_formats = False

    @staticmethod
    def _id(attrs: dict[str, str]) -> int:
        text = attrs.get("numFmtId", "0")
        if not (text.isascii() and text.isdigit() and len(text) <= 9):
            raise malformed_workbook(
                _("định dạng số “%(id)s” không hợp lệ.") % {"id": quoted_start(text)}
            )
        return int(text)

    def kinds(self) -> list[int]:
        """Return, for each cell format, whether its numbers are percentages, dates or plain."""
        kinds = []
        for format_id in self.format_ids:
            code = self.custom.get(format_id, BUILTIN_FORMATS.get(format_id, ""))
            if format_id in PERCENT_FORMAT_IDS or "%" in code:
                kinds.append(PERCENT)
            elif is_timedelta_format(code):
                kinds.append(DURATION)
            elif is_date_format(code):
                kinds.append(DATE)
            else:
                kinds.append(GENERAL)
        return kinds


class _SharedStrings:
    """Collect the shared strings of a workbook, cleaned, counting strings and characters."""

    def __init__(self, budget: ReadBudget):
        self.budget = budget
        self.strings: list[str] = []
        self.parts: list[str] | None = None  # the text of the string being read
        self.collecting = False
        self.phonetic = False
        self.chars = 0
        self.total = 0

    def start(self, name: str, attrs: dict[str, str]) -> None:
        local = STRING_NAMES.get(name)
        if local == "si":
            if len(self.strings) >= self.budget.max_shared_strings:
                raise self.budget.refusal(
                    "max_shared_strings",
                    _("Bảng chuỗi dùng chung của tệp Excel có hơn %(max)s chuỗi")
                    % {"max": amount(self.budget.max_shared_strings)},
                )
            self.parts = []
            self.chars = 0
        elif local == "t":
            # The phonetic guide (rPh) of East Asian text is not part of the value.
            self.collecting = self.parts is not None and not self.phonetic
        elif local == "rPh":
            self.phonetic = True

    def end(self, name: str) -> None:
        local = STRING_NAMES.get(name)
        if local == "t":
            self.collecting = False
        elif local == "rPh":
            self.phonetic = False
        elif local == "si" and self.parts is not None:
            self.strings.append(trimmed_nfc("".join(self.parts)))
            self.parts = None

    def text(self, data: str) -> None:
        if not self.collecting:
            return
        budget = self.budget
        self.chars += len(data)
        self.total += len(data)
        if self.chars > budget.max_cell_chars:
            raise budget.refusal(
                "max_cell_chars",
                _("Chuỗi dùng chung số %(index)s của tệp Excel có hơn %(max)s ký tự")
                % {"index": amount(len(self.strings)), "max": amount(budget.max_cell_chars)},
            )
        if self.total > budget.max_shared_chars:
            raise budget.refusal(
                "max_shared_chars",
                _("Bảng chuỗi dùng chung của tệp Excel có hơn %(max)s ký tự")
                % {"max": amount(budget.max_shared_chars)},
            )
        assert self.parts is not None  # collecting only inside a string (<si>)
        self.parts.append(data)
