"""What every page carries: the language menu, the icon, the way back to a province."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.test import Client, override_settings
from django.urls import reverse

from plans.models import Target
from tests.factories import login

LANGUAGE_OPTIONS = re.compile(r'<option value="(\w+)" lang="\w+"(?: selected)?>([^<]+)</option>')


@pytest.mark.parametrize("language", ["vi", "en"])
def test_it_names_each_language_in_its_own_words(db, client, language):
    client.post(reverse("set_language"), {"language": language, "next": reverse("login")})
    html = client.get(reverse("login")).content.decode()
    assert LANGUAGE_OPTIONS.findall(html) == [("vi", "Tiếng Việt"), ("en", "English")]
    assert "{#" not in html


def test_it_links_its_icon_and_answers_the_icon_browsers_ask_for(db, client):
    html = client.get(reverse("login")).content.decode()
    assert f'<link rel="icon" href="{static("favicon.svg")}" type="image/svg+xml">' in html
    assert finders.find("favicon.svg")
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"] == static("favicon.svg")
    # Served by WhiteNoise (from the collected files in production; from the app's static
    # folders here, where collectstatic has not run).
    with override_settings(WHITENOISE_USE_FINDERS=True):
        assert Client().get(response["Location"]).status_code == 200
    assert client.post("/favicon.ico").status_code == 405


def test_the_breadcrumb_leads_back_to_the_province(client, leader_a, plan_a, indicator):
    target = Target.objects.create(plan=plan_a, indicator=indicator("LAN"), tiers="department",
                                   value=80)
    login(client, leader_a)
    province_link = f'<a href="{reverse("plans:dashboard_index")}#province-91">Kiên Giang</a>'
    for url in (
        reverse("plans:dashboard_plan", args=["91", 2017]),
        reverse("plans:dashboard_target", args=["91", 2017, target.pk]),
        reverse("plans:dashboard_trend", args=["91", "LAN"]),
    ):
        assert province_link in client.get(url).content.decode(), url
    # The anchor is the province's card on the index, which lists its years.
    index = client.get(reverse("plans:dashboard_index")).content.decode()
    assert 'id="province-91"' in index
