"""The demo's dashboards show exactly the figures export_progress gives, with words and marks."""

import csv
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from indicators.models import Indicator
from plans.templatetags.progress_tags import (
    achieved_text,
    completeness_text,
    target_text,
    untargeted_text,
)


@pytest.fixture
def demo(db):
    call_command("load_demo", "--no-accounts", stdout=io.StringIO())


def export(province, year):
    out = io.StringIO()
    call_command("export_progress", "--province", province, "--year", str(year), stdout=out)
    lines = out.getvalue().splitlines()
    return {(row["indicator_code"], row["tiers"]): row for row in csv.DictReader(lines)}


def rows_of(response):
    return [row for group in response.context["groups"] for row in group["rows"]]


@pytest.mark.parametrize(("province", "year"), [("91", 2017), ("33", 2018)])
def test_it_shows_the_figures_of_export_progress(client, admin_user, demo, province, year):
    client.force_login(admin_user)
    response = client.get(reverse("plans:dashboard_plan", args=[province, year]))
    assert response.status_code == 200
    html = response.content.decode()
    exported = export(province, year)
    rows = rows_of(response)
    assert len(rows) == len(exported) > 0
    with translation.override("vi"):
        for row in rows:
            line = exported[(row.target.indicator.code, row.target.tiers)]
            prog = row.progress
            assert str(prog.status) == line["status"]
            assert ("" if prog.achieved_rounded is None else str(prog.achieved_rounded)) == (
                line["achieved"]
            )
            assert str(prog.agencies_reporting) == line["agencies_reporting"]
            assert str(prog.agencies_in_scope) == line["agencies_in_scope"]
            for text in (achieved_text(prog, row.target.indicator), target_text(row.target),
                         completeness_text(prog)):
                assert text in html


def test_it_shows_the_kien_giang_2017_plan_in_words(client, admin_user, demo):
    client.force_login(admin_user)
    html = client.get(reverse("plans:dashboard_plan", args=["91", 2017])).content.decode()
    assert "Dữ liệu mẫu" in html
    assert "sở, ban, ngành tỉnh và UBND cấp huyện" in html
    assert "trên 80 %" in html
    assert "từ 3 dịch vụ trở lên" in html
    # K1 sits exactly at its "more than 80 %" threshold: not met.
    k1 = html.split("SPECIALIZED_NETWORK", 1)[1].split("</tr>", 1)[0]
    assert "80,0 %" in k1
    assert "Chưa đạt" in k1


def test_it_marks_the_hung_yen_2018_figure_provisional(client, admin_user, demo):
    client.force_login(admin_user)
    html = client.get(reverse("plans:dashboard_plan", args=["33", 2018])).content.decode()
    assert "22/28 đơn vị đã báo cáo" in html
    assert "tạm tính" in html


def test_it_shows_hung_yen_2017_results_without_targets(client, admin_user, demo):
    client.force_login(admin_user)
    response = client.get(reverse("plans:dashboard_plan", args=["33", 2017]))
    assert response.status_code == 200
    codes = [item.indicator.code for item in response.context["untargeted"]]
    assert {"LAN", "FIBRE", "OFFICIAL_EMAIL", "DIGITAL_SIGNATURE"} <= set(codes)
    assert "status-" not in response.content.decode().split("untargeted", 1)[1]


def untargeted_lines(response):
    """Return {indicator code: [(scope in words, figure, agencies reporting), ...]}."""
    with translation.override("vi"):
        return {
            item.indicator.code: [
                (line.scope_in_words(), untargeted_text(line.progress, item.indicator),
                 line.progress.agencies_reporting)
                for line in item.lines
            ] + ([("Cộng các cấp", untargeted_text(item.total, item.indicator),
                   item.total.agencies_reporting)] if item.total else [])
            for item in response.context["untargeted"]
        }


