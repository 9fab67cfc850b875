"""The kinds of file an evidence upload may be, told by their contents, never by their names.

PDF, JPEG and PNG by their first bytes; Word (.docx) and Excel (.xlsx) by the main part their
``[Content_Types].xml`` declares; OpenDocument text and spreadsheets (.odt, .ods) by their
``mimetype`` entry. Anything else is refused with the reason, in words: a program or a web page
(HTML, SVG) renamed ``.pdf`` or ``.png`` is named as such. A zip is read within a budget: its
directory, a bounded number of entries, and at most one small part.
"""

import zipfile
from dataclasses import dataclass
from typing import IO
from xml.etree import ElementTree

from defusedxml.ElementTree import fromstring as defused_fromstring
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class FileType:
    content_type: str
    extension: str


PDF = FileType("application/pdf", ".pdf")
JPEG = FileType("image/jpeg", ".jpg")
PNG = FileType("image/png", ".png")
DOCX = FileType(
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx"
)
XLSX = FileType("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx")
ODT = FileType("application/vnd.oasis.opendocument.text", ".odt")
ODS = FileType("application/vnd.oasis.opendocument.spreadsheet", ".ods")

ALLOWED = (PDF, JPEG, PNG, DOCX, XLSX, ODT, ODS)
# For the file input's ``accept``: a hint to the browser's file chooser, not a check.
ACCEPT = ",".join([".pdf", ".jpg", ".jpeg", ".png", ".docx", ".xlsx", ".odt", ".ods"])

MAGIC = ((b"%PDF-", PDF), (b"\xff\xd8\xff", JPEG), (b"\x89PNG\r\n\x1a\n", PNG))
ZIP_MAGIC = b"PK\x03\x04"
PROGRAM_MAGIC = (b"MZ", b"\x7fELF", b"#!", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe")
# Lower-cased starts of a web page, after any byte-order mark and white space.
HTML_MARKERS = (b"<!doctype html", b"<html", b"<script", b"<svg", b"<?xml", b"<head", b"<body")

# The main part's content type that makes an Office Open XML package a document or workbook;
# macro-enabled ones (.docm, .xlsm) declare other types and are refused.
OOXML_MAIN_PARTS = {
    "/word/document.xml": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        DOCX,
    ),
    "/xl/workbook.xml": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        XLSX,
    ),
}
ODF_MIMETYPES = {ODT.content_type: ODT, ODS.content_type: ODS}
CONTENT_TYPES_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"

# The budget of reading a zip: entries in its directory, bytes of the one part read.
ZIP_MAX_ENTRIES = 10_000
ZIP_MAX_PART_BYTES = 256 * 1024


class FileTypeRefused(Exception):
    """The file is not of an allowed kind; ``message`` says why, for the person."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def allowed_kinds_text() -> str:
    return _("PDF, ảnh JPEG hoặc PNG, Word (.docx), Excel (.xlsx), OpenDocument (.odt, .ods)")


def detect_type(file: IO[bytes], *, name: str) -> FileType:
    """Return the type of the seekable binary ``file`` by its contents, or raise FileTypeRefused.

    ``name`` is the person's file name, used in the messages only.
    """
    file.seek(0)
    head = file.read(64)
    file.seek(0)
    if not head:
        raise FileTypeRefused(_("Tệp %(name)s trống.") % {"name": name})
    for magic, file_type in MAGIC:
        if head.startswith(magic):
            return file_type
    if head.startswith(ZIP_MAGIC):
        return _zip_type(file, name=name)
    if head.startswith(PROGRAM_MAGIC):
        raise FileTypeRefused(
            _("Tệp %(name)s là một chương trình, không phải tài liệu: không nhận.")
            % {"name": name}
        )
    text = head.removeprefix(b"\xef\xbb\xbf").lstrip().lower()
    if text.startswith(HTML_MARKERS):
        raise FileTypeRefused(
            _("Tệp %(name)s là một trang web (HTML hoặc SVG), không phải tài liệu: không nhận.")
            % {"name": name}
        )
    raise FileTypeRefused(
        _("Tệp %(name)s không thuộc loại được nhận: %(kinds)s. Loại tệp được nhận biết theo "
          "nội dung, không theo đuôi tên tệp.")
        % {"name": name, "kinds": allowed_kinds_text()}
    )


def _zip_type(file: IO[bytes], *, name: str) -> FileType:
    """Return DOCX, XLSX, ODT or ODS for a zip ``file`` that is one, else refuse it."""
    refusal = FileTypeRefused(
        _("Tệp %(name)s là tệp nén nhưng không phải tài liệu Word (.docx), Excel (.xlsx) hay "
          "OpenDocument (.odt, .ods): không nhận.")
        % {"name": name}
    )
    try:
        with zipfile.ZipFile(file) as archive:
            entries = archive.infolist()
            if len(entries) > ZIP_MAX_ENTRIES:
                raise refusal
            # OpenDocument: a first entry "mimetype", stored, holding the type.
            if entries and entries[0].filename == "mimetype":
                file_type = ODF_MIMETYPES.get(_read_part(archive, entries[0]).decode("ascii"))
                if file_type is not None:
                    return file_type
                raise refusal
            names = {entry.filename for entry in entries}
            if "[Content_Types].xml" not in names:
                raise refusal
            declared = _content_types(_read_part(archive, archive.getinfo("[Content_Types].xml")))
            for part, (content_type, file_type) in OOXML_MAIN_PARTS.items():
                if declared.get(part) == content_type and part.lstrip("/") in names:
                    return file_type
    except FileTypeRefused:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, UnicodeDecodeError,
            ElementTree.ParseError, EOFError, OSError, ValueError, KeyError):
        # A cut or corrupt zip, an unknown compression, a mimetype that is not ASCII.
        pass
    finally:
        file.seek(0)
    raise refusal


def _read_part(archive: zipfile.ZipFile, entry: zipfile.ZipInfo) -> bytes:
    """Return the uncompressed bytes of ``entry``, refusing (ValueError) past the budget.

    The size in the directory is not believed: the stream is read up to one byte past it.
    """
    with archive.open(entry) as part:
        data = part.read(ZIP_MAX_PART_BYTES + 1)
    if len(data) > ZIP_MAX_PART_BYTES:
        raise ValueError("part over budget")
    return data


def _content_types(xml: bytes) -> dict[str, str]:
    """Return ``{part name: content type}`` of the Override elements of [Content_Types].xml.

    Read by defusedxml with document types forbidden: no entity to expand, nothing external
    to fetch (the part is also capped in size). A refusal is a ValueError.
    """
    root = defused_fromstring(xml, forbid_dtd=True)
    return {
        element.get("PartName", "").lower(): element.get("ContentType", "")
        for element in root.iter(f"{CONTENT_TYPES_NS}Override")
    }
