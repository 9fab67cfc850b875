"""Clearing a wrong figure: /entry/<province>/<year>/agency/<code>/clear/<indicator>/."""

import pytest
from django.urls import reverse

from plans.models import Change, Plan, Result


def clear_url(code="91-SNV", indicator_code="OFFICIAL_EMAIL", province="91"):
    return reverse("plans:entry_result_clear", args=[province, 2017, code, indicator_code])


@pytest.fixture
def email_result(plan_a, agencies_a, indicator, officer_a):
    return Result.objects.create(
        year=2017, agency=agencies_a["91-SNV"], indicator=indicator("OFFICIAL_EMAIL"),
        numerator=412, denominator=4300, note="gõ nhầm", updated_by=officer_a,
    )


def test_it_shows_what_will_be_cleared(client, officer_a, email_result):
    client.force_login(officer_a)
    response = client.get(clear_url())
    assert response.status_code == 200
    page = response.content.decode()
    assert "412/4300" in page
    assert "gõ nhầm" in page
    assert 'name="version" value="1"' in page
    assert Result.objects.filter(pk=email_result.pk).exists()


def test_the_agency_page_links_each_saved_result_to_its_clearing(
    client, officer_a, email_result
):
    client.force_login(officer_a)
    page = client.get(reverse("plans:entry_agency", args=["91", 2017, "91-SNV"])).content.decode()
    assert page.count("/clear/") == 1
    assert clear_url() in page


def test_it_clears_the_result_and_records_who_and_what(client, officer_a, plan_a, email_result):
    client.force_login(officer_a)
    response = client.post(clear_url(), {"version": "1"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse(
        "plans:entry_agency", args=["91", 2017, "91-SNV"]
    )
    assert "Đã xoá kết quả" in response.content.decode()
    assert not Result.objects.filter(pk=email_result.pk).exists()
    change = Change.objects.get()
    assert change.plan == plan_a
    assert change.changed_by == officer_a
    assert change.channel == Change.Channel.AGENCY
    assert change.new is None
    assert change.old == {
        "agency": "91-SNV", "indicator": "OFFICIAL_EMAIL", "year": 2017,
        "value": None, "numerator": 412, "denominator": 4300, "note": "gõ nhầm",
    }


def test_it_refuses_a_result_changed_since_the_confirmation(client, officer_a, email_result):
    client.force_login(officer_a)
    Result.objects.filter(pk=email_result.pk).update(numerator=41, denominator=43, version=2)
    response = client.post(clear_url(), {"version": "1"})
    assert response.status_code == 409
    assert "đã thay đổi" in response.content.decode()
    assert "41/43" in response.content.decode()
    assert Result.objects.filter(pk=email_result.pk).exists()
    assert not Change.objects.exists()


def test_it_refuses_when_the_plan_is_closed(client, officer_a, admin_user, plan_a, email_result):
    Plan.objects.filter(pk=plan_a.pk).update(status=Plan.Status.CLOSED, closed_by=admin_user)
    client.force_login(officer_a)
    page = client.get(clear_url())
    assert page.status_code == 409
    assert 'name="version"' not in page.content.decode()
    response = client.post(clear_url(), {"version": "1"})
    assert response.status_code == 409
    assert "đã được admin tổng kết" in response.content.decode()
    assert Result.objects.filter(pk=email_result.pk).exists()
    assert not Change.objects.exists()


def test_an_officer_of_another_province_gets_404(client, officer_b, plan_b, email_result):
    client.force_login(officer_b)
    assert client.get(clear_url()).status_code == 404
    assert client.post(clear_url(), {"version": "1"}).status_code == 404
    # Nor through his own province's address.
    assert client.post(clear_url(province="33"), {"version": "1"}).status_code == 404
    assert Result.objects.filter(pk=email_result.pk).exists()


def test_a_leader_gets_403(client, leader_a, email_result):
    client.force_login(leader_a)
    assert client.get(clear_url()).status_code == 403
    assert client.post(clear_url(), {"version": "1"}).status_code == 403
    assert Result.objects.filter(pk=email_result.pk).exists()


def test_an_anonymous_visitor_goes_to_the_login_page(client, email_result):
    response = client.post(clear_url(), {"version": "1"})
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert Result.objects.filter(pk=email_result.pk).exists()


def test_a_result_never_saved_answers_404(client, officer_a, plan_a, agencies_a):
    client.force_login(officer_a)
    assert client.get(clear_url(indicator_code="LAN")).status_code == 404
