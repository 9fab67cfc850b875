"""Hostile evidence files are refused quickly, in little memory, storing nothing.

The zip of a Word or Excel file is a directory of entries and XML parts: a directory of
412,487 entries (the attack's, 20 MB) is refused from the count and size its last record
states, before zipfile makes an object per entry; a [Content_Types].xml nested thousands deep,
with an element of thousands of attributes or with too many elements, is refused under the
web's XML budget (README.md lists the limits).
"""

import io
import time
import tracemalloc
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from plans.files.filetypes import FileTypeRefused, detect_type
from plans.files.zip_directory import zip_directory
from tests import evidence_files as files
from tests.security.conftest import row_counts
from tests.security.test_hostile_files import QUICKLY, zip_of_entries

TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"


def docx_with_content_types(xml: bytes) -> bytes:
    return files.zip_of([("[Content_Types].xml", xml), ("word/document.xml", b"<d/>")])


def nested(levels: int) -> bytes:
    return (f'<Types xmlns="{TYPES}">'.encode() + b"<a>" * levels + b"</a>" * levels
            + b"</Types>")


def attributes(count: int) -> bytes:
    return (f'<Types xmlns="{TYPES}"><Default '.encode()
            + b" ".join(b'a%d="x"' % n for n in range(count)) + b"/></Types>")


def elements(count: int) -> bytes:
    return f'<Types xmlns="{TYPES}">'.encode() + b"<a/>" * count + b"</Types>"


HOSTILE = [
    pytest.param(lambda: zip_of_entries(412_487, first=[
        ("[Content_Types].xml", files.CONTENT_TYPES.format(
            part="/word/document.xml", content_type=files.WORD_MAIN).encode()),
        ("word/document.xml", b"<d/>"),
    ]), "là tệp nén có hơn 10.000 phần", id="docx-of-412489-entries"),
    pytest.param(lambda: docx_with_content_types(nested(30_000)),
                 "phần [Content_Types].xml lồng các phần tử XML sâu hơn 100 cấp",
                 id="content-types-30000-deep"),
    pytest.param(lambda: docx_with_content_types(attributes(20_000)),
                 "phần [Content_Types].xml có một phần tử XML với hơn 256 thuộc tính",
                 id="content-types-element-of-20000-attributes"),
    pytest.param(lambda: docx_with_content_types(elements(60_000)),
                 None, id="content-types-of-60000-elements"),
]


@pytest.fixture
def post(client, world, officer_a, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    client.force_login(officer_a)
    url = reverse("plans:entry_evidence_add", args=["91", 2017, "91-SNV"])
    return lambda data: client.post(url, {"file": SimpleUploadedFile("báo cáo.docx", data),
                                          "indicator": "", "description": ""})


@pytest.mark.parametrize("build, message", HOSTILE)
def test_the_evidence_page_refuses_it_quickly_in_little_memory(post, settings, build, message):
    data = build()
    if message is None:
        # Elements past the budget: the limit lowered under the part's own size limit.
        settings.READ_BUDGETS = {
            **settings.READ_BUDGETS,
            "web": {**settings.READ_BUDGETS["web"], "max_xml_elements": 50_000},
        }
        message = "phần [Content_Types].xml có hơn 50.000 phần tử XML"
    before = row_counts()
    started = time.monotonic()
    tracemalloc.start()
    try:
        response = post(data)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert time.monotonic() - started < QUICKLY
    # The request's own copy of the file counts: 21 MB of the 412,489 entries.
    assert peak < len(data) + 64 * 1024 * 1024
    assert response.status_code == 400
    assert message in response.content.decode()
    assert row_counts() == before


def test_a_zip64_directory_is_refused_before_zipfile_reads_it():
    """zipfile believes a ZIP64 record's figures over the ones the last record states."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("word/document.xml", b"<d/>")
    data = buffer.getvalue()
    end = data.rfind(b"PK\x05\x06")
    locator = b"PK\x06\x07" + b"\x00" * 16
    forged = data[:end] + locator + data[end:]
    assert zip_directory(io.BytesIO(forged)) == (0xFFFF, 0xFFFFFFFF)
    with pytest.raises(FileTypeRefused, match="là tệp nén có hơn 10.000 phần"):
        detect_type(io.BytesIO(forged), name="a.docx")
