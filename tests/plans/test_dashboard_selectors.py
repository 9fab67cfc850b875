"""Read helpers of the dashboard: agencies' own figures, untargeted indicators, sample marks."""

from fractions import Fraction

from plans.models import Agency, Result
from plans.selectors import figures as figure_reads
from tests.factories import make_result, make_target


def test_it_lists_lagging_agencies_first_weakest_first(plan_a, agencies_a, indicator,
                                                       django_assert_num_queries):
    target = make_target(plan_a, indicator("OFFICIAL_EMAIL"), "department+district", "80")
    make_result(agencies_a["91-SNV"], indicator("OFFICIAL_EMAIL"), numerator=9, denominator=10)
    make_result(agencies_a["91-STTTT"], indicator("OFFICIAL_EMAIL"), numerator=5, denominator=10)
    make_result(agencies_a["91-H899"], indicator("OFFICIAL_EMAIL"), numerator=7, denominator=10)
    # agency list, their display names (plans.selectors.naming), results
    with django_assert_num_queries(3):
        reported, silent = figure_reads.scope_figures(plan_a, [target])[target.pk]
    assert [f.agency.code for f in reported] == ["91-STTTT", "91-H899", "91-SNV"]
    assert [f.lagging for f in reported] == [True, True, False]
    assert reported[0].achieved == Fraction(50)
    assert [f.agency.code for f in silent] == ["91-H900"]


def test_it_puts_the_highest_first_for_an_at_most_target(plan_a, agencies_a, indicator):
    target = make_target(plan_a, indicator("ONLINE_MEETINGS"), "department", "40", "<=")
    make_result(agencies_a["91-SNV"], indicator("ONLINE_MEETINGS"), numerator=5, denominator=10)
    make_result(agencies_a["91-STTTT"], indicator("ONLINE_MEETINGS"), numerator=9, denominator=10)
    reported, _ = figure_reads.scope_figures(plan_a, [target])[target.pk]
    assert [f.agency.code for f in reported] == ["91-STTTT", "91-SNV"]
    assert all(f.lagging for f in reported)


def test_it_lists_agencies_with_equal_figures_by_vietnamese_name_then_code(
    plan_a, agencies_a, indicator
):
    target = make_target(plan_a, indicator("OFFICIAL_EMAIL"), "department", "80")
    parent = agencies_a["91-UBND"]
    # "Đ" sorts after "D" in Vietnamese (and after "Z" by code point); equal figures, equal
    # lagging, so only the names and codes order them.
    for code, name in (("91-S3", "Sở Đ"), ("91-S2", "Sở D"), ("91-S1", "Sở E"),
                       ("91-S0", "Sở Đ")):
        agency = Agency.objects.create(province=plan_a.province, code=code, name=name,
                                       tier="department", parent=parent)
        make_result(agency, indicator("OFFICIAL_EMAIL"), numerator=1, denominator=2)
    make_result(agencies_a["91-SNV"], indicator("OFFICIAL_EMAIL"), numerator=2, denominator=2)
    make_result(agencies_a["91-STTTT"], indicator("OFFICIAL_EMAIL"), numerator=0,
                denominator=2)
    reported, _silent = figure_reads.scope_figures(plan_a, [target])[target.pk]
    assert [f.agency.code for f in reported] == [
        "91-STTTT", "91-S2", "91-S0", "91-S3", "91-S1", "91-SNV",
    ]


def test_it_judges_no_agency_alone_on_a_summed_count(plan_a, agencies_a, indicator):
    services = make_target(plan_a, indicator("PUBLIC_SERVICES_L4"), "all", "3", unit="count")
    signatures = make_target(plan_a, indicator("DIGITAL_SIGNATURE"), "department", "2",
                             unit="count")
    make_result(agencies_a["91-UBND"], indicator("PUBLIC_SERVICES_L4"), numerator=2, denominator=9)
    make_result(agencies_a["91-SNV"], indicator("DIGITAL_SIGNATURE"), value=0)
    make_result(agencies_a["91-STTTT"], indicator("DIGITAL_SIGNATURE"), value=1)
    figures = figure_reads.scope_figures(plan_a, [services, signatures])
    assert [f.lagging for f in figures[services.pk][0]] == [None]
    # A yes/no count: the agency that said no holds the count back.
    assert [(f.agency.code, f.lagging) for f in figures[signatures.pk][0]] == [
        ("91-SNV", True), ("91-STTTT", False),
    ]


def test_it_keeps_agencies_of_other_years_and_provinces_out(plan_a, agencies_a, agencies_b,
                                                           indicator):
    target = make_target(plan_a, indicator("LAN"), "commune+department", "80")
    make_result(agencies_b["33-SNV"], indicator("LAN"), value=1)
    make_result(agencies_a["91-SNV"], indicator("LAN"), year=2018, value=1)
    reported, silent = figure_reads.scope_figures(plan_a, [target])[target.pk]
    assert reported == []
    # The second commune only starts in 2018.
    assert {f.agency.code for f in silent} == {"91-SNV", "91-STTTT", "91-X30733"}


