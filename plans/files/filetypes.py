"""The kinds of file an evidence upload may be, told by their contents, never by their names.

PDF, JPEG and PNG by their first bytes; Word (.docx) and Excel (.xlsx) by the main part their
``[Content_Types].xml`` declares; OpenDocument text and spreadsheets (.odt, .ods) by their
``mimetype`` entry. Anything else is refused with the reason, in words: a program or a web page
(HTML, SVG) renamed ``.pdf`` or ``.png`` is named as such; SVG is never accepted, whatever it
starts with. A zip is read within a budget: its directory, a bounded number of entries, and at
most one small part.

A file of an allowed kind is then checked for what could run when it is opened: a PDF naming a
JavaScript, launch or embedded-file action anywhere (its compressed object streams included), an
image with data after its end (a program or archive glued to a picture) are refused.
"""

import io
import re
import zipfile
import zlib
from dataclasses import dataclass
from typing import IO

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as DefusedElementTree
from django.conf import settings
from django.utils.translation import gettext as _

from plans.files.xml_budget import XmlCounter, XmlLimits, XmlOverBudget
from plans.files.zip_directory import NoZipDirectory, zip_directory
from plans.words.wording import number_text


@dataclass(frozen=True)
class FileType:
    content_type: str
    extension: str
    # Other extensions a file of the type commonly has, kept on download (".jpeg").
    aliases: tuple[str, ...] = ()

    def file_name(self, name: str) -> str:
        """Return ``name`` ending in this type's extension: ``chay.bat`` → ``chay.pdf``.

        A name that already ends in one of the type's extensions, in any case, is kept.
        """
        stem, dot, extension = name.rpartition(".")
        if dot and stem and f".{extension.lower()}" in (self.extension, *self.aliases):
            return name
        return f"{stem if dot and stem else name}{self.extension}"


PDF = FileType("application/pdf", ".pdf")
JPEG = FileType("image/jpeg", ".jpg", aliases=(".jpeg",))
PNG = FileType("image/png", ".png")
DOCX = FileType(
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx"
)
XLSX = FileType("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx")
ODT = FileType("application/vnd.oasis.opendocument.text", ".odt")
ODS = FileType("application/vnd.oasis.opendocument.spreadsheet", ".ods")

ALLOWED = (PDF, JPEG, PNG, DOCX, XLSX, ODT, ODS)
BY_CONTENT_TYPE = {file_type.content_type: file_type for file_type in ALLOWED}
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
# The directory's bytes: an entry is 46 bytes and its name; a document's names are short.
ZIP_MAX_DIRECTORY_BYTES = 1024 * 1024


# PDF names that run something or carry a file: JavaScript actions (/JavaScript, /JS), /Launch,
# embedded files (/EmbeddedFile, /EmbeddedFiles), and the other ways to carry or run content
# (/RichMedia, /XFA forms, /SubmitForm, /ImportData).
PDF_ACTIVE_NAMES = frozenset({
    b"JavaScript", b"JS", b"Launch", b"EmbeddedFile", b"EmbeddedFiles", b"RichMedia", b"XFA",
    b"SubmitForm", b"ImportData",
})
# A name: "/" and its regular characters; "#xx" writes any byte in hexadecimal (/J#61vaScript).
PDF_NAME = re.compile(rb"/([^\x00\t\n\x0c\r ()<>\[\]{}/%]+)")
PDF_HEX = re.compile(rb"#([0-9A-Fa-f]{2})")
# A stream: its dictionary, the keyword "stream" and an end of line, its data, "endstream". An
# object stream (PDF 1.5, /Type /ObjStm) holds further objects, compressed.
PDF_STREAM_KEYWORD = re.compile(rb"(?<!end)stream\r?\n")
# What reading a PDF may cost: the bytes read at a time (the text of the last few KB is read
# again with the next ones, so that no name is cut), and the bytes its object streams may
# inflate to, all together.
PDF_READ_BYTES = 1024 * 1024
PDF_NAME_OVERLAP = 4096
PDF_NAME_MAX = 64
PDF_MAX_INFLATED_BYTES = 64 * 1024 * 1024
JPEG_READ_BYTES = 64 * 1024


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
            CONTENT_CHECKS[file_type](file, name=name)
            file.seek(0)
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
        count, directory_size = zip_directory(file)
        # Before zipfile makes an object for every entry of the directory.
        if count > ZIP_MAX_ENTRIES or directory_size > ZIP_MAX_DIRECTORY_BYTES:
            raise FileTypeRefused(
                _("Tệp %(name)s là tệp nén có hơn %(max)s phần, điều không tài liệu nào cần "
                  "(giới hạn khi tải lên trang web): không nhận.")
                % {"name": name, "max": number_text(ZIP_MAX_ENTRIES)}
            )
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
            declared = _content_types(
                _read_part(archive, archive.getinfo("[Content_Types].xml")), name=name
            )
            for part, (content_type, file_type) in OOXML_MAIN_PARTS.items():
                if declared.get(part) == content_type and part.lstrip("/") in names:
                    return file_type
    except FileTypeRefused:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, UnicodeDecodeError,
            NoZipDirectory, EOFError, OSError, ValueError, KeyError):
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


