"""Account pages the site offers (no password reset), and what plain HTTP may still reach."""

import pytest
from django.test import Client
from django.urls import NoReverseMatch, reverse

from tests.conftest import PASSWORD


@pytest.mark.parametrize(
    "url",
    [
        "/accounts/password_reset/",
        "/accounts/password_reset/done/",
        "/accounts/reset/MQ/set-password/",
        "/accounts/reset/done/",
    ],
)
def test_it_offers_no_password_reset(db, url):
    """Reset e-mails a link; the product has no mail server and admins manage accounts."""
    assert Client().get(url).status_code == 404


@pytest.mark.parametrize(
    "name",
    ["password_reset", "password_reset_done", "password_reset_confirm", "password_reset_complete"],
)
def test_it_names_no_password_reset_url(name):
    with pytest.raises(NoReverseMatch):
        reverse(name, kwargs={"uidb64": "MQ", "token": "x"} if name.endswith("confirm") else {})


def test_the_login_page_works_and_links_to_no_reset(db, officer_a):
    client = Client()
    page = client.get(reverse("login"))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Đăng nhập" in body
    assert "password_reset" not in body
    assert "/reset/" not in body
    response = client.post(reverse("login"), {"username": "officer_a", "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(officer_a.pk)


def test_the_account_pages_keep_their_addresses():
    assert reverse("login") == "/accounts/login/"
    assert reverse("logout") == "/accounts/logout/"
    assert reverse("password_change") == "/accounts/password_change/"
    assert reverse("password_change_done") == "/accounts/password_change/done/"


@pytest.fixture
def ssl_redirect(settings):
    """Production's HTTPS redirect, which the suite otherwise turns off (tests/conftest.py)."""
    settings.SECURE_SSL_REDIRECT = True


def test_a_load_balancer_probes_healthz_over_plain_http(db, ssl_redirect):
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


@pytest.mark.parametrize("url", ["/", "/accounts/login/", "/healthz-x", "/x/healthz", "/admin/"])
def test_every_other_page_is_redirected_to_https(db, ssl_redirect, url):
    response = Client().get(url)
    assert response.status_code == 301
    assert response["Location"] == f"https://testserver{url}"


def test_a_page_marked_secure_by_the_proxy_is_not_redirected(db, ssl_redirect):
    response = Client().get(reverse("login"), HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code == 200
