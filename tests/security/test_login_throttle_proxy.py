"""The login throttle counts failures against the client's address, behind a proxy or not.

``TRUSTED_PROXY_COUNT`` says how many reverse proxies append to X-Forwarded-For; at 0 (the
default) the header is ignored, since any client can send one.
"""

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse

from egov_targets.auth import axes_client_ip
from tests.conftest import PASSWORD

PROXY = "10.0.0.5"  # the reverse proxy, as the application sees the connection


def fail_logins(client, times, **headers):
    """Post ``times`` wrong passwords for officer_a; return the last response."""
    for _ in range(times):
        response = client.post(
            reverse("login"),
            {"username": "officer_a", "password": "sai-mat-khau"},
            REMOTE_ADDR=PROXY,
            **headers,
        )
    return response


def log_in(client, **headers):
    return client.post(
        reverse("login"),
        {"username": "officer_a", "password": PASSWORD},
        REMOTE_ADDR=PROXY,
        **headers,
    )


@pytest.fixture
def behind_one_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1


def test_behind_a_proxy_failures_count_against_the_forwarded_address(
    officer_a, settings, behind_one_proxy
):
    client = Client()
    limit = settings.AXES_FAILURE_LIMIT
    fail_logins(client, limit, HTTP_X_FORWARDED_FOR="203.0.113.7")

    # That address is locked out, even with the right password...
    assert log_in(client, HTTP_X_FORWARDED_FOR="203.0.113.7").status_code == 429
    # ...while a colleague behind the same proxy, from another address, still logs in.
    response = log_in(Client(), HTTP_X_FORWARDED_FOR="198.51.100.20")
    assert response.status_code == 302
    assert AccessAttempt.objects.get().ip_address == "203.0.113.7"


def test_behind_a_proxy_two_forwarded_addresses_are_throttled_separately(
    officer_a, settings, behind_one_proxy
):
    limit = settings.AXES_FAILURE_LIMIT
    fail_logins(Client(), limit - 1, HTTP_X_FORWARDED_FOR="203.0.113.7")
    fail_logins(Client(), limit - 1, HTTP_X_FORWARDED_FOR="198.51.100.20")

    attempts = dict(AccessAttempt.objects.values_list("ip_address", "failures_since_start"))
    assert attempts == {"203.0.113.7": limit - 1, "198.51.100.20": limit - 1}
    # Neither is locked out yet: together they would have been, were the proxy's address counted.
    assert log_in(Client(), HTTP_X_FORWARDED_FOR="203.0.113.7").status_code == 302


def test_behind_a_proxy_a_forged_left_part_of_the_header_is_not_read(
    officer_a, settings, behind_one_proxy
):
    """nginx appends the real address; what the client sent stays on the left."""
    limit = settings.AXES_FAILURE_LIMIT
    for forged in range(limit):
        fail_logins(Client(), 1, HTTP_X_FORWARDED_FOR=f"192.0.2.{forged}, 203.0.113.7")

    assert log_in(Client(), HTTP_X_FORWARDED_FOR="192.0.2.99, 203.0.113.7").status_code == 429
    assert AccessAttempt.objects.get().ip_address == "203.0.113.7"


def test_without_a_proxy_a_forged_header_does_not_dodge_the_throttle(officer_a, settings):
    assert settings.TRUSTED_PROXY_COUNT == 0  # the default
    limit = settings.AXES_FAILURE_LIMIT
    for forged in range(limit):
        fail_logins(Client(), 1, HTTP_X_FORWARDED_FOR=f"192.0.2.{forged}")

    # Every attempt counted against the connection's address, whatever the header said.
    assert log_in(Client(), HTTP_X_FORWARDED_FOR="192.0.2.250").status_code == 429
    assert AccessAttempt.objects.get().ip_address == PROXY


class FakeRequest:
    def __init__(self, **meta):
        self.META = {"REMOTE_ADDR": PROXY, **meta}


@pytest.mark.parametrize(
    "count,forwarded,expected",
    [
        (0, "203.0.113.7", PROXY),
        (1, None, PROXY),
        (1, "", PROXY),
        (1, "203.0.113.7", "203.0.113.7"),
        (1, "192.0.2.1,203.0.113.7", "203.0.113.7"),
        (1, " 192.0.2.1 ,  203.0.113.7 ", "203.0.113.7"),
        (2, "192.0.2.1, 203.0.113.7, 10.0.0.9", "203.0.113.7"),
        (2, "203.0.113.7", "203.0.113.7"),  # entered after the first proxy
        (1, "2001:db8::1", "2001:db8::1"),
        (1, "2001:DB8:0::1", "2001:db8::1"),
        (1, "không-phải-địa-chỉ", PROXY),
        (1, "192.0.2.1, unknown", PROXY),
    ],
)
def test_the_client_address_is_taken_as_the_proxy_count_says(settings, count, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = count
    meta = {} if forwarded is None else {"HTTP_X_FORWARDED_FOR": forwarded}
    assert axes_client_ip(FakeRequest(**meta)) == expected
