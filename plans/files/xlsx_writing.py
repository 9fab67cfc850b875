"""Writing an XLSX workbook, streamed: sheets of text and numbers, set up to read and to print.

What the progress workbook needs and nothing more: several sheets written one after another,
each with its column widths, header rows frozen in view, a header row repeated on every printed
page and its page set-up (orientation, paper, fit to the page's width, margins); cells of text
(inline strings) and numbers, styled bold, in a larger bold title size, wrapped and top-aligned,
and with a number format ("0.0", "0%", "#,##0"...); the time the workbook was made.

A row is written as it is appended, by plain string building, into the deflated part of its
sheet: memory holds one sheet's pending rows (a few hundred at most), however long the sheet.
openpyxl, which writes the same cells through an XML tree writer, costs several times more per
cell.

Text is never a formula: every string is written as a string cell, whatever it starts with, and
one that a spreadsheet would read as a formula if it were typed (``=``, ``+``, ``-``, ``@``,
their full-width forms, a tab or a carriage return) also gets the quote prefix, which keeps it
text when someone edits the cell. Characters that XML 1.0 cannot hold (control characters other
than tab, line feed and carriage return, lone surrogates, U+FFFE and U+FFFF) are dropped.
"""

import datetime
import math
import re
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from io import BytesIO
from typing import NamedTuple

# Characters that make a spreadsheet read a typed cell as a formula (or a DDE command),
# full-width forms included: some spreadsheets read "＝1+1" as "=1+1".
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
# Deflate level: 1 is about twice as fast as 6 for a file a few per cent larger.
COMPRESSLEVEL = 1
# A Decimal with decimals is shown with one, as the workbook's figures are.
DECIMAL_FORMAT = "0.0"
# Rows gathered before they go to the compressor together.
ROWS_PER_WRITE = 256
# Number formats Excel knows by number; any other is declared in the styles from 164 on.
BUILTIN_FORMATS = {"General": 0, "0": 1, "0.00": 2, "#,##0": 3, "#,##0.00": 4, "0%": 9,
                   "0.00%": 10}
DEFAULT_FONT_SIZE = 11
# What a sheet's name may not hold, and its longest length.
SHEET_NAME_FORBIDDEN = set("[]:*?/\\")
SHEET_NAME_MAX = 31

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"
XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
SHEET_CONTENT = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"

# What XML text cannot hold as it is: markup, a carriage return (which a reader would turn into
# a line feed), and the characters XML 1.0 forbids.
_SPECIAL = re.compile("[&<>\"\r\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_REPLACEMENTS = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\r": "&#13;"}


def _replace(match: re.Match) -> str:
    return _REPLACEMENTS.get(match.group(), "")


def xml_text(text: str) -> str:
    """Return ``text`` escaped for XML text or a quoted attribute, forbidden characters dropped."""
    if _SPECIAL.search(text) is None:
        return text
    return _SPECIAL.sub(_replace, text)


@dataclass(frozen=True)
class Style:
    """How a cell looks: bold, a font size in points (None: the default 11), wrapped text
    aligned to the top of the cell."""

    bold: bool = False
    size: int | None = None
    wrap: bool = False


PLAIN = Style()


class Number(NamedTuple):
    """A number to write with its Excel number format (a percentage as a fraction: 0.8)."""

    value: int | Decimal | float
    number_format: str


@dataclass(frozen=True)
class PageSetup:
    """How a sheet prints: A4 is paper size 9; margins in inches; fit to one page wide and as
    many pages down as the rows need."""

    landscape: bool = True
    paper_size: int = 9
    fit_to_width: bool = True
    margins: dict = field(default_factory=lambda: {
        "left": 0.5, "right": 0.5, "top": 0.75, "bottom": 0.75, "header": 0.3, "footer": 0.3,
    })