def test_it_answers_nothing_for_no_targets(plan_a, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert figure_reads.scope_figures(plan_a, []) == {}


def test_it_finds_years_with_results_and_sample_marks(agencies_a, agencies_b, indicator,
                                                      django_assert_num_queries):
    make_result(agencies_a["91-SNV"], indicator("LAN"), year=2016, value=1)
    make_result(agencies_a["91-SNV"], indicator("FIBRE"), year=2016, value=1)
    make_result(agencies_a["91-SNV"], indicator("LAN"), year=2018, value=1, is_sample=True)
    province_a = agencies_a["91-SNV"].province_id
    province_b = agencies_b["33-SNV"].province_id
    with django_assert_num_queries(1):
        years = figure_reads.result_years([province_a, province_b])
    assert years == {province_a: {2016, 2018}}
    assert figure_reads.has_sample_results(province_id=province_a, year=2018)
    assert not figure_reads.has_sample_results(province_id=province_a, year=2016)


def test_it_counts_each_result_once_for_untargeted_indicators(agencies_a, indicator,
                                                              django_assert_num_queries):
    for code in ("91-SNV", "91-STTTT", "91-H899", "91-X30733"):
        make_result(agencies_a[code], indicator("E_DOCUMENTS"), numerator=3, denominator=4)
    Agency.objects.filter(code="91-X30733").update(active_from=2018)
    # The sums, and the catalogue of indicators.
    with django_assert_num_queries(2):
        figures = figure_reads.untargeted_figures(
            province_id=agencies_a["91-SNV"].province_id, year=2017, exclude_indicator_ids=()
        )
    (figure,) = figures
    assert figure.agencies_reporting == 3
    # The commune is not active in 2017: two tiers, each its own share.
    assert [(line.tier, line.progress.agencies_reporting, line.progress.numerator,
             line.progress.denominator) for line in figure.lines] == [
        ("department", 2, 6, 8), ("district", 1, 3, 4),
    ]


def test_it_breaks_untargeted_indicators_down_by_tier_in_tier_order(agencies_a, indicator):
    make_result(agencies_a["91-X30733"], indicator("OFFICIAL_EMAIL"), numerator=3, denominator=4)
    make_result(agencies_a["91-SNV"], indicator("OFFICIAL_EMAIL"), numerator=10, denominator=10)
    make_result(agencies_a["91-STTTT"], indicator("OFFICIAL_EMAIL"), numerator=30, denominator=30)
    make_result(agencies_a["91-UBND"], indicator("DIGITAL_SIGNATURE"), value=1)
    make_result(agencies_a["91-SNV"], indicator("DIGITAL_SIGNATURE"), value=1)
    make_result(agencies_a["91-STTTT"], indicator("DIGITAL_SIGNATURE"), value=0)
    make_result(agencies_a["91-X30733"], indicator("FIBRE"), value=1)
    figures = {
        figure.indicator.code: figure
        for figure in figure_reads.untargeted_figures(
            province_id=agencies_a["91-SNV"].province_id, year=2017, exclude_indicator_ids=()
        )
    }
    email = figures["OFFICIAL_EMAIL"]
    # 100 % of departments and 75 % of communes, never 43/44 officials together.
    assert [(line.tier, line.progress.achieved) for line in email.lines] == [
        ("department", Fraction(100)), ("commune", Fraction(75)),
    ]
    assert [line.scope_in_words() for line in email.lines] == [
        "sở, ban, ngành tỉnh", "UBND cấp xã",
    ]
    # A share summed over unlike tiers means nothing: no total for a ratio.
    assert email.total is None
    signature = figures["DIGITAL_SIGNATURE"]
    assert [(line.tier, line.progress.numerator, line.progress.denominator)
            for line in signature.lines] == [("province", 1, 1), ("department", 1, 2)]
    # Yes answers add up across tiers as a count of agencies.
    assert signature.total.unit == "count"
    assert (signature.total.numerator, signature.total.agencies_reporting) == (2, 3)
    # One tier: its line is the whole figure.
    assert figures["FIBRE"].total is None
    assert [line.tier for line in figures["FIBRE"].lines] == ["commune"]


def test_it_sums_a_count_indicator_over_tiers(agencies_a):
    from indicators.models import Indicator

    services = Indicator.objects.create(code="SERVICES_COUNT", name_vi="Số dịch vụ",
                                        name_en="Services", group="services", kind="count")
    for code, value in (("91-UBND", 4), ("91-SNV", 2), ("91-STTTT", 3)):
        Result.objects.create(year=2017, agency=agencies_a[code], indicator=services,
                              value=value)
    (figure,) = figure_reads.untargeted_figures(
        province_id=agencies_a["91-SNV"].province_id, year=2017, exclude_indicator_ids=()
    )
    assert [(line.tier, line.progress.unit, line.progress.numerator)
            for line in figure.lines] == [("province", "count", 4), ("department", "count", 5)]
    assert figure.total.numerator == 9


def test_it_reads_untargeted_indicators_in_two_queries_whatever_their_number(
    province_a, agencies_a, indicator, django_assert_num_queries
):
    def read():
        # The sums, and the catalogue of indicators.
        with django_assert_num_queries(2):
            return figure_reads.untargeted_figures(
                province_id=province_a.pk, year=2017, exclude_indicator_ids=()
            )

    make_result(agencies_a["91-SNV"], indicator("LAN"), value=1)
    assert len(read()) == 1
    Agency.objects.bulk_create(
        Agency(province=province_a, code=f"91-Q{i}", name=f"Đơn vị {i}",
               tier=("department", "district", "commune")[i % 3])
        for i in range(30)
    )
    codes = ["LAN", "FIBRE", "DIGITAL_SIGNATURE", "OFFICIAL_EMAIL", "E_DOCUMENTS"]
    Result.objects.bulk_create(
        Result(year=2017, agency=agency, indicator=indicator(code), numerator=1, denominator=2)
        if indicator(code).kind == "ratio"
        else Result(year=2017, agency=agency, indicator=indicator(code), value=1)
        for agency in Agency.objects.filter(code__startswith="91-Q")
        for code in codes
    )
    figures = read()
    assert len(figures) == 5
    assert all(len(figure.lines) == 3 for figure in figures)
