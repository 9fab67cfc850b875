"""Read helpers of the dashboard: agencies' own figures, untargeted indicators, sample marks."""

from decimal import Decimal
from fractions import Fraction

from plans import selectors
from plans.models import Agency, Result, Target


def result(agency, indicator, code, year=2017, **figures):
    return Result.objects.create(year=year, agency=agency, indicator=indicator(code), **figures)


def make_target(plan, indicator, code, tiers, comparator=">=", value="80", unit="percent"):
    return Target.objects.create(plan=plan, indicator=indicator(code), tiers=tiers,
                                 comparator=comparator, value=Decimal(value), unit=unit)


def test_it_lists_lagging_agencies_first_weakest_first(plan_a, agencies_a, indicator,
                                                       django_assert_num_queries):
    target = make_target(plan_a, indicator, "OFFICIAL_EMAIL", "department+district")
    result(agencies_a["91-SNV"], indicator, "OFFICIAL_EMAIL", numerator=9, denominator=10)
    result(agencies_a["91-STTTT"], indicator, "OFFICIAL_EMAIL", numerator=5, denominator=10)
    result(agencies_a["91-H899"], indicator, "OFFICIAL_EMAIL", numerator=7, denominator=10)
    # agency list, results
    with django_assert_num_queries(2):
        reported, silent = selectors.scope_figures(plan_a, [target])[target.pk]
    assert [f.agency.code for f in reported] == ["91-STTTT", "91-H899", "91-SNV"]
    assert [f.lagging for f in reported] == [True, True, False]
    assert reported[0].achieved == Fraction(50)
    assert [f.agency.code for f in silent] == ["91-H900"]


def test_it_puts_the_highest_first_for_an_at_most_target(plan_a, agencies_a, indicator):
    target = make_target(plan_a, indicator, "ONLINE_MEETINGS", "department", "<=", "40")
    result(agencies_a["91-SNV"], indicator, "ONLINE_MEETINGS", numerator=5, denominator=10)
    result(agencies_a["91-STTTT"], indicator, "ONLINE_MEETINGS", numerator=9, denominator=10)
    reported, _ = selectors.scope_figures(plan_a, [target])[target.pk]
    assert [f.agency.code for f in reported] == ["91-STTTT", "91-SNV"]
    assert all(f.lagging for f in reported)


def test_it_judges_no_agency_alone_on_a_summed_count(plan_a, agencies_a, indicator):
    services = make_target(plan_a, indicator, "PUBLIC_SERVICES_L4", "all", value="3",
                           unit="count")
    signatures = make_target(plan_a, indicator, "DIGITAL_SIGNATURE", "department", value="2",
                             unit="count")
    result(agencies_a["91-UBND"], indicator, "PUBLIC_SERVICES_L4", numerator=2, denominator=9)
    result(agencies_a["91-SNV"], indicator, "DIGITAL_SIGNATURE", value=0)
    result(agencies_a["91-STTTT"], indicator, "DIGITAL_SIGNATURE", value=1)
    figures = selectors.scope_figures(plan_a, [services, signatures])
    assert [f.lagging for f in figures[services.pk][0]] == [None]
    # A yes/no count: the agency that said no holds the count back.
    assert [(f.agency.code, f.lagging) for f in figures[signatures.pk][0]] == [
        ("91-SNV", True), ("91-STTTT", False),
    ]


def test_it_keeps_agencies_of_other_years_and_provinces_out(plan_a, agencies_a, agencies_b,
                                                           indicator):
    target = make_target(plan_a, indicator, "LAN", "commune+department")
    result(agencies_b["33-SNV"], indicator, "LAN", value=1)
    result(agencies_a["91-SNV"], indicator, "LAN", year=2018, value=1)
    reported, silent = selectors.scope_figures(plan_a, [target])[target.pk]
    assert reported == []
    # The second commune only starts in 2018.
    assert {f.agency.code for f in silent} == {"91-SNV", "91-STTTT", "91-X30733"}


def test_it_answers_nothing_for_no_targets(plan_a, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert selectors.scope_figures(plan_a, []) == {}


def test_it_finds_years_with_results_and_sample_marks(agencies_a, agencies_b, indicator,
                                                      django_assert_num_queries):
    result(agencies_a["91-SNV"], indicator, "LAN", year=2016, value=1)
    result(agencies_a["91-SNV"], indicator, "FIBRE", year=2016, value=1)
    result(agencies_a["91-SNV"], indicator, "LAN", year=2018, value=1, is_sample=True)
    province_a = agencies_a["91-SNV"].province_id
    province_b = agencies_b["33-SNV"].province_id
    with django_assert_num_queries(1):
        years = selectors.result_years([province_a, province_b])
    assert years == {province_a: {2016, 2018}}
    assert selectors.has_sample_results(province_id=province_a, year=2018)
    assert not selectors.has_sample_results(province_id=province_a, year=2016)


def test_it_counts_each_result_once_for_untargeted_indicators(agencies_a, indicator,
                                                              django_assert_num_queries):
    for code in ("91-SNV", "91-STTTT", "91-H899", "91-X30733"):
        result(agencies_a[code], indicator, "E_DOCUMENTS", numerator=3, denominator=4)
    Agency.objects.filter(code="91-X30733").update(active_from=2018)
    with django_assert_num_queries(1):
        figures = selectors.untargeted_figures(
            province_id=agencies_a["91-SNV"].province_id, year=2017, exclude_indicator_ids=()
        )
    (figure,) = figures
    assert figure.progress.agencies_reporting == 3
    assert (figure.progress.numerator, figure.progress.denominator) == (9, 12)
