"""Words and numbers of progress: through plans.rules.progress, in the active language."""

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from plans.models import Agency, Result, Target
from plans.rules import progress
from plans.selectors import figures as figure_reads
from plans.templatetags import progress_tags as tags


def compute(kind="ratio", unit="percent", comparator=">=", target="80", **tally):
    return progress.compute(kind=kind, unit=unit, comparator=comparator,
                            target=Decimal(target), tally=progress.Tally(**tally))


def target(indicator, code="OFFICIAL_EMAIL", comparator=">=", value="80", unit="percent"):
    return Target(indicator=indicator(code), tiers="all", comparator=comparator,
                  value=Decimal(value), unit=unit)


@pytest.mark.parametrize(
    ("language", "expected"), [("vi", "85,0 %"), ("en", "85.0 %")]
)
def test_it_formats_the_achieved_percent_in_the_active_language(indicator, language, expected):
    prog = compute(agencies_in_scope=2, agencies_reporting=2, numerator_sum=17,
                   denominator_sum=20)
    with translation.override(language):
        assert tags.achieved_text(prog, indicator("OFFICIAL_EMAIL")) == expected


def test_it_shows_a_dash_without_data(indicator):
    prog = compute(agencies_in_scope=3)
    assert tags.achieved_text(prog, indicator("OFFICIAL_EMAIL")) == "—"


def test_it_names_what_a_count_counts(indicator):
    prog = compute(unit="count", target="3", agencies_in_scope=5, agencies_reporting=2,
                   numerator_sum=3, denominator_sum=80)
    with translation.override("vi"):
        assert tags.achieved_text(prog, indicator("PUBLIC_SERVICES_L4")) == "3 dịch vụ"
        yes_count = compute(kind="yes_no", unit="count", target="29", agencies_in_scope=40,
                            agencies_reporting=40, value_sum=29)
        assert tags.achieved_text(yes_count, indicator("DIGITAL_SIGNATURE")) == "29 đơn vị"


@pytest.mark.parametrize(
    ("comparator", "value", "unit", "code", "expected"),
    [
        (">", "80", "percent", "SPECIALIZED_NETWORK", "trên 80 %"),
        (">=", "50", "percent", "ONE_STOP_SHOP", "từ 50 % trở lên"),
        (">=", "12.5", "percent", "ONE_STOP_SHOP", "từ 12,5 % trở lên"),
        (">=", "3", "count", "PUBLIC_SERVICES_L4", "từ 3 dịch vụ trở lên"),
        ("<=", "5", "percent", "E_DOCUMENTS", "không quá 5 %"),
        ("<", "10", "count", "ONLINE_MEETINGS", "dưới 10 cuộc họp"),
    ],
)
def test_it_says_the_target_in_words(indicator, comparator, value, unit, code, expected):
    with translation.override("vi"):
        assert tags.target_text(target(indicator, code, comparator, value, unit)) == expected


def test_it_writes_the_target_in_english_numbers(indicator):
    with translation.override("en"):
        assert "12.5 %" in tags.target_text(target(indicator, value="12.5"))


def test_it_gives_each_status_its_word_and_class():
    with translation.override("vi"):
        assert tags.status_label("met") == "Đạt"
        assert tags.status_label("not_met") == "Chưa đạt"
        assert tags.status_label("no_data") == "Chưa có số liệu"
    assert tags.status_class("not_met") == "status-not_met"
    with pytest.raises(ValueError):
        tags.status_class("maybe")


def test_it_states_completeness():
    prog = compute(agencies_in_scope=20, agencies_reporting=18, numerator_sum=1,
                   denominator_sum=2)
    with translation.override("vi"):
        assert tags.completeness_text(prog) == "18/20 đơn vị đã báo cáo"
    assert tags.ratio_text(prog) == "1/2"


def test_it_shows_an_agency_figure_by_kind(agencies_a, indicator):
    agency = agencies_a["91-SNV"]
    ratio_target = target(indicator)
    result = Result(agency=agency, indicator=indicator("OFFICIAL_EMAIL"), numerator=412,
                    denominator=430)
    figure = figure_reads.AgencyFigure(agency, result, progress.agency_achieved(
        kind="ratio", unit="percent", value=None, numerator=412, denominator=430), False)
    with translation.override("vi"):
        assert tags.agency_figure_text(figure, ratio_target) == "412/430 (95,8 %)"
        yes_target = target(indicator, "LAN")
        yes = figure_reads.AgencyFigure(agency, Result(value=0), Decimal(0), True)
        assert tags.agency_figure_text(yes, yes_target) == "Không"
        silent = figure_reads.AgencyFigure(agency, None, None, None)
        assert tags.agency_figure_text(silent, yes_target) == "—"


def test_it_renders_a_bar_with_a_text_alternative(indicator):
    prog = compute(agencies_in_scope=1, agencies_reporting=1, numerator_sum=3,
                   denominator_sum=4)
    html = Template("{% load progress_tags %}{% progress_bar prog target %}").render(
        Context({"prog": prog, "target": target(indicator, comparator=">")})
    )
    assert "Đạt được 75,0 %; chỉ tiêu trên 80 %" in html
    assert html.startswith("<svg")


def test_it_reads_untargeted_figures(agencies_a, indicator, db):
    for code, value in (("91-SNV", 1), ("91-STTTT", 0), ("91-H899", 1)):
        Result.objects.create(year=2017, agency=agencies_a[code], indicator=indicator("LAN"),
                              value=value)
    Result.objects.create(year=2017, agency=agencies_a["91-SNV"],
                          indicator=indicator("OFFICIAL_EMAIL"), numerator=9, denominator=10)
    # An agency gone by 2021 reporting for 2021 does not count.
    Agency.objects.filter(code="91-H900").update(active_to=2020)
    figures = figure_reads.untargeted_figures(
        province_id=agencies_a["91-SNV"].province_id, year=2017, exclude_indicator_ids=[]
    )
    by_code = {figure.indicator.code: figure for figure in figures}
    with translation.override("vi"):
        lan = by_code["LAN"]
        assert [tags.untargeted_text(line.progress, lan.indicator) for line in lan.lines] == [
            "1/2 đơn vị có (50,0 %)", "1/1 đơn vị có (100,0 %)",
        ]
        # Over the tiers: a count of agencies, no share.
        assert tags.untargeted_text(lan.total, lan.indicator) == "2/3 đơn vị có"
        email = by_code["OFFICIAL_EMAIL"]
        (line,) = email.lines
        assert tags.untargeted_text(line.progress, email.indicator) == "9/10 (90,0 %)"
    only_email = figure_reads.untargeted_figures(
        province_id=agencies_a["91-SNV"].province_id, year=2017,
        exclude_indicator_ids=[indicator("LAN").pk],
    )
    assert [figure.indicator.code for figure in only_email] == ["OFFICIAL_EMAIL"]


@pytest.mark.parametrize(
    ("language", "expected"), [("vi", "6.104/6.152"), ("en", "6,104/6,152")]
)
def test_it_groups_thousands_in_the_active_language(language, expected):
    prog = compute(agencies_in_scope=179, agencies_reporting=179, numerator_sum=6104,
                   denominator_sum=6152)
    with translation.override(language):
        assert tags.ratio_text(prog) == expected
    with translation.override("vi"):
        assert tags.number_text(Decimal("23171.5"), 1) == "23.171,5"
