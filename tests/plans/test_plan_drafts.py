"""A draft plan, until an admin opens it: hidden from readers, read-only for officers."""

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse

from plans.forms.grid import make_token
from plans.models import Change, Plan, Result, Target

DRAFT_MESSAGE = (
    "Kế hoạch năm 2017 đang là dự thảo: quản trị viên cần mở kế hoạch (trạng thái "
    "“Đang thực hiện”) trước khi nhập số liệu."
)


@pytest.fixture
def draft(plan_a, agencies_a, indicator):
    """Province A's 2017 plan as a draft, with one target and one saved result."""
    Target.objects.create(plan=plan_a, indicator=indicator("LAN"), tiers="department",
                          comparator=">=", value=50)
    Result.objects.create(year=2017, agency=agencies_a["91-SNV"], indicator=indicator("LAN"),
                          value=1)
    Plan.objects.filter(pk=plan_a.pk).update(status=Plan.Status.DRAFT)
    plan_a.refresh_from_db()
    return plan_a


DASHBOARD_PAGES = [
    ("plans:dashboard_plan", ["91", 2017]),
    ("plans:dashboard_report", ["91", 2017]),
    ("plans:dashboard_csv", ["91", 2017]),
    ("plans:dashboard_xlsx", ["91", 2017]),
]


# Leaders ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("name, args", DASHBOARD_PAGES, ids=[p[0] for p in DASHBOARD_PAGES])
def test_it_answers_404_to_a_leader_on_a_drafts_dashboard(client, leader_a, draft, name, args):
    client.force_login(leader_a)
    assert client.get(reverse(name, args=args)).status_code == 404


def test_it_answers_404_to_a_leader_on_a_drafts_target_page(client, leader_a, draft):
    client.force_login(leader_a)
    target = draft.targets.get()
    url = reverse("plans:dashboard_target", args=["91", 2017, target.pk])
    assert client.get(url).status_code == 404


def test_it_offers_a_leader_no_draft_anywhere(client, leader_a, draft):
    client.force_login(leader_a)
    home = client.get(reverse("plans:home")).content.decode()
    assert reverse("plans:dashboard_plan", args=["91", 2017]) not in home
    assert "Tỉnh này chưa có kế hoạch năm nào." in home
    index = client.get(reverse("plans:dashboard_index"))
    # The year has a result, but its plan is a draft: not offered.
    assert index.context["entries"][0]["years"] == []
    compare = client.get(reverse("plans:dashboard_compare", args=[2017]))
    assert compare.context["table"] == []
    trend = client.get(reverse("plans:dashboard_trend", args=["91", "LAN"]))
    assert trend.context["rows"] == []


def test_it_shows_a_leader_the_plan_once_opened(client, leader_a, draft):
    Plan.objects.filter(pk=draft.pk).update(status=Plan.Status.OPEN)
    client.force_login(leader_a)
    assert client.get(reverse("plans:dashboard_plan", args=["91", 2017])).status_code == 200
    index = client.get(reverse("plans:dashboard_index"))
    assert index.context["entries"][0]["years"] == [2017]


def test_it_answers_a_leader_403_on_a_drafts_entry_pages(client, leader_a, draft):
    client.force_login(leader_a)
    assert client.get(reverse("plans:entry_year", args=["91", 2017])).status_code == 403


# Officers --------------------------------------------------------------------------------------


def test_it_shows_an_officer_the_draft_read_only(client, officer_a, draft, agencies_a):
    client.force_login(officer_a)
    # Each page and what it would offer on an open plan.
    pages = {
        reverse("plans:entry_year", args=["91", 2017]): "Tổng kết kế hoạch",
        reverse("plans:entry_grid", args=["91", 2017, "department"]): "Lưu các ô đã sửa",
        reverse("plans:entry_agency", args=["91", 2017, "91-SNV"]): "Lưu các ô đã sửa",
        reverse("plans:entry_upload", args=["91", 2017]): 'type="file"',
        reverse("plans:entry_result_clear", args=["91", 2017, "91-SNV", "LAN"]):
            'name="version"',
    }
    for url, offer in pages.items():
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert DRAFT_MESSAGE in html, url
        assert offer not in html, url


def test_it_hides_the_close_link_of_a_draft(client, officer_a, draft):
    client.force_login(officer_a)
    html = client.get(reverse("plans:entry_year", args=["91", 2017])).content.decode()
    assert reverse("plans:entry_close", args=["91", 2017]) not in html


