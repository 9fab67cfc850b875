"""create_api_token, and the tokens in the admin: listed, revoked, never shown again."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from plans.models import ApiToken
from plans.models.api import token_digest
from tests.factories import make_result, make_target


def _create(*args):
    from io import StringIO

    out = StringIO()
    call_command("create_api_token", *args, stdout=out)
    return out.getvalue().splitlines()


def test_it_prints_the_token_alone_on_the_last_line_and_keeps_only_its_hash(officer_a):
    lines = _create("officer_a", "--label", "Cổng dịch vụ công", "--expires-days", "30")
    token = lines[-1]
    assert len(token) >= 40 and " " not in token
    row = ApiToken.objects.get()
    assert row.owner == officer_a and row.label == "Cổng dịch vụ công"
    assert row.digest == token_digest(token) and token not in (row.digest, row.prefix)
    assert row.prefix == token[:8]
    left = row.expires_at - timezone.now()
    assert datetime.timedelta(days=29) < left <= datetime.timedelta(days=30)


def test_without_expiry_a_token_lasts_until_revoked(officer_a):
    _create("officer_a")
    assert ApiToken.objects.get().expires_at is None


def test_each_token_is_new(officer_a):
    assert _create("officer_a")[-1] != _create("officer_a")[-1]


@pytest.mark.parametrize(
    "args, words",
    [
        (["nobody"], "nobody"),
        (["officer_a", "--expires-days", "0"], "0"),
        (["officer_a", "--label", "x" * 101], "101"),
    ],
)
def test_it_refuses_an_unknown_account_or_bad_options(officer_a, args, words):
    with pytest.raises(CommandError, match=words):
        _create(*args)
    assert not ApiToken.objects.exists()


def test_an_inactive_account_gets_no_token(officer_a):
    get_user_model().objects.filter(pk=officer_a.pk).update(is_active=False)
    with pytest.raises(CommandError):
        _create("officer_a")


@pytest.fixture
def admin_client_(client, admin_user):
    client.force_login(admin_user)
    return client


def test_the_admin_lists_tokens_without_the_token(admin_client_, officer_a):
    token = _create("officer_a", "--label", "Nền tảng dữ liệu tỉnh")[-1]
    page = admin_client_.get(reverse("admin:plans_apitoken_changelist")).content.decode()
    assert "Nền tảng dữ liệu tỉnh" in page and "officer_a" in page
    assert token not in page
    assert admin_client_.get(reverse("admin:plans_apitoken_add")).status_code == 403


def test_the_admin_revokes_tokens_and_the_api_refuses_them(
    admin_client_, officer_a, plan_a, indicator, agencies_a
):
    make_target(plan_a, indicator("LAN"), "department", 80)
    make_result(agencies_a["91-SNV"], indicator("LAN"), value=1)
    token = _create("officer_a")[-1]
    row = ApiToken.objects.get()
    response = admin_client_.post(
        reverse("admin:plans_apitoken_changelist"),
        {"action": "revoke", "_selected_action": [row.pk]},
    )
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.revoked_at is not None
    from django.test import Client

    refused = Client().get("/api/v1/provinces/", headers={"Authorization": f"Bearer {token}"})
    assert refused.status_code == 401


def test_a_history_entry_shows_the_token_it_was_written_with(
    admin_client_, officer_a, plan_a, agencies_a, indicator
):
    from plans.models import Change

    make_target(plan_a, indicator("LAN"), "department", 80)
    token = _create("officer_a", "--label", "Cổng một cửa")[-1]
    from django.test import Client

    Client().post(
        "/api/v1/provinces/91/plans/2017/results",
        data={"results": [{"agency_code": "91-SNV", "indicator_code": "LAN", "value": 1}]},
        content_type="application/json", headers={"Authorization": f"Bearer {token}"},
    )
    change = Change.objects.get(result__isnull=False)
    page = admin_client_.get(reverse("admin:plans_change_change", args=[change.pk]))
    assert "Cổng một cửa" in page.content.decode()
