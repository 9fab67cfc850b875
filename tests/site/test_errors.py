from unittest import mock

import pytest
from django.db import OperationalError
from django.test import Client


def test_it_answers_healthz_when_the_database_answers(db, client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_it_answers_503_on_healthz_without_database(db, client):
    with mock.patch(
        "django.db.backends.utils.CursorWrapper.execute",
        side_effect=OperationalError("connection refused"),
    ):
        response = client.get("/healthz")
    assert response.status_code == 503


def test_it_shows_a_vietnamese_404(db, client):
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()


def test_it_shows_a_vietnamese_503_page_when_the_database_is_down(admin_user):
    client = Client(raise_request_exception=False)
    client.force_login(admin_user)
    with mock.patch(
        "django.db.backends.utils.CursorWrapper.execute",
        side_effect=OperationalError("connection refused"),
    ):
        response = client.get("/admin/")
    body = response.content.decode()
    assert response.status_code == 503
    assert "Không kết nối được cơ sở dữ liệu" in body
    assert "Traceback" not in body


def test_it_shows_a_vietnamese_csrf_page(db):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    assert "Không gửi được biểu mẫu" in response.content.decode()


@pytest.mark.parametrize("url", ["/", "/healthz"])
def test_it_sends_security_headers(db, client, url):
    response = client.get(url)
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
