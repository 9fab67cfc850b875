"""Figures in words (plans.words.wording), the one module the tags, workbook, views and services
call."""

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import timezone, translation

from plans.rules import progress
from plans.services import results
from plans.templatetags import progress_tags
from plans.words import wording


@pytest.mark.parametrize(
    ("kind", "figures", "expected"),
    [
        ("yes_no", (1, None, None), "Có"),
        ("yes_no", (0, None, None), "Không"),
        ("yes_no", (None, None, None), "(trống)"),
        ("count", (3, None, None), "3"),
        ("count", (None, None, None), "(trống)"),
        ("ratio", (None, 412, 430), "412/430"),
        ("ratio", (None, 412, None), "412/"),
        ("ratio", (None, None, 430), "/430"),
        ("ratio", (None, None, None), "(trống)"),
    ],
)
def test_it_says_a_results_figures_in_words(kind, figures, expected):
    value, numerator, denominator = figures
    with translation.override("vi"):
        assert wording.figures_in_words(
            kind=kind, value=value, numerator=numerator, denominator=denominator
        ) == expected


def test_it_says_a_history_entrys_figures_with_its_note():
    ratio = SimpleNamespace(kind="ratio")
    with translation.override("vi"):
        assert wording.change_figures_text(ratio, None) == "(chưa có)"
        assert wording.change_figures_text(ratio, {"numerator": 3, "denominator": 4}) == "3/4"
        assert (
            wording.change_figures_text(ratio, {"numerator": 3, "denominator": 4, "note": "ước"})
            == "3/4 — ghi chú: ước"
        )
    with translation.override("en"):
        assert wording.change_figures_text(SimpleNamespace(kind="yes_no"), {"value": 1}) == "Yes"


def plan(**closed):
    province = SimpleNamespace(name="Kiên Giang")
    return SimpleNamespace(year=2017, province=province, **{"closed_by_id": None, **closed})


def test_it_says_a_plan_is_closed_without_naming_anyone_when_nobody_is_recorded():
    with translation.override("vi"):
        message = wording.plan_closed_message(plan())
    assert message.startswith("Kế hoạch năm 2017 của tỉnh Kiên Giang đã tổng kết")


def test_it_says_who_closed_a_plan_and_when():
    who = SimpleNamespace(get_full_name=lambda: "", get_username=lambda: "thu.ky")
    when = timezone.make_aware(datetime.datetime(2018, 1, 15, 9, 30))
    with translation.override("vi"):
        message = wording.plan_closed_message(
            plan(closed_by_id=1, closed_by=who, closed_at=when)
        )
    assert "đã được thu.ky tổng kết lúc 09:30 15/01/2018" in message


def test_it_writes_an_axis_percent_without_decimals():
    with translation.override("vi"):
        assert wording.whole_percent_text(Decimal("75")) == "75 %"


def test_it_names_figure_and_target_in_the_bar_label(indicator):
    target = SimpleNamespace(
        indicator=indicator("OFFICIAL_EMAIL"), comparator=">=", unit="percent",
        value_display=lambda: Decimal("80"),
    )
    met = progress.compute(kind="ratio", unit="percent", comparator=">=", target=Decimal("80"),
                           tally=progress.Tally(agencies_in_scope=1, agencies_reporting=1,
                                                numerator_sum=9, denominator_sum=10))
    silent = progress.compute(kind="ratio", unit="percent", comparator=">=", target=Decimal("80"),
                              tally=progress.Tally(agencies_in_scope=1))
    with translation.override("vi"):
        assert wording.progress_bar_label(met, target) == (
            "Đạt được 90,0 %; chỉ tiêu từ 80 % trở lên"
        )
        assert wording.progress_bar_label(silent, target) == (
            "Chưa có số liệu; chỉ tiêu từ 80 % trở lên"
        )


@pytest.mark.parametrize(
    "name",
    ["achieved_text", "target_text", "status_label", "status_class", "completeness_text",
     "ratio_text", "agency_figure_text", "untargeted_text"],
)
def test_the_template_filters_are_the_wording_functions(name):
    assert getattr(progress_tags, name) is getattr(wording, name)
    assert progress_tags.register.filters[name] is getattr(wording, name)


def test_the_results_service_words_its_refusals_with_the_same_functions():
    assert results.figures_in_words is wording.figures_in_words
    assert results.plan_closed_message is wording.plan_closed_message


