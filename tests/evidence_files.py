"""Files of every kind an evidence upload may meet, built in memory for the tests."""

import io
import zipfile
import zlib

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
# Start of image, a JFIF header, a scan (its header, entropy-coded data with a stuffed 0xFF00
# and a restart marker), end of image.
JPEG = (
    b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    b"\xff\xda\x00\x08\x01\x01\x00\x00\x3f\x00\x12\xff\x00\x34\xff\xd0\x56\xff\xd9"
)


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return (len(data).to_bytes(4, "big") + kind + data
            + zlib.crc32(kind + data).to_bytes(4, "big"))


# A whole 1 × 1 picture: signature, header, data, end.
PNG = (
    b"\x89PNG\r\n\x1a\n"
    + png_chunk(b"IHDR", b"\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00")
    + png_chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))
    + png_chunk(b"IEND", b"")
)

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="{part}" ContentType="{content_type}"/>'
    "</Types>"
)
WORD_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
EXCEL_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
WORD_MACRO_MAIN = "application/vnd.ms-word.document.macroEnabled.main+xml"


def zip_of(entries: list[tuple[str, bytes]], *, stored_first: bool = False) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for index, (name, data) in enumerate(entries):
            kind = zipfile.ZIP_STORED if stored_first and index == 0 else zipfile.ZIP_DEFLATED
            archive.writestr(name, data, compress_type=kind)
    return buffer.getvalue()


def ooxml(part: str, content_type: str) -> bytes:
    return zip_of([
        ("[Content_Types].xml",
         CONTENT_TYPES.format(part=part, content_type=content_type).encode()),
        (part.lstrip("/"), b"<?xml version='1.0'?><document/>"),
    ])


def odf(mimetype: str) -> bytes:
    return zip_of([("mimetype", mimetype.encode()), ("content.xml", b"<office:document/>")],
                  stored_first=True)


DOCX = ooxml("/word/document.xml", WORD_MAIN)
XLSX = ooxml("/xl/workbook.xml", EXCEL_MAIN)
DOCM = ooxml("/word/document.xml", WORD_MACRO_MAIN)
ODT = odf("application/vnd.oasis.opendocument.text")
ODS = odf("application/vnd.oasis.opendocument.spreadsheet")
ODP = odf("application/vnd.oasis.opendocument.presentation")
PLAIN_ZIP = zip_of([("readme.txt", b"hello"), ("data.csv", b"a,b\n1,2\n")])
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 64
SCRIPT = b"#!/bin/sh\nrm -rf /\n"
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
HTML_BOM = b"\xef\xbb\xbf  \n<HTML><body>hi</body></HTML>"
SCRIPT_TAG = b"<script>alert(1)</script>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'
TEXT = "Báo cáo năm 2017".encode()

# What can run inside or behind a file of an allowed kind.
PDF_JAVASCRIPT = PDF + b"2 0 obj << /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >> endobj\n"
PDF_HEX_JAVASCRIPT = PDF + b"2 0 obj << /S /J#61vaScript /J#53 (x) >> endobj\n"
PDF_LAUNCH = PDF + b"2 0 obj << /S /Launch /F (calc.exe) >> endobj\n"
PDF_EMBEDDED_FILE = PDF + b"2 0 obj << /Type /EmbeddedFile /Length 2 >>stream\nMZ\nendstream\n"
PDF_LAUNCH_IN_OBJECT_STREAM = PDF + (
    b"3 0 obj << /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode >>stream\n"
    + zlib.compress(b"2 0 << /S /Launch /F (cmd.exe) >>") + b"\nendstream\nendobj\n"
)
# "/JS" by chance inside a stream's binary data is not a name.
PDF_JS_LETTERS_IN_STREAM = PDF + b"4 0 obj << /Length 8 >>stream\n\x01/JS \x02\x03\nendstream\n"
# "chay.bat": a PDF header, then a batch file that runs calc.
PDF_THEN_BATCH = b"%PDF-1.4\r\n@echo off\r\nstart calc.exe\r\n"
PNG_THEN_ZIP = PNG + b"PK\x03\x04" + b"\x00" * 26
JPEG_THEN_PROGRAM = JPEG + b"MZ\x90\x00" + b"\x00" * 60
CUT_PNG = PNG[:30]
SVG_AFTER_COMMENT = b'<!-- logo --><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'