# Hưng Yên 2017 as published (seeds README, H1-H5): each tier's figure on its own line.
HUNG_YEN_2017_BY_TIER = {
    # H1: 100 % of departments and districts have a LAN.
    "LAN": [
        ("sở, ban, ngành tỉnh", "18/18 đơn vị có (100,0 %)", 18),
        ("UBND cấp huyện", "10/10 đơn vị có (100,0 %)", 10),
        ("Cộng các cấp", "28/28 đơn vị có", 28),
    ],
    # H2: fibre to 100 % of communes.
    "FIBRE": [("UBND cấp xã", "139/139 đơn vị có (100,0 %)", 139)],
    # H5: digital signature certificates for 29 units.
    "DIGITAL_SIGNATURE": [
        ("UBND tỉnh", "1/1 đơn vị có (100,0 %)", 1),
        ("sở, ban, ngành tỉnh", "18/18 đơn vị có (100,0 %)", 18),
        ("UBND cấp huyện", "10/10 đơn vị có (100,0 %)", 10),
        ("UBND cấp xã", "0/139 đơn vị có (0,0 %)", 139),
        ("Cộng các cấp", "29/168 đơn vị có", 168),
    ],
    # H3: 100 % of officials of departments and districts; H4: 75 % in communes. Never the
    # 83,7 % of all officials together.
    "OFFICIAL_EMAIL": [
        ("sở, ban, ngành tỉnh", "973/973 (100,0 %)", 18),
        ("UBND cấp huyện", "955/955 (100,0 %)", 10),
        ("UBND cấp xã", "2.706/3.608 (75,0 %)", 139),
    ],
}


def test_it_shows_hung_yen_2017_untargeted_figures_per_tier_as_published(client, admin_user,
                                                                         demo):
    client.force_login(admin_user)
    response = client.get(reverse("plans:dashboard_plan", args=["33", 2017]))
    assert untargeted_lines(response) == HUNG_YEN_2017_BY_TIER
    email = next(i for i in response.context["untargeted"] if i.indicator.code == "OFFICIAL_EMAIL")
    assert [line.progress.achieved for line in email.lines] == [100, 100, 75]
    html = response.content.decode()
    assert "83,7 %" not in html
    for lines in HUNG_YEN_2017_BY_TIER.values():
        for scope, figure, _reporting in lines:
            assert figure in html
            assert scope in html


def test_the_hung_yen_2017_report_shows_the_same_lines(client, admin_user, demo):
    client.force_login(admin_user)
    response = client.get(reverse("plans:dashboard_report", args=["33", 2017]))
    assert response.status_code == 200
    assert untargeted_lines(response) == HUNG_YEN_2017_BY_TIER
    html = response.content.decode()
    assert "2.706/3.608 (75,0 %)" in html
    assert "29/168 đơn vị có" in html
    assert "83,7 %" not in html


def test_the_hung_yen_2017_dashboard_links_its_printable_report(client, admin_user, demo):
    # No target, but results and tasks: the report has something to print.
    client.force_login(admin_user)
    html = client.get(reverse("plans:dashboard_plan", args=["33", 2017])).content.decode()
    assert reverse("plans:dashboard_report", args=["33", 2017]) in html


def test_the_hung_yen_2017_workbook_lists_the_same_lines(client, admin_user, demo):
    client.force_login(admin_user)
    response = client.get(reverse("plans:dashboard_xlsx", args=["33", 2017]))
    book = load_workbook(io.BytesIO(response.content))
    # No target in the plan: the summary has no target row, the figures are per tier.
    assert book.sheetnames == ["Tổng hợp", "Ngoài kế hoạch"]
    names = {indicator.name_vi: indicator.code for indicator in Indicator.objects.all()}
    rows = {}
    for row in book["Ngoài kế hoạch"].iter_rows(min_row=6, values_only=True):
        rows.setdefault(names[row[0]], []).append((row[1], row[7], row[2]))
    assert rows == HUNG_YEN_2017_BY_TIER
