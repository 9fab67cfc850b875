"""Every page that names an indicator links to its definitions page, without a query more."""

import pytest
from django.urls import reverse

from indicators.models import Indicator
from tests.factories import login, make_result, make_target


@pytest.fixture
def network_target(plan_a, agencies_a, indicator):
    target = make_target(plan_a, indicator("SPECIALIZED_NETWORK"), "department", 80, ">")
    make_result(agencies_a["91-SNV"], indicator("SPECIALIZED_NETWORK"), value=1)
    return target


def definition_href(code):
    return f'href="{reverse("indicators:definition", args=[code])}"'


def test_the_grid_links_every_column_header_to_its_definition(client, officer_a, network_target):
    login(client, officer_a)
    page = client.get(reverse("plans:entry_grid", args=["91", 2017, "department"]))
    content = page.content.decode()
    header = content[content.index("<thead>"):content.index("</thead>")]
    for code in Indicator.objects.values_list("code", flat=True):
        assert definition_href(code) in header


def test_the_agency_page_links_every_row_to_its_definition(client, officer_a, network_target):
    login(client, officer_a)
    content = client.get(
        reverse("plans:entry_agency", args=["91", 2017, "91-SNV"])
    ).content.decode()
    for code in Indicator.objects.values_list("code", flat=True):
        assert definition_href(code) in content


def test_the_dashboard_links_each_target_row_to_its_definition(client, leader_a, network_target):
    login(client, leader_a)
    content = client.get(reverse("plans:dashboard_plan", args=["91", 2017])).content.decode()
    assert definition_href("SPECIALIZED_NETWORK") in content
    assert "Dữ liệu đặc tả" in content


def test_the_target_page_links_to_the_definition(client, leader_a, network_target):
    login(client, leader_a)
    content = client.get(
        reverse("plans:dashboard_target", args=["91", 2017, network_target.pk])
    ).content.decode()
    assert definition_href("SPECIALIZED_NETWORK") in content
