"""Input that a database refuses must be refused by the site first, never answered with a 500.

PostgreSQL (production, and CI) refuses a NUL character in text and a username longer than
django-axes' 255-character column; SQLite takes both, so most of these tests can only fail on
PostgreSQL. ``egov_targets.middleware.RejectNulMiddleware`` answers 400 to a NUL wherever the
application reads text, and ``egov_targets.auth.axes_username`` cuts the username django-axes
records.
"""

import pytest
from axes.models import AccessAttempt
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from egov_targets.auth import AXES_USERNAME_MAX_LENGTH
from plans.forms.grid import make_token
from tests.conftest import PASSWORD
from tests.security.conftest import row_counts

NUL_REFUSAL = "Yêu cầu không hợp lệ"


@pytest.fixture
def officer_client(officer_a):
    client = Client(raise_request_exception=False)
    client.force_login(officer_a)
    return client


def assert_refused_for_nul(response):
    assert response.status_code == 400
    assert response["Content-Type"] == "text/html; charset=utf-8"
    body = response.content.decode()
    assert NUL_REFUSAL in body
    assert "NUL" in body
    # The refusal still carries the site's security headers (it answers inside them).
    assert "script-src 'self'" in response["Content-Security-Policy"]


NUL_URLS = [
    "/dashboard/9%001/2017/",
    "/dashboard/91/trend/OFFICIAL%00EMAIL/",
    "/entry/9%001/2017/",
    "/entry/91/2017/agency/91-S%00NV/",
    "/entry/91/2017/agency/91-SNV/history/?indicator=L%00AN",
    "/entry/91/2017/agency/91-SNV/history/?indic%00ator=LAN",
]


@pytest.mark.parametrize("url", NUL_URLS)
def test_a_nul_in_the_address_is_refused(world, officer_client, url):
    assert_refused_for_nul(officer_client.get(url))


@pytest.mark.parametrize("page", ["entry_grid", "entry_agency"])
def test_a_nul_in_a_note_is_refused_without_saving(world, officer_client, page):
    result = world.result
    prefix = f"r{result.agency_id}-{result.indicator_id}"
    args = ["91", 2017, "department" if page == "entry_grid" else "91-SNV"]
    before = row_counts()
    response = officer_client.post(
        reverse(f"plans:{page}", args=args) + "?notes=1",
        {f"{prefix}-o": make_token(result), f"{prefix}-n": "41", f"{prefix}-d": "50",
         f"{prefix}-note": "đã\x00xong"},
    )
    assert_refused_for_nul(response)
    assert row_counts() == before


def test_a_nul_in_a_multipart_field_is_refused(world, officer_client):
    before = row_counts()
    response = officer_client.post(
        reverse("plans:entry_upload", args=["91", 2017]),
        {"file": SimpleUploadedFile("ket-qua.csv", b"year\n"), "confirm": "1\x00"},
    )
    assert_refused_for_nul(response)
    assert row_counts() == before


def test_nul_bytes_in_an_uploaded_files_contents_are_left_to_the_upload_checks(
    world, officer_client
):
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64)
    response = officer_client.post(
        reverse("plans:entry_upload", args=["91", 2017]),
        {"file": SimpleUploadedFile("anh.png", png)},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "tệp PNG (ảnh), không phải bảng số liệu" in body
    assert NUL_REFUSAL not in body


def test_a_nul_in_the_session_cookie_is_refused(world, settings):
    client = Client(raise_request_exception=False)
    # Django decodes the octal escape of a quoted cookie value into a real NUL.
    cookie = f'{settings.SESSION_COOKIE_NAME}="abcdefgh\\000ijkl"'
    assert_refused_for_nul(client.get(reverse("plans:home"), HTTP_COOKIE=cookie))


def test_a_nul_in_a_header_django_axes_records_is_refused(db):
    client = Client(raise_request_exception=False)
    response = client.post(
        reverse("login"), {"username": "ai-do", "password": "sai"}, HTTP_USER_AGENT="x\x00y"
    )
    assert_refused_for_nul(response)
    assert not AccessAttempt.objects.exists()


def test_the_nul_refusal_speaks_the_language_chosen_with_the_switch(db, settings):
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/dashboard/9%001/2017/")
    assert response.status_code == 400
    assert '<html lang="en">' in response.content.decode()


def test_a_request_without_nul_passes_the_guard(world, officer_client):
    response = officer_client.get(
        reverse("plans:entry_history", args=["91", 2017, "91-SNV"]) + "?indicator=LAN"
    )
    assert response.status_code == 200


@pytest.mark.parametrize("url_name", ["login", "admin:login"])
def test_a_very_long_username_is_a_failed_login_not_a_server_error(db, url_name):
    client = Client(raise_request_exception=False)
    response = client.post(reverse(url_name), {"username": "x" * 300, "password": "sai"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    # The failure is recorded, under the first 255 characters.
    attempt = AccessAttempt.objects.get()
    assert attempt.username == "x" * AXES_USERNAME_MAX_LENGTH
    assert attempt.failures_since_start == 1


def test_very_long_usernames_are_still_throttled(db, settings):
    client = Client(raise_request_exception=False)
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        response = client.post(
            reverse("login"), {"username": "x" * 300 + str(attempt), "password": "sai"}
        )
    # Usernames differing only past the 255th character count as one.
    assert response.status_code == 429


def test_a_username_of_the_longest_kind_is_kept_whole(db, officer_a):
    client = Client()
    username = "y" * AXES_USERNAME_MAX_LENGTH
    client.post(reverse("login"), {"username": username, "password": "sai"})
    assert AccessAttempt.objects.get().username == username
    # And a real user still logs in.
    response = client.post(reverse("login"), {"username": "officer_a", "password": PASSWORD})
    assert response.status_code == 302


def test_a_nul_in_a_login_is_a_failed_login(db, officer_a):
    """The NUL guard refuses it before Django's form or django-axes sees it."""
    client = Client(raise_request_exception=False)
    response = client.post(reverse("login"), {"username": "officer_a\x00", "password": "x"})
    assert_refused_for_nul(response)
    assert "_auth_user_id" not in client.session
