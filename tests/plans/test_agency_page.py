"""Leaders read an agency: /dashboard/<province>/<year>/agency/<code>/ shows its figures, its
report's state, its evidence files to download and its history, read-only; the target page
links each agency there with the count of files behind its figure."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from plans.models import Evidence, Result, Submission, Target
from plans.services.results import ResultEntry, results_record_grid
from tests.conftest import make_user

PAGE = reverse("plans:dashboard_agency", args=["91", 2017, "91-SNV"])


@pytest.fixture
def email_target(plan_a, indicator):
    return Target.objects.create(plan=plan_a, indicator=indicator("OFFICIAL_EMAIL"),
                                 tiers="department", comparator=">=", value=80)


@pytest.fixture
def figures(plan_a, agencies_a, indicator, officer_a, email_target):
    results_record_grid(
        plan=plan_a,
        entries=[ResultEntry(agency=agencies_a["91-SNV"], indicator=indicator("OFFICIAL_EMAIL"),
                             numerator=40, denominator=50, note="quý IV")],
        user=officer_a, channel="grid",
    )


@pytest.fixture
def evidence(agencies_a, indicator, officer_a, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    item = Evidence(agency=agencies_a["91-SNV"], year=2017, indicator=indicator("OFFICIAL_EMAIL"),
                    original_name="bien-ban.pdf", size=4, content_type="application/pdf",
                    sha256="0" * 64, uploaded_by=officer_a)
    item.file.save("x.pdf", ContentFile(b"%PDF"), save=False)
    item.save()
    return item


def test_a_leader_reads_the_figures_state_evidence_and_history(
    client, leader_a, plan_a, agencies_a, figures, evidence
):
    Submission.objects.create(plan=plan_a, agency=agencies_a["91-SNV"],
                              state=Submission.State.SUBMITTED)
    client.force_login(leader_a)

    response = client.get(PAGE)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Sở Nội vụ: báo cáo năm 2017" in html
    assert "40/50 — ghi chú: quý IV" in html
    assert "Đã gửi" in html
    download = reverse("plans:entry_evidence", args=["91", 2017, "91-SNV", evidence.pk])
    assert f'href="{download}"' in html
    assert "bien-ban.pdf" in html
    assert "(chưa có)" in html  # the history: created from nothing
    # Read-only: no form, no delete link, no button.
    assert "<form" not in html.split("<main", 1)[1].split("</main>", 1)[0]
    assert f"evidence/{evidence.pk}/delete/" not in html
    assert client.get(download).status_code == 200


def test_it_answers_in_constant_queries(client, leader_a, plan_a, agencies_a, figures,
                                        indicator, officer_a, django_assert_num_queries):
    client.force_login(leader_a)
    # session, user, profile, province, plan, agency, names, targets, catalogue, results,
    # submission, figures' digest, evidence files, changes
    with django_assert_num_queries(14):
        client.get(PAGE)
    results_record_grid(
        plan=plan_a,
        entries=[ResultEntry(agency=agencies_a["91-SNV"], indicator=indicator("LAN"), value=1)],
        user=officer_a, channel="grid",
    )
    with django_assert_num_queries(14):
        client.get(PAGE)


def test_a_reporter_reads_only_its_own_agencies(client, reporter_a, plan_a, agencies_a):
    client.force_login(reporter_a)
    assert client.get(PAGE).status_code == 200
    other = reverse("plans:dashboard_agency", args=["91", 2017, "91-STTTT"])
    assert client.get(other).status_code == 404


def test_strangers_and_unknown_agencies_get_404(client, officer_b, leader_a, plan_a, plan_b,
                                                agencies_a):
    client.force_login(officer_b)
    assert client.get(PAGE).status_code == 404
    client.force_login(leader_a)
    assert client.get(reverse("plans:dashboard_agency",
                              args=["91", 2017, "91-NOPE"])).status_code == 404


def test_public_dashboards_do_not_open_it(client, plan_a, agencies_a, settings):
    settings.PUBLIC_DASHBOARD = True
    assert client.get(PAGE).status_code == 404


def test_the_target_page_links_each_agency_with_its_evidence_count(
    client, leader_a, plan_a, email_target, figures, evidence
):
    client.force_login(leader_a)

    html = client.get(
        reverse("plans:dashboard_target", args=["91", 2017, email_target.pk])
    ).content.decode()

    assert f'<a href="{PAGE}">Sở Nội vụ</a>' in html
    assert f'<a href="{PAGE}#evidence">1 tệp</a>' in html
    stttt = reverse("plans:dashboard_agency", args=["91", 2017, "91-STTTT"])
    assert f'<a href="{stttt}">Sở Thông tin và Truyền thông</a>' in html


def test_public_visitors_get_no_links_on_the_target_page(client, plan_a, email_target,
                                                         figures, settings):
    settings.PUBLIC_DASHBOARD = True
    html = client.get(
        reverse("plans:dashboard_target", args=["91", 2017, email_target.pk])
    ).content.decode()
    assert PAGE not in html
    assert "Minh chứng" not in html


def test_an_officer_of_the_province_reads_it_too(client, province_a, plan_a, agencies_a):
    client.force_login(make_user("canbo2", "officer", [province_a]))
    assert client.get(PAGE).status_code == 200


def test_a_result_of_another_year_is_not_among_the_figures(client, leader_a, plan_a,
                                                               agencies_a, indicator):
    Result.objects.create(year=2016, agency=agencies_a["91-SNV"], indicator=indicator("FIBRE"),
                          value=1)
    client.force_login(leader_a)
    figures_part, history_part = client.get(PAGE).content.decode().split("Lịch sử thay đổi số")
    assert "Có kết nối Internet cáp quang" not in figures_part
    assert "Chưa có thay đổi nào được ghi lại." in history_part