def column_letter(number: int) -> str:
    """Return the letters of the column ``number`` (1 is A, 27 is AA)."""
    letters = ""
    while number:
        number, remainder = divmod(number - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


class Styles:
    """The cell formats used so far, numbered as the styles part lists them (0: plain)."""

    def __init__(self) -> None:
        self.formats: dict[tuple, int] = {(PLAIN, "General", False): 0}

    def index(self, style: Style, number_format: str = "General", quoted: bool = False) -> int:
        key = (style, number_format, quoted)
        found = self.formats.get(key)
        if found is None:
            found = self.formats[key] = len(self.formats)
        return found

    def xml(self) -> str:
        fonts: dict[tuple, int] = {(False, DEFAULT_FONT_SIZE): 0}
        number_formats: dict[str, int] = {}
        cell_formats = []
        for style, number_format, quoted in self.formats:
            font = fonts.setdefault((style.bold, style.size or DEFAULT_FONT_SIZE), len(fonts))
            format_id = BUILTIN_FORMATS.get(number_format)
            if format_id is None:
                format_id = number_formats.setdefault(number_format, 164 + len(number_formats))
            attributes = f'numFmtId="{format_id}" fontId="{font}" fillId="0" borderId="0" xfId="0"'
            if format_id:
                attributes += ' applyNumberFormat="1"'
            if font:
                attributes += ' applyFont="1"'
            if quoted:
                attributes += ' quotePrefix="1"'
            if style.wrap:
                cell_formats.append(f'<xf {attributes} applyAlignment="1">'
                                    '<alignment vertical="top" wrapText="1"/></xf>')
            else:
                cell_formats.append(f"<xf {attributes}/>")
        font_xml = "".join(
            f'<font>{"<b/>" if bold else ""}<sz val="{size}"/><name val="Calibri"/>'
            f'<family val="2"/></font>'
            for bold, size in fonts
        )
        format_xml = "".join(
            f'<numFmt numFmtId="{number}" formatCode="{xml_text(code)}"/>'
            for code, number in number_formats.items()
        )
        return (
            f'{XML_DECLARATION}<styleSheet xmlns="{MAIN}">'
            + (f'<numFmts count="{len(number_formats)}">{format_xml}</numFmts>'
               if number_formats else "")
            + f'<fonts count="{len(fonts)}">{font_xml}</fonts>'
            '<fills count="2"><fill><patternFill patternType="none"/></fill>'
            '<fill><patternFill patternType="gray125"/></fill></fills>'
            '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border>'
            '</borders>'
            '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
            '</cellStyleXfs>'
            f'<cellXfs count="{len(cell_formats)}">{"".join(cell_formats)}</cellXfs>'
            '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/>'
            '</cellStyles></styleSheet>'
        )


class Sheet:
    """One sheet being written: append its rows in order, then open the next sheet or close the
    workbook."""

    def __init__(self, book: "WorkbookWriter", stream, *, selected: bool, widths,
                 frozen_rows: int, page: PageSetup | None) -> None:
        self._book = book
        self._stream = stream
        self._styles = book.styles
        self._page = page
        self._row = 0
        self._pending: list[str] = []
        self._letters = [column_letter(number) for number in range(1, 27)]
        self._text_formats: dict[Style, tuple[int, int]] = {}
        self._numbers: dict[Style, dict[str, str]] = {}
        view = '<sheetView workbookViewId="0"' + (' tabSelected="1"' if selected else "")
        if frozen_rows:
            top = f"A{frozen_rows + 1}"
            view += (f'><pane ySplit="{frozen_rows}" topLeftCell="{top}" activePane="bottomLeft"'
                     f' state="frozen"/><selection pane="bottomLeft" activeCell="{top}"'
                     f' sqref="{top}"/></sheetView>')
        else:
            view += "/>"
        columns = "".join(
            f'<col min="{number}" max="{number}" width="{width}" customWidth="1"/>'
            for number, width in enumerate(widths, 1)
        )
        fit = ('<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>'
               if page and page.fit_to_width else "")
        self._write(
            f'{XML_DECLARATION}<worksheet xmlns="{MAIN}" xmlns:r="{RELATIONSHIPS}">{fit}'
            f'<sheetViews>{view}</sheetViews><sheetFormatPr defaultRowHeight="15"/>'
            + (f"<cols>{columns}</cols>" if columns else "")
            + "<sheetData>"
        )

    def _write(self, text: str) -> None:
        self._stream.write(text.encode("utf-8", "surrogatepass"))

    def _text_format(self, style: Style) -> tuple[int, int]:
        """Return the format numbers of text in ``style``: plain, and quote-prefixed."""
        found = self._text_formats.get(style)
        if found is None:
            found = self._text_formats[style] = (
                self._styles.index(style), self._styles.index(style, quoted=True)
            )
        return found

    def _number_attributes(self, style: Style) -> dict[str, str]:
        """Return the style attribute of a number in ``style``, by number format."""
        found = self._numbers.get(style)
        if found is None:
            plain = self._styles.index(style)
            found = self._numbers[style] = {"General": f' s="{plain}"' if plain else ""}
        return found

    def append(self, values, style: Style = PLAIN) -> None:
        """Write the next row: a :class:`Number` with its format, an int, float or Decimal as a
        number (a Decimal with decimals formatted "0.0"), None and "" as an empty cell,
        anything else (a bool too) as text; every non-empty cell in ``style``."""
        self._row += 1
        row = str(self._row)
        letters = self._letters
        while len(letters) < len(values):
            letters.append(column_letter(len(letters) + 1))
        plain, quoted = self._text_format(style)
        text_attribute = f' s="{plain}"' if plain else ""
        numbers = self._number_attributes(style)
        cells = [f'<row r="{row}">']
        for letter, value in zip(letters, values, strict=False):
            if value is None:
                continue
            kind = type(value)
            if kind is int:
                cells.append(f'<c r="{letter}{row}"{numbers["General"]}><v>{value}</v></c>')
                continue
            if kind is Number:
                number_format = value.number_format
                value = value.value
                kind = type(value)
            elif kind is Decimal:
                exponent = value.as_tuple().exponent
                number_format = (
                    DECIMAL_FORMAT if isinstance(exponent, int) and exponent < 0 else "General"
                )
            elif kind is float:
                number_format = "General"
            else:
                text = value if kind is str else str(value)
                escaped = xml_text(text)
                if not escaped:
                    continue
                attribute = (f' s="{quoted}"' if text.startswith(FORMULA_PREFIXES)
                             else text_attribute)
                space = ' xml:space="preserve"' if text[0] <= " " or text[-1] <= " " else ""
                cells.append(f'<c r="{letter}{row}"{attribute} t="inlineStr"><is><t{space}>'
                             f"{escaped}</t></is></c>")
                continue
            if kind is not int and not (
                (kind is float and math.isfinite(value))
                or (kind is Decimal and value.is_finite())
            ):
                raise ValueError(f"a cell cannot hold the number {value!r}")
            found = numbers.get(number_format)
            if found is None:
                found = numbers[number_format] = (
                    f' s="{self._styles.index(style, number_format)}"'
                )
            cells.append(f'<c r="{letter}{row}"{found}><v>{value}</v></c>')
        cells.append("</row>")
        self._pending.append("".join(cells))
        if len(self._pending) >= ROWS_PER_WRITE:
            self._flush()

    def _flush(self) -> None:
        if self._pending:
            self._write("".join(self._pending))
            self._pending.clear()

    def discard(self) -> None:
        """Stop writing the sheet, finished or not."""
        self._pending.clear()
        self._stream.close()

    def close(self) -> None:
        self._flush()
        tail = "</sheetData>"
        page = self._page
        if page is not None:
            margins = " ".join(f'{name}="{value}"' for name, value in page.margins.items())
            setup = f'paperSize="{page.paper_size}"'
            setup += ' orientation="landscape"' if page.landscape else ' orientation="portrait"'
            if page.fit_to_width:
                setup += ' fitToWidth="1" fitToHeight="0"'
            tail += f"<pageMargins {margins}/><pageSetup {setup}/>"
        self._write(tail + "</worksheet>")
        self._stream.close()


def _quoted_sheet_name(name: str) -> str:
    return "'" + name.replace("'", "''") + "'"


def _w3c_time(moment: datetime.datetime) -> str:
    if moment.tzinfo is not None:
        moment = moment.astimezone(datetime.UTC)
    return moment.replace(tzinfo=None, microsecond=0).isoformat() + "Z"


class WorkbookWriter:
    """A workbook written sheet by sheet into memory; :meth:`close` returns its bytes."""

    def __init__(self, *, created: datetime.datetime | None = None,
                 compresslevel: int = COMPRESSLEVEL) -> None:
        self._output = BytesIO()
        self._archive = zipfile.ZipFile(self._output, "w", zipfile.ZIP_DEFLATED,
                                        compresslevel=compresslevel)
        self._created = created
        self._sheets: list[tuple[str, int | None]] = []
        self._current: Sheet | None = None
        self.styles = Styles()

    def __enter__(self) -> "WorkbookWriter":
        return self

    def __exit__(self, kind, error, traceback) -> None:
        """On an error, let go of the unfinished workbook (its :meth:`close` was not reached)."""
        if error is not None:
            if self._current is not None:
                self._current.discard()
                self._current = None
            self._archive.close()

    def add_sheet(self, name: str, *, widths=(), frozen_rows: int = 0,
                  print_title_row: int | None = None, page: PageSetup | None = None) -> Sheet:
        """Start the sheet ``name`` (closing the one before): ``widths`` of its first columns
        in characters, the top ``frozen_rows`` kept in view, ``print_title_row`` repeated on
        every printed page."""
        if (not name or len(name) > SHEET_NAME_MAX or set(name) & SHEET_NAME_FORBIDDEN
                or name[0] == "'" or name[-1] == "'"
                or name.lower() in {taken.lower() for taken, _row in self._sheets}):
            raise ValueError(f"not a sheet name, or one taken: {name!r}")
        if self._current is not None:
            self._current.close()
        number = len(self._sheets) + 1
        self._sheets.append((name, print_title_row))
        stream = self._archive.open(f"xl/worksheets/sheet{number}.xml", "w")
        self._current = Sheet(self, stream, selected=number == 1, widths=widths,
                              frozen_rows=frozen_rows, page=page)
        return self._current

    def close(self) -> bytes:
        """Write the workbook's other parts and return its bytes."""
        if self._current is not None:
            self._current.close()
            self._current = None
        parts = {
            "xl/workbook.xml": self._workbook_xml(),
            "xl/_rels/workbook.xml.rels": self._workbook_relationships(),
            "xl/styles.xml": self.styles.xml(),
            "docProps/core.xml": self._core_xml(),
            "_rels/.rels": (
                f'{XML_DECLARATION}<Relationships xmlns="{PACKAGE_RELATIONSHIPS}">'
                f'<Relationship Id="rId1" Type="{RELATIONSHIPS}/officeDocument"'
                ' Target="xl/workbook.xml"/>'
                '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/'
                'relationships/metadata/core-properties" Target="docProps/core.xml"/>'
                "</Relationships>"
            ),
            "[Content_Types].xml": self._content_types(),
        }
        for name, text in parts.items():
            self._archive.writestr(name, text.encode("utf-8", "surrogatepass"))
        self._archive.close()
        return self._output.getvalue()

    def _workbook_xml(self) -> str:
        sheets = "".join(
            f'<sheet name="{xml_text(name)}" sheetId="{number}" r:id="rId{number}"/>'
            for number, (name, _title_row) in enumerate(self._sheets, 1)
        )
        titles = "".join(
            f'<definedName name="_xlnm.Print_Titles" localSheetId="{number}">'
            f"{xml_text(_quoted_sheet_name(name))}!${row}:${row}</definedName>"
            for number, (name, row) in enumerate(self._sheets)
            if row
        )
        return (
            f'{XML_DECLARATION}<workbook xmlns="{MAIN}" xmlns:r="{RELATIONSHIPS}">'
            '<bookViews><workbookView activeTab="0"/></bookViews>'
            f"<sheets>{sheets}</sheets>"
            + (f"<definedNames>{titles}</definedNames>" if titles else "")
            + "</workbook>"
        )

    def _workbook_relationships(self) -> str:
        sheets = "".join(
            f'<Relationship Id="rId{number}" Type="{RELATIONSHIPS}/worksheet"'
            f' Target="worksheets/sheet{number}.xml"/>'
            for number in range(1, len(self._sheets) + 1)
        )
        return (
            f'{XML_DECLARATION}<Relationships xmlns="{PACKAGE_RELATIONSHIPS}">{sheets}'
            f'<Relationship Id="rId{len(self._sheets) + 1}" Type="{RELATIONSHIPS}/styles"'
            ' Target="styles.xml"/></Relationships>'
        )

    def _core_xml(self) -> str:
        times = ""
        if self._created is not None:
            moment = _w3c_time(self._created)
            times = "".join(
                f'<dcterms:{name} xsi:type="dcterms:W3CDTF">{moment}</dcterms:{name}>'
                for name in ("created", "modified")
            )
        return (
            f"{XML_DECLARATION}<cp:coreProperties"
            ' xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"'
            ' xmlns:dc="http://purl.org/dc/elements/1.1/"'
            ' xmlns:dcterms="http://purl.org/dc/terms/"'
            ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f"{times}</cp:coreProperties>"
        )

    def _content_types(self) -> str:
        sheets = "".join(
            f'<Override PartName="/xl/worksheets/sheet{number}.xml" ContentType="{SHEET_CONTENT}"/>'
            for number in range(1, len(self._sheets) + 1)
        )
        office = "application/vnd.openxmlformats-officedocument"
        return (
            f'{XML_DECLARATION}<Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{office}.spreadsheetml.sheet.'
            'main+xml"/>'
            f"{sheets}"
            f'<Override PartName="/xl/styles.xml" ContentType="{office}.spreadsheetml.styles+xml"/>'
            '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-'
            'package.core-properties+xml"/>'
            "</Types>"
        )
