"""An upload from a visitor who is not signed in is answered before its body is read."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import MemoryFileUploadHandler
from django.test import Client
from django.urls import reverse

from tests import evidence_files as files
from tests.security.conftest import row_counts

UPLOADS = [
    ("plans:entry_evidence_add", ["91", 2017, "91-SNV"]),
    ("plans:entry_upload", ["91", 2017]),
]


@pytest.fixture
def read_chunks(monkeypatch):
    """Record every chunk of an uploaded file Django receives."""
    chunks = []
    keep = MemoryFileUploadHandler.receive_data_chunk

    def counting(self, raw_data, start):
        chunks.append(len(raw_data))
        return keep(self, raw_data, start)

    monkeypatch.setattr(MemoryFileUploadHandler, "receive_data_chunk", counting)
    return chunks


@pytest.mark.parametrize("cookie", [None, "a" * 32, "not a key\x7f", ""],
                         ids=["no-cookie", "unknown-session", "malformed", "empty"])
@pytest.mark.parametrize("name, args", UPLOADS, ids=["evidence", "results"])
def test_an_anonymous_upload_goes_to_login_unread(world, read_chunks, cookie, name, args):
    client = Client()
    if cookie is not None:
        client.cookies["sessionid"] = cookie
    url = reverse(name, args=args)
    before = row_counts()
    response = client.post(url, {"file": SimpleUploadedFile("a.pdf", files.PDF * 1000)})
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url}"
    assert read_chunks == []
    assert row_counts() == before


def test_a_session_without_a_user_is_anonymous(world, read_chunks):
    client = Client()
    session = client.session
    session["something"] = 1
    session.save()
    client.cookies["sessionid"] = session.session_key
    response = client.post(reverse("plans:entry_upload", args=["91", 2017]),
                           {"file": SimpleUploadedFile("a.csv", b"year\n")})
    assert response.status_code == 302
    assert read_chunks == []


def test_a_signed_in_upload_is_read(world, officer_a, read_chunks, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    client = Client()
    client.force_login(officer_a)
    response = client.post(reverse("plans:entry_evidence_add", args=["91", 2017, "91-SNV"]),
                           {"file": SimpleUploadedFile("a.pdf", files.PDF), "indicator": "",
                            "description": ""})
    assert response.status_code == 302
    assert read_chunks == [len(files.PDF)]


def test_an_anonymous_login_form_is_still_read(db, client):
    """The login form is not an upload: its fields are read and refused as usual."""
    response = client.post(reverse("login"), {"username": "x", "password": "y"})
    assert response.status_code == 200


def test_an_anonymous_multipart_to_another_address_is_left_to_its_view(db, client):
    """Only the views that take files are guarded: the health check still answers a POST."""
    response = client.post(reverse("healthz"), {"file": SimpleUploadedFile("a.pdf", files.PDF)})
    assert response.status_code == 200
