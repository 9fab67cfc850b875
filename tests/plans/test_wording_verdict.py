"""The verdict in words (plans.words.wording.verdict_text): the arithmetic of a target with its real
numbers, for every kind and unit, comparator and status, in Vietnamese and in English."""

from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import translation

from plans.rules import progress
from plans.words import wording
from tests.factories import login, make_result, make_target

T = progress.Tally


def verdict(kind, unit, comparator, value, tally, code="X", language="vi"):
    target = SimpleNamespace(
        indicator=SimpleNamespace(kind=kind, code=code),
        unit=unit,
        comparator=comparator,
        value_display=lambda: Decimal(value),
    )
    prog = progress.compute(
        kind=kind, unit=unit, comparator=comparator, target=Decimal(value), tally=tally
    )
    with translation.override(language):
        return wording.verdict_text(prog, target)


# kind, unit, comparator, target, tally (in scope, reporting, yes/value, numerators,
# denominators), indicator code, the sentence
CASES = [
    # yes/no, percent: every agency in scope is the denominator.
    ("yes_no", "percent", ">", 80, T(35, 35, 28), "X",
     "28 trên 35 đơn vị trong phạm vi trả lời có: 28/35 = 80,0 %; chỉ tiêu là trên 80 %: "
     "chưa đạt."),
    ("yes_no", "percent", ">=", 80, T(35, 35, 28), "X",
     "28 trên 35 đơn vị trong phạm vi trả lời có: 28/35 = 80,0 %; chỉ tiêu là từ 80 % trở lên: "
     "đạt."),
    ("yes_no", "percent", "<=", 10, T(3, 3, 1), "X",
     "1 trên 3 đơn vị trong phạm vi trả lời có: 1/3 ≈ 33,3 %; chỉ tiêu là không quá 10 %: "
     "chưa đạt."),
    ("yes_no", "percent", "<", 50, T(4, 4, 1), "X",
     "1 trên 4 đơn vị trong phạm vi trả lời có: 1/4 = 25,0 %; chỉ tiêu là dưới 50 %: đạt."),
    # Provisional: the agencies missing count as "no".
    ("yes_no", "percent", ">=", 50, T(4, 3, 2), "X",
     "2 trên 4 đơn vị trong phạm vi trả lời có: 2/4 = 50,0 %; chỉ tiêu là từ 50 % trở lên: "
     "đạt. Số liệu tạm thời: còn 1 đơn vị chưa báo cáo (được tính là chưa có)."),
    # yes/no, count: how many said yes.
    ("yes_no", "count", ">=", 30, T(168, 160, 29), "X",
     "29 đơn vị trong phạm vi trả lời có; chỉ tiêu là từ 30 đơn vị trở lên: chưa đạt. Số liệu "
     "tạm thời: còn 8 đơn vị chưa báo cáo."),
    ("yes_no", "count", ">", 2, T(5, 5, 3), "X",
     "3 đơn vị trong phạm vi trả lời có; chỉ tiêu là trên 2 đơn vị: đạt."),
    # ratio, percent: sums of the parts, numbers grouped in the Vietnamese way.
    ("ratio", "percent", ">=", 100, T(6, 6, 0, 6104, 6104), "OFFICIAL_EMAIL",
     "6 đơn vị đã báo cáo có tổng tử số 6.104, tổng mẫu số 6.104: 6.104/6.104 = 100,0 %; "
     "chỉ tiêu là từ 100 % trở lên: đạt."),
    ("ratio", "percent", ">=", 100, T(6, 2, 0, 412, 430), "OFFICIAL_EMAIL",
     "2 đơn vị đã báo cáo có tổng tử số 412, tổng mẫu số 430: 412/430 ≈ 95,8 %; chỉ tiêu là "
     "từ 100 % trở lên: chưa đạt. Số liệu tạm thời: còn 4 đơn vị chưa báo cáo."),
    ("ratio", "percent", "<", 5, T(1, 1, 0, 1, 40), "X",
     "1 đơn vị đã báo cáo có tổng tử số 1, tổng mẫu số 40: 1/40 = 2,5 %; chỉ tiêu là dưới 5 %: "
     "đạt."),
    # Rounding shows 80,0 % of a share under 80 %: the sentence says so.
    ("ratio", "percent", ">=", 80, T(2, 2, 0, 1999, 2500), "X",
     "2 đơn vị đã báo cáo có tổng tử số 1.999, tổng mẫu số 2.500: 1.999/2.500 ≈ 80,0 %; chỉ "
     "tiêu là từ 80 % trở lên: chưa đạt (trước khi làm tròn, tỉ lệ thấp hơn 80 %)."),
    ("ratio", "percent", "<=", 80, T(2, 2, 0, 2001, 2500), "X",
     "2 đơn vị đã báo cáo có tổng tử số 2.001, tổng mẫu số 2.500: 2.001/2.500 ≈ 80,0 %; chỉ "
     "tiêu là không quá 80 %: chưa đạt (trước khi làm tròn, tỉ lệ cao hơn 80 %)."),
    # ratio, count: the sum of the numerators, named by what it counts.
    ("ratio", "count", ">=", 3, T(6, 2, 0, 3, 150), "PUBLIC_SERVICES_L4",
     "2 đơn vị đã báo cáo, cộng lại được 3 dịch vụ; chỉ tiêu là từ 3 dịch vụ trở lên: đạt. "
     "Số liệu tạm thời: còn 4 đơn vị chưa báo cáo."),
    # count: the sum of the values.
    ("count", "count", ">=", 10, T(3, 3, 7), "X",
     "3 đơn vị đã báo cáo, cộng lại được 7; chỉ tiêu là từ 10 trở lên: chưa đạt."),
    ("count", "count", "<", 5, T(3, 3, 2), "X",
     "3 đơn vị đã báo cáo, cộng lại được 2; chỉ tiêu là dưới 5: đạt."),
    # No data: nobody reported, or a percentage of a zero denominator.
    ("yes_no", "percent", ">", 80, T(35, 0), "X",
     "Chưa có đơn vị nào báo cáo (0/35 đơn vị trong phạm vi): chưa đánh giá được."),
    ("count", "count", ">=", 3, T(6, 0), "X",
     "Chưa có đơn vị nào báo cáo (0/6 đơn vị trong phạm vi): chưa đánh giá được."),
    ("ratio", "percent", ">=", 60, T(3, 2, 0, 0, 0), "X",
     "2 đơn vị đã báo cáo, tổng mẫu số bằng 0: chưa tính được tỉ lệ, chưa đánh giá được. Số "
     "liệu tạm thời: còn 1 đơn vị chưa báo cáo."),
]