def _content_types(xml: bytes, *, name: str) -> dict[str, str]:
    """Return ``{part name: content type}`` of the Override elements of [Content_Types].xml,
    its nesting, attributes and elements counted under the web's read budget."""
    counter = XmlCounter(XmlLimits.of(settings.READ_BUDGETS["web"]))
    declared = {}
    # defusedxml refuses any document type, hence any entity to expand (the part is also capped
    # in size, so that no tag is longer than the budget's).
    try:
        for event, element in DefusedElementTree.iterparse(
            io.BytesIO(xml), events=("start", "end"), forbid_dtd=True
        ):
            if event == "end":
                counter.closed()
                continue
            counter.opened(len(element.attrib))
            if element.tag == f"{CONTENT_TYPES_NS}Override":
                declared[element.get("PartName", "").lower()] = element.get("ContentType", "")
    except XmlOverBudget as over:
        raise FileTypeRefused(_xml_problem(over) % {
            "name": name, "part": "[Content_Types].xml", "max": number_text(over.maximum),
        }) from None
    except (DefusedXmlException, DefusedElementTree.ParseError) as exc:
        raise ValueError("[Content_Types].xml unreadable") from exc
    return declared


def _xml_problem(over: XmlOverBudget) -> str:
    return {
        "max_xml_depth": _("Tệp %(name)s: phần %(part)s lồng các phần tử XML sâu hơn %(max)s "
                           "cấp (giới hạn khi tải lên trang web): không nhận."),
        "max_xml_attributes": _("Tệp %(name)s: phần %(part)s có một phần tử XML với hơn "
                                "%(max)s thuộc tính (giới hạn khi tải lên trang web): không "
                                "nhận."),
        "max_xml_elements": _("Tệp %(name)s: phần %(part)s có hơn %(max)s phần tử XML (giới "
                              "hạn khi tải lên trang web): không nhận."),
    }[over.limit]


# --- what an allowed file may not carry ----------------------------------------------------


def _refuse_active_pdf(file: IO[bytes], *, name: str) -> None:
    """Refuse a PDF that names a JavaScript, launch or embedded-file action anywhere in it,
    its object streams inflated and read too.

    The names are looked for in the PDF's text, between its streams: a stream's data is
    binary (compressed pages, images), where the letters of a name turn up by chance.
    """
    file.seek(0)
    found = None
    inflated = 0
    in_stream = object_stream = False
    carry = b""
    while found is None:
        chunk = file.read(PDF_READ_BYTES)
        # Where ``data`` starts in the file.
        origin = file.tell() - len(chunk) - len(carry)
        data, position = carry + chunk, 0
        while found is None:
            if in_stream:
                end = data.find(b"endstream", position)
                if end < 0:
                    # "endstream" may be cut between two reads: keep its length's worth.
                    position = max(position, len(data) - 8)
                    break
                in_stream, position = False, end + len(b"endstream")
                continue
            keyword = PDF_STREAM_KEYWORD.search(data, position)
            if keyword is not None:
                text_end = keyword.start()
            elif not chunk:
                text_end = len(data)
            else:
                # Up to the last name's start, so that no name is cut between two reads (an
                # active name, "#xx" escapes and all, is under PDF_NAME_MAX bytes).
                cut = max(position, len(data) - PDF_NAME_OVERLAP)
                slash = data.rfind(b"/", max(position, cut - PDF_NAME_MAX), cut)
                text_end = slash if slash >= 0 else cut
            found, named_object_stream = _pdf_names(data[position:text_end])
            object_stream = object_stream or named_object_stream
            position = text_end
            if found is not None or keyword is None:
                break
            if object_stream:
                inflated, found = _object_stream_name(
                    file, origin + keyword.end(), inflated, name=name
                )
            in_stream, object_stream, position = True, False, keyword.end()
        if not chunk:
            break
        carry = data[position:]
    if found is not None:
        raise FileTypeRefused(
            _("Tệp %(name)s là PDF có chứa mã chạy được hoặc tệp đính kèm bên trong "
              "(%(what)s): không nhận. Hãy in lại tài liệu ra PDF thường rồi đính kèm.")
            % {"name": name, "what": "/" + found}
        )


def _pdf_names(text: bytes) -> tuple[str | None, bool]:
    """Return the first active name (PDF_ACTIVE_NAMES) written in ``text``, decoded, or None;
    and whether ``text`` names an object stream (/ObjStm)."""
    object_stream = False
    for match in PDF_NAME.finditer(text):
        word = match.group(1)
        if b"#" in word:
            word = PDF_HEX.sub(lambda hexa: bytes([int(hexa.group(1), 16)]), word)
        if word in PDF_ACTIVE_NAMES:
            return word.decode("latin-1"), object_stream
        object_stream = object_stream or word == b"ObjStm"
    return None, object_stream


