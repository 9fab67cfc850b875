"""The small items of issue 19: an approved agency's page has nothing to type or save; the
dashboard's report line in whole words; a copied plan leaves its targets' notes behind."""

import pytest
from django.urls import reverse

from plans.models import Plan, Result, Submission, Target
from plans.services.plans import plan_copy_to_next_year
from plans.words.wording import report_counts_text

AGENCY = reverse("plans:entry_agency", args=["91", 2017, "91-SNV"])


@pytest.fixture
def approved_snv(plan_a, agencies_a, indicator):
    Target.objects.create(plan=plan_a, indicator=indicator("LAN"), tiers="department",
                          comparator=">=", value=50)
    Result.objects.create(year=2017, agency=agencies_a["91-SNV"], indicator=indicator("LAN"),
                          value=1)
    return Submission.objects.create(plan=plan_a, agency=agencies_a["91-SNV"],
                                     state=Submission.State.APPROVED)


def test_an_approved_agency_page_has_disabled_inputs_and_no_save(client, officer_a,
                                                                  approved_snv):
    client.force_login(officer_a)

    html = client.get(AGENCY).content.decode()

    assert "Lưu các ô đã sửa" not in html
    assert "Xoá kết quả" not in html
    assert 'type="file"' not in html
    assert " disabled" in html
    assert "đã được duyệt; cần mở lại trước khi sửa" in html


def test_a_draft_agency_page_keeps_its_inputs(client, officer_a, plan_a, agencies_a):
    client.force_login(officer_a)
    html = client.get(AGENCY).content.decode()
    assert "Lưu các ô đã sửa" in html


@pytest.mark.parametrize(("counts", "text"), [
    ({"agencies": 179, "submitted": 2, "approved": 1},
     "179 đơn vị: 1 đã gửi chờ duyệt, 1 đã duyệt, 177 chưa gửi"),
    ({"agencies": 1, "submitted": 0, "approved": 0},
     "1 đơn vị: 0 đã gửi chờ duyệt, 0 đã duyệt, 1 chưa gửi"),
    ({"agencies": 1200, "submitted": 1200, "approved": 1200},
     "1.200 đơn vị: 0 đã gửi chờ duyệt, 1.200 đã duyệt, 0 chưa gửi"),
])
def test_the_report_line_is_in_whole_words(counts, text):
    assert report_counts_text(counts) == text


def test_the_report_line_speaks_english(settings):
    from django.utils import translation

    with translation.override("en"):
        assert report_counts_text({"agencies": 1, "submitted": 1, "approved": 0}) == (
            "1 agency: 1 submitted awaiting approval, 0 approved, 0 not submitted"
        )


def test_a_copied_plan_drops_the_target_notes(plan_a, indicator, admin_user):
    Target.objects.create(plan=plan_a, indicator=indicator("LAN"), tiers="department",
                          comparator=">=", value=50, note="Theo Kế hoạch 123/KH-UBND năm 2017")

    copy = plan_copy_to_next_year(plan=plan_a, user=admin_user)

    assert Plan.objects.get(pk=copy.pk).year == 2018
    [target] = copy.targets.all()
    assert (target.indicator.code, target.value, target.note) == ("LAN", 50, "")
