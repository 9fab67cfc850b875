"""The results upload (/entry/<province>/<year>/upload/) refuses what is not a results table.

Each refusal answers 400 with a Vietnamese message saying what is wrong and what to do, keeps
no file in the session for a later "confirm", and writes nothing.
"""

import io
import unicodedata
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from plans.models import Result
from plans.views.upload import UPLOAD_SESSION_KEY
from tests.security.conftest import row_counts

HEADER = ["year", "agency_code", "indicator_code", "value", "numerator", "denominator", "note"]
GOOD_CSV = (",".join(HEADER) + "\n2017,91-SNV,LAN,có,,,Đã có mạng LAN\n").encode()
# Vietnamese tone marks, which Windows-1258 writes as separate combining characters.
TONES = "\u0300\u0301\u0303\u0309\u0323"


def windows_1258(text: str) -> bytes:
    """Return ``text`` as Vietnamese Excel saves "CSV" on Windows: base letter, then tone."""
    out = b""
    for char in unicodedata.normalize("NFC", text):
        try:
            out += char.encode("cp1258")
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", char)
            base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in TONES))
            out += (base + "".join(c for c in parts if c in TONES)).encode("cp1258")
    return out


def xlsx(rows) -> bytes:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def zip_of_text() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("ket-qua.txt", "không phải sổ làm việc Excel")
    return buffer.getvalue()


PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01" + bytes(range(256))
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n" + bytes(range(256))
XLS = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512)


@pytest.fixture
def upload(client, world, officer_a):
    """Return a function that posts a file to province A's 2017 upload page."""
    client.force_login(officer_a)
    url = reverse("plans:entry_upload", args=["91", 2017])

    def post(name: str, content: bytes):
        return client.post(url, {"file": SimpleUploadedFile(name, content)})

    return post


def assert_refused(response, client, before, *messages):
    body = response.content.decode()
    assert response.status_code == 400
    for message in messages:
        assert message in body, f"{message!r} not in the page"
    assert UPLOAD_SESSION_KEY not in client.session
    assert row_counts() == before


def test_it_refuses_a_file_over_the_size_limit(client, upload, settings):
    settings.UPLOAD_MAX_BYTES = 40
    before = row_counts()
    response = upload("ket-qua.csv", GOOD_CSV)
    assert_refused(response, client, before, "Tệp ket-qua.csv quá lớn", "tối đa 40\xa0byte",
                   "Hãy chia thành nhiều tệp")


def test_it_takes_a_file_just_at_the_size_limit_to_preview(client, upload, settings):
    settings.UPLOAD_MAX_BYTES = len(GOOD_CSV)
    before = row_counts()
    response = upload("ket-qua.csv", GOOD_CSV)
    assert response.status_code == 200
    assert "Chưa có gì được ghi" in response.content.decode()
    assert row_counts() == before  # the preview writes nothing; the confirm does
    assert client.session[UPLOAD_SESSION_KEY]["name"] == "ket-qua.csv"


@pytest.mark.parametrize(
    "name,content,message",
    [
        ("anh.png", PNG, "tệp PNG (ảnh), không phải bảng số liệu"),
        ("van-ban.pdf", PDF, "tệp PDF, không phải bảng số liệu"),
        ("ket-qua.xlsx", zip_of_text(), "Không đọc được tệp Excel"),
        ("ket-qua.xls", XLS, "Excel 97–2003 (.xls) không được hỗ trợ"),
        ("ket-qua.csv", b"", "Tệp rỗng"),
        ("ket-qua.csv", windows_1258(GOOD_CSV.decode()), "Windows-1258"),
        ("ket-qua.csv", "\ufeff".encode("utf-16-le") + GOOD_CSV.decode().encode("utf-16-le"),
         "UTF-16"),
    ],
    ids=["png", "pdf", "zip-not-xlsx", "xls", "empty", "windows-1258", "utf-16"],
)
def test_it_refuses_a_file_that_is_not_a_results_table(client, upload, name, content, message):
    before = row_counts()
    response = upload(name, content)
    # Every refusal tells what to save instead.
    assert_refused(response, client, before, message)


# Row, and the cell the refusal must name.
FORMULAS = {
    "one-plus-one": (["2017", "91-SNV", "LAN", "=1+1", None, None, ""], "D2"),
    "hyperlink": (["2017", "91-SNV", "LAN", '=HYPERLINK("http://evil.example/","1")',
                   None, None, ""], "D2"),
    "numerator": (["2017", "91-SNV", "OFFICIAL_EMAIL", None, "=40+1", 50, ""], "E2"),
}


@pytest.mark.parametrize("row,cell", FORMULAS.values(), ids=FORMULAS.keys())
def test_it_refuses_a_workbook_with_a_formula_in_a_figure(client, upload, row, cell):
    before = row_counts()
    response = upload("ket-qua.xlsx", xlsx([HEADER, row]))
    assert_refused(response, client, before, "Tệp có 1 lỗi nên chưa ghi gì",
                   f"Ô {cell} (", "chứa công thức, không phải giá trị")
    # The wrong row is named by its line.
    assert '<td class="num">2</td>' in response.content.decode()
    assert Result.objects.filter(agency__code="91-SNV", indicator__code="LAN").count() == 0


def test_it_refuses_a_confirm_without_the_previewed_file(client, upload, world):
    """A confirm forged after a refused preview finds no file kept and writes nothing."""
    upload("anh.png", PNG)
    before = row_counts()
    response = client.post(
        reverse("plans:entry_upload", args=["91", 2017]), {"confirm": "1", "sha256": "0" * 64}
    )
    assert_refused(response, client, before, "Không tìm thấy tệp đã xem trước")