@pytest.mark.parametrize(("kind", "unit", "comparator", "value", "tally", "code", "expected"),
                         CASES)
def test_it_explains_the_verdict_in_vietnamese(kind, unit, comparator, value, tally, code,
                                               expected):
    assert verdict(kind, unit, comparator, value, tally, code) == expected


ENGLISH = [
    ("yes_no", "percent", ">", 80, T(35, 35, 28), "X",
     "28 of the 35 agencies in scope answered yes: 28/35 = 80.0 %; the target is above 80 %: "
     "not met."),
    ("yes_no", "percent", ">=", 50, T(4, 3, 2), "X",
     "2 of the 4 agencies in scope answered yes: 2/4 = 50.0 %; the target is at least 50 %: "
     "met. Provisional figures: 1 agency has not reported yet (counted as not confirmed)."),
    ("ratio", "percent", ">=", 80, T(2, 2, 0, 1999, 2500), "X",
     "2 agencies reported, with a total numerator of 1,999 and a total denominator of 2,500: "
     "1,999/2,500 ≈ 80.0 %; the target is at least 80 %: not met (before rounding, the share "
     "is below 80 %)."),
    ("ratio", "count", ">=", 3, T(1, 1, 0, 3, 150), "PUBLIC_SERVICES_L4",
     "1 agency reported, adding up to 3 services; the target is at least 3 services: met."),
    ("count", "count", ">=", 3, T(6, 0), "X",
     "No agency has reported (0/6 agencies in scope): no verdict yet."),
]


@pytest.mark.parametrize(("kind", "unit", "comparator", "value", "tally", "code", "expected"),
                         ENGLISH)
def test_it_explains_the_verdict_in_english(kind, unit, comparator, value, tally, code,
                                            expected):
    assert verdict(kind, unit, comparator, value, tally, code, language="en") == expected


@pytest.mark.parametrize("comparator", progress.COMPARATORS)
@pytest.mark.parametrize(("kind", "unit"), [("yes_no", "percent"), ("yes_no", "count"),
                                            ("ratio", "percent"), ("ratio", "count"),
                                            ("count", "count")])
@pytest.mark.parametrize("tally", [T(4, 4, 2, 2, 4), T(4, 2, 1, 1, 4), T(4, 0)])
def test_it_ends_every_sentence_with_the_status_it_explains(kind, unit, comparator, tally):
    prog = progress.compute(kind=kind, unit=unit, comparator=comparator, target=Decimal(50),
                            tally=tally)
    text = verdict(kind, unit, comparator, 50, tally)
    if prog.status == progress.Status.NO_DATA:
        assert "chưa đánh giá được" in text
    else:
        assert f": {wording.status_label(prog.status).lower()}." in text
    assert ("còn 2 đơn vị chưa báo cáo" in text) == (tally.agencies_reporting == 2)


def test_the_target_page_shows_the_verdict_in_words(client, leader_a, plan_a, agencies_a,
                                                    indicator):
    network = indicator("SPECIALIZED_NETWORK")
    target = make_target(plan_a, network, "department+district", 80, ">")
    for code, value in (("91-SNV", 1), ("91-STTTT", 1), ("91-H899", 1), ("91-H900", 0)):
        make_result(agencies_a[code], network, value=value)
    login(client, leader_a)
    content = client.get(
        reverse("plans:dashboard_target", args=["91", 2017, target.pk])
    ).content.decode()
    assert ("3 trên 4 đơn vị trong phạm vi trả lời có: 3/4 = 75,0 %; chỉ tiêu là trên 80 %: "
            "chưa đạt.") in content
