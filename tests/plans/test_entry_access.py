"""Every entry URL against every role, GET and POST.

officer_a (province A) may enter; officer_b (province B) gets 404 for A's pages; leader_a
(reads A) gets 403; an anonymous visitor is sent to the login page; the admin may do it all.
"""

import pytest
from django.urls import reverse

from plans.models import Plan, Result

ENTRY_URLS = [
    ("plans:entry_year", ["91", 2017]),
    ("plans:entry_grid", ["91", 2017, "department"]),
    ("plans:entry_agency", ["91", 2017, "91-SNV"]),
    ("plans:entry_history", ["91", 2017, "91-SNV"]),
    ("plans:entry_upload", ["91", 2017]),
    ("plans:entry_template", ["91", 2017, "csv"]),
    ("plans:entry_template", ["91", 2017, "xlsx"]),
    ("plans:entry_close", ["91", 2017]),
    ("plans:entry_reopen", ["91", 2017]),
]
# What officer_a (and the admin) get for each URL and method.
ALLOWED = {
    ("plans:entry_year", "get"): 200,
    ("plans:entry_year", "post"): 405,
    ("plans:entry_grid", "get"): 200,
    ("plans:entry_grid", "post"): 302,
    ("plans:entry_agency", "get"): 200,
    ("plans:entry_agency", "post"): 302,
    ("plans:entry_history", "get"): 200,
    ("plans:entry_history", "post"): 405,
    ("plans:entry_upload", "get"): 200,
    ("plans:entry_upload", "post"): 400,  # no file chosen
    ("plans:entry_template", "get"): 200,
    ("plans:entry_template", "post"): 405,
    ("plans:entry_close", "get"): 200,  # the confirmation page
    ("plans:entry_close", "post"): 302,
    ("plans:entry_reopen", "get"): 405,
    ("plans:entry_reopen", "post"): 302,
}

CASES = [
    (name, args, method) for name, args in ENTRY_URLS for method in ("get", "post")
]


def ids(case):
    name, args, method = case
    return f"{name.split(':')[1]}-{args[-1]}-{method}"


@pytest.fixture
def setting(plan_a, agencies_a, agencies_b, plan_b):
    """Province A's 2017 plan with one result, so that every page has something to show."""
    return plan_a


@pytest.mark.parametrize("case", CASES, ids=ids)
def test_it_sends_anonymous_visitors_to_the_login_page(client, setting, case):
    name, args, method = case
    url = reverse(name, args=args)
    response = getattr(client, method)(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert not Result.objects.exists()


@pytest.mark.parametrize("case", CASES, ids=ids)
def test_it_hides_another_provinces_pages_from_an_officer(client, setting, officer_b, case):
    name, args, method = case
    client.force_login(officer_b)
    response = getattr(client, method)(reverse(name, args=args))
    assert response.status_code == 404
    assert Plan.objects.get(pk=setting.pk).status == "open"


@pytest.mark.parametrize("case", CASES, ids=ids)
def test_it_forbids_a_leader_to_enter_or_change_anything(client, setting, leader_a, case):
    name, args, method = case
    client.force_login(leader_a)
    response = getattr(client, method)(reverse(name, args=args))
    assert response.status_code == 403
    assert Plan.objects.get(pk=setting.pk).status == "open"


@pytest.mark.parametrize("case", CASES, ids=ids)
def test_it_lets_the_provinces_officer_in(client, setting, officer_a, case):
    name, args, method = case
    client.force_login(officer_a)
    response = getattr(client, method)(reverse(name, args=args))
    expected = ALLOWED[name, method]
    if name == "plans:entry_reopen" and method == "post":
        expected = 403  # only an admin may reopen a plan
    assert response.status_code == expected


@pytest.mark.parametrize("case", CASES, ids=ids)
def test_it_lets_the_admin_in(client, setting, admin_user, case):
    name, args, method = case
    client.force_login(admin_user)
    if name == "plans:entry_reopen":
        Plan.objects.filter(pk=setting.pk).update(status="closed")
    response = getattr(client, method)(reverse(name, args=args))
    assert response.status_code == ALLOWED[name, method]


def test_it_answers_404_for_a_province_that_does_not_exist(client, officer_a, setting):
    client.force_login(officer_a)
    assert client.get(reverse("plans:entry_year", args=["99", 2017])).status_code == 404


def test_it_answers_404_for_an_agency_of_another_province(client, officer_a, setting):
    client.force_login(officer_a)
    url = reverse("plans:entry_agency", args=["91", 2017, "33-SNV"])
    assert client.get(url).status_code == 404


def test_it_gives_a_national_officer_every_province(client, setting, officer_a):
    officer_a.profile.provinces.clear()
    officer_a.profile.all_provinces = True
    officer_a.profile.save()
    client.force_login(officer_a)
    assert client.get(reverse("plans:entry_year", args=["33", 2017])).status_code == 200


def test_a_get_of_a_post_only_page_answers_a_page_saying_what_to_do(client, officer_a, setting):
    client.force_login(officer_a)
    response = client.get(reverse("plans:entry_reopen", args=["91", 2017]))
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert "chỉ nhận biểu mẫu gửi từ các nút" in page
    assert f'href="{reverse("plans:entry_year", args=["91", 2017])}"' in page


def test_a_post_to_a_read_only_page_names_the_allowed_methods(client, officer_a, setting):
    client.force_login(officer_a)
    response = client.post(reverse("plans:entry_year", args=["91", 2017]))
    assert response.status_code == 405
    assert response["Allow"] == "GET"
    assert "<h1>" in response.content.decode()