def _object_stream_name(file: IO[bytes], start: int, inflated: int, *,
                        name: str) -> tuple[int, str | None]:
    """Inflate the object stream whose data starts at byte ``start`` and look for an active
    name in it. Return the bytes inflated so far, all streams together, and the name found.

    The file's position is restored.
    """
    position = file.tell()
    file.seek(start)
    decompressor = zlib.decompressobj()
    tail = b""
    try:
        while not decompressor.eof and (chunk := decompressor.unconsumed_tail
                                        or file.read(64 * 1024)):
            data = decompressor.decompress(chunk, 1024 * 1024)
            inflated += len(data)
            if inflated > PDF_MAX_INFLATED_BYTES:
                raise FileTypeRefused(
                    _("Tệp %(name)s là PDF có các luồng nén giải nén ra quá lớn: không nhận.")
                    % {"name": name}
                )
            found, _object_stream = _pdf_names(tail + data)
            if found is not None:
                return inflated, found
            tail = data[-PDF_NAME_OVERLAP:]
    except zlib.error:
        # Not Flate-compressed, or damaged: a reader shows nothing of it either.
        pass
    finally:
        file.seek(position)
    return inflated, None


def _trailing_data_refusal(name: str) -> FileTypeRefused:
    return FileTypeRefused(
        _("Tệp %(name)s là ảnh nhưng có dữ liệu khác nối sau phần cuối của ảnh: không nhận. "
          "Hãy lưu lại ảnh bằng một chương trình xem ảnh rồi đính kèm.")
        % {"name": name}
    )


def _damaged_image_refusal(name: str) -> FileTypeRefused:
    return FileTypeRefused(
        _("Tệp %(name)s là ảnh hỏng hoặc bị cắt cụt: không nhận.") % {"name": name}
    )


def _refuse_png_with_trailing_data(file: IO[bytes], *, name: str) -> None:
    """Walk a PNG's chunks to IEND; refuse a cut one, or one with anything after IEND."""
    file.seek(8)
    while True:
        header = file.read(8)
        if len(header) < 8:
            raise _damaged_image_refusal(name)
        length = int.from_bytes(header[:4], "big")
        if length > 0x7FFFFFFF:
            raise _damaged_image_refusal(name)
        # The chunk's data and its CRC.
        file.seek(length + 4, 1)
        if header[4:8] == b"IEND":
            break
    end = file.tell()
    size = file.seek(0, 2)
    if size < end:
        raise _damaged_image_refusal(name)
    if size > end:
        raise _trailing_data_refusal(name)


def _refuse_jpeg_with_trailing_data(file: IO[bytes], *, name: str) -> None:
    """Walk a JPEG's segments and scans to its end marker (EOI); refuse a cut one, or one with
    anything but zero padding after it."""
    file.seek(2)
    size = file.seek(0, 2)
    file.seek(2)
    while True:
        marker = file.read(2)
        if len(marker) < 2 or marker[0] != 0xFF:
            raise _damaged_image_refusal(name)
        kind = marker[1]
        if kind == 0xD9:
            break
        if kind == 0xFF:
            # Fill bytes before a marker.
            file.seek(-1, 1)
            continue
        if 0xD0 <= kind <= 0xD7 or kind == 0x01:
            continue
        length_bytes = file.read(2)
        if len(length_bytes) < 2:
            raise _damaged_image_refusal(name)
        file.seek(int.from_bytes(length_bytes, "big") - 2, 1)
        if file.tell() > size:
            raise _damaged_image_refusal(name)
        if kind == 0xDA:
            # Entropy-coded data follows a scan header, up to the next marker: 0xFF followed
            # by anything but 0x00 (a stuffed byte) or a restart marker.
            _skip_entropy_coded(file, name=name)
    rest = file.read(JPEG_READ_BYTES)
    while rest:
        if rest.strip(b"\x00"):
            raise _trailing_data_refusal(name)
        rest = file.read(JPEG_READ_BYTES)


def _skip_entropy_coded(file: IO[bytes], *, name: str) -> None:
    """Leave ``file`` at the marker that ends the entropy-coded data it is in."""
    while True:
        start = file.tell()
        block = file.read(JPEG_READ_BYTES)
        if len(block) < 2:
            raise _damaged_image_refusal(name)
        index = block.find(b"\xff")
        while index >= 0 and index + 1 < len(block):
            following = block[index + 1]
            if following != 0x00 and not 0xD0 <= following <= 0xD7 and following != 0xFF:
                file.seek(start + index)
                return
            index = block.find(b"\xff", index + 1)
        # A 0xFF at the block's end is looked at again with the next block.
        file.seek(start + len(block) - (1 if block.endswith(b"\xff") else 0))
        if file.tell() == start:
            raise _damaged_image_refusal(name)


CONTENT_CHECKS = {
    PDF: _refuse_active_pdf,
    PNG: _refuse_png_with_trailing_data,
    JPEG: _refuse_jpeg_with_trailing_data,
}
