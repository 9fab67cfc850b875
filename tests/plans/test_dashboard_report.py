"""The printed report is an official document: names only, its own number, its own font."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from plans.models import Agency, Plan, Target
from tests.factories import login
from tests.plans.test_dashboard_pages import targets_a  # noqa: F401 - a fixture, used by name

# Plan A 2017 with five targets and an indicator reported without a target (LAN).
pytestmark = pytest.mark.usefixtures("targets_a")


def report_html(client, user):
    response = client.get(reverse("plans:dashboard_report", args=["91", 2017]))
    assert response.status_code == 200
    html = response.content.decode()
    # The sheet of paper only: the screen's navigation holds addresses with codes in them.
    return html[html.index('<article class="paper">'):html.index("</article>")]


def test_it_prints_dots_for_a_report_number_still_to_be_written(client, leader_a):
    login(client, leader_a)
    assert '<p class="report-number">Số: ……/BC-BCĐ</p>' in report_html(client, leader_a)


def test_it_prints_the_plans_report_number(client, leader_a, plan_a):
    plan_a.report_number = "15/BC-BCĐ"
    plan_a.save(update_fields=["report_number"])
    login(client, leader_a)
    html = report_html(client, leader_a)
    assert '<p class="report-number">Số: 15/BC-BCĐ</p>' in html
    assert "……" not in html


def test_it_prints_names_and_never_codes(client, leader_a, indicator):
    login(client, leader_a)
    html = report_html(client, leader_a)
    text = re.sub(r"<[^>]+>", " ", html)
    # The targets' indicators and LAN, reported without a target, by their names alone.
    for code in list(Target.objects.values_list("indicator__code", flat=True)) + ["LAN"]:
        assert indicator(code).name in text
        # (LAN's name says "(LAN)": the code may stand in a name, never beside it.)
        assert not re.search(rf"\b{code}\b", text.replace(indicator(code).name, ""))
    for code in Agency.objects.values_list("code", flat=True):
        assert code not in text
    for tier in ("province", "department", "district", "commune"):
        assert tier not in text
    assert 'class="code"' not in html


def test_it_ends_with_the_closing_sentence_and_the_signatures(client, leader_a):
    login(client, leader_a)
    html = report_html(client, leader_a)
    sign_off = html[html.index('<div class="sign-off">'):]
    assert "Trên đây là báo cáo kết quả thực hiện Kế hoạch ứng dụng CNTT năm 2017" in sign_off
    assert "TRƯỞNG BAN" in sign_off


def test_it_serves_the_reports_font_with_its_licence():
    for name in ("Regular", "Bold", "Italic", "BoldItalic"):
        assert finders.find(f"fonts/LiberationSerif-{name}.ttf")
    licence = open(finders.find("fonts/LICENSE-LiberationSerif.txt"), encoding="utf-8").read()
    assert "SIL OPEN FONT LICENSE Version 1.1" in licence


def test_it_lets_an_admin_write_the_report_number(client, admin_user, plan_a):
    client.force_login(admin_user)
    response = client.get(reverse("admin:plans_plan_change", args=[plan_a.pk]))
    assert 'name="report_number"' in response.content.decode()
    assert Plan._meta.get_field("report_number").blank