def test_it_offers_an_officer_the_draft_for_entry_on_the_home_page(client, officer_a, draft):
    client.force_login(officer_a)
    html = client.get(reverse("plans:home")).content.decode()
    assert reverse("plans:entry_year", args=["91", 2017]) in html
    assert "Dự thảo (chỉ xem)" in html
    assert reverse("plans:dashboard_plan", args=["91", 2017]) not in html


def test_it_answers_404_to_an_officer_on_a_drafts_dashboard(client, officer_a, draft):
    client.force_login(officer_a)
    assert client.get(reverse("plans:dashboard_plan", args=["91", 2017])).status_code == 404


def _refused(response):
    assert response.status_code == 409
    assert DRAFT_MESSAGE in response.content.decode()


def test_it_refuses_every_post_of_an_officer(client, officer_a, draft, agencies_a, indicator):
    client.force_login(officer_a)
    snv, lan = agencies_a["91-SNV"], indicator("LAN")
    result = Result.objects.get()
    prefix = f"r{snv.pk}-{lan.pk}"
    cell = {f"{prefix}-o": make_token(result), f"{prefix}-v": "0"}
    _refused(client.post(reverse("plans:entry_grid", args=["91", 2017, "department"]), cell))
    _refused(client.post(reverse("plans:entry_agency", args=["91", 2017, "91-SNV"]), cell))
    _refused(client.post(reverse("plans:entry_upload", args=["91", 2017]), {"confirm": "1"}))
    _refused(client.post(
        reverse("plans:entry_result_clear", args=["91", 2017, "91-SNV", "LAN"]),
        {"version": str(result.version)},
    ))
    _refused(client.post(reverse("plans:entry_close", args=["91", 2017])))
    assert Result.objects.get().value == 1
    assert Plan.objects.get(pk=draft.pk).status == Plan.Status.DRAFT
    assert not Change.objects.exists()


# Admins ----------------------------------------------------------------------------------------


def test_it_shows_an_admin_the_draft_everywhere(client, admin_user, draft):
    client.force_login(admin_user)
    for name, args in DASHBOARD_PAGES:
        assert client.get(reverse(name, args=args)).status_code == 200, name
    home = client.get(reverse("plans:home")).content.decode()
    assert reverse("plans:dashboard_plan", args=["91", 2017]) in home
    index = client.get(reverse("plans:dashboard_index"))
    assert index.context["entries"][0]["years"] == [2017]
    year = client.get(reverse("plans:entry_year", args=["91", 2017])).content.decode()
    assert reverse("admin:plans_plan_change", args=[draft.pk]) in year


def test_it_lets_an_admin_enter_results_in_a_draft(client, admin_user, draft, agencies_a,
                                                   indicator):
    client.force_login(admin_user)
    snv, lan = agencies_a["91-SNV"], indicator("LAN")
    prefix = f"r{snv.pk}-{lan.pk}"
    url = reverse("plans:entry_grid", args=["91", 2017, "department"])
    assert DRAFT_MESSAGE not in client.get(url).content.decode()
    response = client.post(url, {f"{prefix}-o": make_token(Result.objects.get()),
                                 f"{prefix}-v": "0"})
    assert response.status_code == 302
    assert Result.objects.get().value == 0


# Commands --------------------------------------------------------------------------------------


def test_the_commands_work_on_a_draft(draft, agencies_a, tmp_path):
    results = tmp_path / "results.csv"
    results.write_text(
        "year,agency_code,indicator_code,value,numerator,denominator,note\n"
        "2017,91-STTTT,LAN,1,,,\n",
        encoding="utf-8",
    )
    call_command("import_results", str(results))
    assert Result.objects.filter(agency__code="91-STTTT").exists()
    targets = tmp_path / "targets.csv"
    targets.write_text(
        "province_code,year,indicator_code,tiers,comparator,value,unit,note\n"
        "91,2017,FIBRE,department,>=,3,count,\n",
        encoding="utf-8",
    )
    call_command("import_targets", str(targets))
    assert draft.targets.filter(indicator__code="FIBRE", value=Decimal(3)).exists()
    output = tmp_path / "progress.csv"
    call_command("export_progress", "--province", "91", "--year", "2017", "--output",
                 str(output))
    assert "LAN,department,>=,50,percent,100.0" in output.read_text(encoding="utf-8")
    assert Plan.objects.get(pk=draft.pk).status == Plan.Status.DRAFT


def test_import_targets_creates_a_draft(province_a, tmp_path):
    targets = tmp_path / "targets.csv"
    targets.write_text(
        "province_code,year,indicator_code,tiers,comparator,value,unit,note\n"
        "91,2019,LAN,department,>=,50,percent,\n",
        encoding="utf-8",
    )
    call_command("import_targets", str(targets))
    assert Plan.objects.get(year=2019).status == Plan.Status.DRAFT
