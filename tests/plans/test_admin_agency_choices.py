"""Admin choices told apart: every agency the admin offers (autocompletes included) is named as
the status board names it, with its province, and limited to the chosen province."""

import pytest
from django.urls import reverse

from plans.models import Agency

AUTOCOMPLETE = reverse("admin:plans_agency_autocomplete")


@pytest.fixture
def admin_client_(client, admin_user):
    client.force_login(admin_user)
    return client


def ask(client, field, *, model="profile", term="Sở Nội vụ", **extra):
    response = client.get(AUTOCOMPLETE, {"app_label": "plans", "model_name": model,
                                         "field_name": field, "term": term, **extra})
    assert response.status_code == 200
    return [row["text"] for row in response.json()["results"]]


def test_the_autocomplete_names_the_province(admin_client_, agencies_a, agencies_b):
    assert sorted(ask(admin_client_, "agencies")) == [
        "Sở Nội vụ, tỉnh Hưng Yên", "Sở Nội vụ, tỉnh Kiên Giang",
    ]


def test_the_autocomplete_tells_same_names_apart_as_the_status_board(admin_client_, province_a,
                                                                     agencies_a):
    for code, parent in (("91-XA1", "91-H899"), ("91-XA2", "91-H900")):
        Agency.objects.create(province=province_a, code=code, name="UBND xã Bình An",
                              tier="commune", parent=agencies_a[parent])

    assert sorted(ask(admin_client_, "agencies", term="Bình An")) == [
        "UBND xã Bình An – thành phố Rạch Giá, tỉnh Kiên Giang",
        "UBND xã Bình An – thị xã Hà Tiên, tỉnh Kiên Giang",
    ]


def test_the_autocomplete_keeps_to_the_province_asked(admin_client_, agencies_a, agencies_b):
    assert ask(admin_client_, "agencies", province="33") == ["Sở Nội vụ, tỉnh Hưng Yên"]
    # Junk in the province is no province.
    assert len(ask(admin_client_, "agencies", province="x;1")) == 2


def test_a_reporters_form_asks_for_its_province_only(admin_client_, reporter_a, agencies_b):
    html = admin_client_.get(
        reverse("admin:auth_user_change", args=[reporter_a.pk])
    ).content.decode()

    assert f'data-ajax--url="{AUTOCOMPLETE}?province=91"' in html
    # The chosen agency, as the form shows it.
    assert "Sở Nội vụ, tỉnh Kiên Giang" in html


def test_an_agency_of_another_province_is_refused_on_a_parent(admin_client_, agencies_a,
                                                               agencies_b):
    snv = agencies_a["91-SNV"]
    url = reverse("admin:plans_agency_change", args=[snv.pk])
    html = admin_client_.get(url).content.decode()
    assert f"{AUTOCOMPLETE}?province=91" in html

    response = admin_client_.post(url, {
        "province": snv.province_id, "code": snv.code, "name": snv.name, "tier": snv.tier,
        "parent": agencies_b["33-UBND"].pk, "active_from": "", "active_to": "",
    })

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["parent"]
    snv.refresh_from_db()
    assert snv.parent == agencies_a["91-UBND"]


def test_the_autocomplete_is_for_staff_only(client, officer_a, agencies_a):
    client.force_login(officer_a)
    response = client.get(AUTOCOMPLETE, {"app_label": "plans", "model_name": "profile",
                                         "field_name": "agencies", "term": "Sở"})
    assert response.status_code == 302