def test_it_says_a_plans_closing_time_in_vietnam_time():
    who = SimpleNamespace(pk=7, get_full_name=lambda: "Nguyễn Thu", get_username=lambda: "thu")
    # 23:30 UTC is 06:30 the next day in Asia/Ho_Chi_Minh.
    when = datetime.datetime(2024, 11, 29, 23, 30, tzinfo=datetime.UTC)
    with translation.override("vi"):
        message = wording.plan_closed_message(plan(closed_by_id=7, closed_by=who, closed_at=when))
    assert "đã được Nguyễn Thu tổng kết lúc 06:30 30/11/2024" in message


def test_it_says_bạn_or_you_to_the_person_who_closed_the_plan():
    who = SimpleNamespace(pk=7, get_full_name=lambda: "Nguyễn Thu", get_username=lambda: "thu")
    closed = plan(closed_by_id=7, closed_by=who,
                  closed_at=datetime.datetime(2024, 11, 29, 23, 30, tzinfo=datetime.UTC))
    with translation.override("vi"):
        assert "đã được bạn tổng kết" in wording.plan_closed_message(closed, reader=who)
    with translation.override("en"):
        assert "you" in wording.plan_closed_message(closed, reader=who)
        assert "Nguyễn Thu" not in wording.plan_closed_message(closed, reader=who)


def test_it_names_a_person_by_full_name_then_username():
    named = SimpleNamespace(pk=1, get_full_name=lambda: "Lê Văn An", get_username=lambda: "an")
    bare = SimpleNamespace(pk=2, get_full_name=lambda: "", get_username=lambda: "binh")
    assert wording.person_text(named, reader=bare) == "Lê Văn An"
    assert wording.person_text(bare) == "binh"


NUMBERS = [0, 7, -7, 999, 1000, 23171, -1234567, 10**15, Decimal("0"), Decimal("95.8"),
           Decimal("95.85"), Decimal("-0.04"), Decimal("1234.5"), Decimal("1E+3"),
           Decimal("12.50"), 2.5, -1234.25]


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("places", [None, 0, 1, 2])
def test_the_bound_number_formatter_writes_what_number_text_writes(language, places):
    with translation.override(language):
        text = wording.number_formatter()
        for value in NUMBERS:
            assert text(value, places) == wording.number_text(value, places), value
    with translation.override("vi"):
        assert wording.number_formatter()(1234567) == "1.234.567"


def agency_figure(kind, unit, value=None, numerator=None, denominator=None, achieved=None,
                  code="OFFICIAL_EMAIL"):
    from fractions import Fraction

    indicator = SimpleNamespace(code=code, kind=kind)
    target = SimpleNamespace(indicator=indicator, unit=unit)
    reported = value is not None or numerator is not None
    result = SimpleNamespace(value=value, numerator=numerator, denominator=denominator)
    figure = SimpleNamespace(result=result if reported else None,
                             achieved=None if achieved is None else Fraction(achieved))
    return figure, target


@pytest.mark.parametrize(
    ("kind", "unit", "figures", "vietnamese", "english"),
    [
        ("yes_no", "percent", {"value": 1}, "Có", "Yes"),
        ("yes_no", "count", {"value": 0}, "Không", "No"),
        ("yes_no", "percent", {}, "—", "—"),
        ("ratio", "percent", {"numerator": 4121, "denominator": 4300,
                              "achieved": "412100/4300"}, "4.121/4.300 (95,8 %)",
         "4,121/4,300 (95.8 %)"),
        ("ratio", "percent", {"numerator": 1, "denominator": 16, "achieved": "100/16"},
         "1/16 (6,3 %)", "1/16 (6.3 %)"),
        ("ratio", "count", {"numerator": 412, "denominator": 430}, "412/430", "412/430"),
        ("ratio", "percent", {}, "—", "—"),
        ("count", "count", {"value": 12345}, "12.345 cán bộ", "12,345 officials"),
        ("count", "count", {"value": 3, "code": "UNKNOWN_COUNT"}, "3", "3"),
    ],
)
def test_the_words_of_a_targets_agency_figures(kind, unit, figures, vietnamese, english):
    figure, target = agency_figure(kind, unit, **figures)
    for language, expected in (("vi", vietnamese), ("en", english)):
        with translation.override(language):
            words = wording.agency_figure_words(target)
            assert words(figure) == expected
            assert wording.agency_figure_text(figure, target) == expected
            if figure.achieved is not None:
                rounded = progress.round_half_away(figure.achieved, 1)
                assert words(figure, rounded) == expected
                assert words(figure, rounded) == expected  # the second time from its memory
