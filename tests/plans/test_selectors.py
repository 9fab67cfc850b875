"""plans.selectors.progress: which agencies and results count for a target, in a constant number of
queries.

Province A (conftest): the provincial committee, departments 91-SNV and 91-STTTT, districts
91-H899 (until 2025) and 91-H900 (until 2020), communes 91-X30733 (until 2025) and 91-X30736
(from 2018).
"""

from decimal import Decimal

import pytest

from plans.models import Agency, Plan, Result, Target
from plans.rules.progress import Status
from plans.selectors.progress import plan_progress, result_tallies, targets_progress
from tests.factories import make_result, make_target


def only(progresses):
    assert len(progresses) == 1
    return progresses[0].progress


def test_it_counts_every_agency_of_the_tiers_in_scope(plan_a, agencies_a, indicator):
    lan = indicator("LAN")
    make_target(plan_a, lan, "department+district", 50)
    make_result(agencies_a["91-SNV"], lan, 2017, value=1)
    make_result(agencies_a["91-H899"], lan, 2017, value=1)
    make_result(agencies_a["91-STTTT"], lan, 2017, value=0)

    result = only(plan_progress(plan_a))

    # Two departments and two districts are in scope; 91-H900 has not reported.
    assert result.agencies_in_scope == 4
    assert result.agencies_reporting == 3
    assert (result.numerator, result.denominator) == (2, 4)
    assert result.status == Status.MET
    assert result.is_provisional


def test_it_ignores_results_of_tiers_outside_the_scope(plan_a, agencies_a, indicator):
    lan = indicator("LAN")
    make_target(plan_a, lan, "department", 100)
    make_result(agencies_a["91-SNV"], lan, 2017, value=1)
    make_result(agencies_a["91-STTTT"], lan, 2017, value=1)
    make_result(agencies_a["91-UBND"], lan, 2017, value=0)
    make_result(agencies_a["91-H899"], lan, 2017, value=0)
    make_result(agencies_a["91-X30733"], lan, 2017, value=0)

    result = only(plan_progress(plan_a))

    assert (result.agencies_reporting, result.agencies_in_scope) == (2, 2)
    assert (result.numerator, result.denominator) == (2, 2)
    assert result.status == Status.MET


def test_it_leaves_out_agencies_not_active_in_the_plans_year(province_a, agencies_a, indicator):
    lan = indicator("LAN")
    plan_2021 = Plan.objects.create(province=province_a, year=2021)
    make_target(plan_2021, lan, "district+commune", 100)
    make_result(agencies_a["91-H899"], lan, 2021, value=1)
    make_result(agencies_a["91-X30733"], lan, 2021, value=1)
    make_result(agencies_a["91-X30736"], lan, 2021, value=1)
    # 91-H900 ended in 2020: a result stored for 2021 (say, before its end year was corrected)
    # neither widens the scope nor counts.
    make_result(agencies_a["91-H900"], lan, 2021, value=0)

    result = only(plan_progress(plan_2021))

    assert (result.agencies_reporting, result.agencies_in_scope) == (3, 3)
    assert result.status == Status.MET
    assert result.is_complete


def test_it_leaves_out_agencies_that_start_after_the_plans_year(plan_a, agencies_a, indicator):
    fibre = indicator("FIBRE")
    make_target(plan_a, fibre, "commune", 100)
    make_result(agencies_a["91-X30733"], fibre, 2017, value=1)
    # 91-X30736 exists from 2018 only.
    make_result(agencies_a["91-X30736"], fibre, 2017, value=0)

    result = only(plan_progress(plan_a))

    assert (result.agencies_reporting, result.agencies_in_scope) == (1, 1)
    assert (result.numerator, result.denominator) == (1, 1)
    assert result.status == Status.MET


def test_it_counts_an_agency_with_open_bounds_every_year(province_a, agencies_a, indicator):
    web = indicator("WEB_PORTAL")
    plan_2030 = Plan.objects.create(province=province_a, year=2030)
    make_target(plan_2030, web, "all", 100)
    make_result(agencies_a["91-UBND"], web, 2030, value=1)

    result = only(plan_progress(plan_2030))

    # Only the committee and the two departments (no end year) still exist in 2030.
    assert (result.agencies_reporting, result.agencies_in_scope) == (1, 3)
    assert (result.numerator, result.denominator) == (1, 3)
    assert result.status == Status.NOT_MET


def test_it_reads_all_as_the_four_tiers(plan_a, agencies_a, indicator):
    make_target(plan_a, indicator("WEB_PORTAL"), "all", 100)

    result = only(plan_progress(plan_a))

    # 2017: committee, two departments, two districts, one commune (91-X30736 starts 2018).
    assert result.agencies_in_scope == 6
    assert result.status == Status.NO_DATA


def test_it_ignores_other_provinces_years_and_indicators(
    plan_a, agencies_a, agencies_b, indicator
):
    lan = indicator("LAN")
    make_target(plan_a, lan, "department", 50)
    make_result(agencies_a["91-SNV"], lan, 2017, value=0)
    make_result(agencies_b["33-SNV"], lan, 2017, value=1)
    make_result(agencies_a["91-STTTT"], lan, 2018, value=1)
    make_result(agencies_a["91-STTTT"], indicator("FIBRE"), 2017, value=1)

    result = only(plan_progress(plan_a))

    assert (result.agencies_reporting, result.agencies_in_scope) == (1, 2)
    assert (result.numerator, result.denominator) == (0, 2)
    assert result.status == Status.NOT_MET


def test_it_sums_ratios_over_the_scope(plan_a, agencies_a, indicator):
    email = indicator("OFFICIAL_EMAIL")
    make_target(plan_a, email, "department+district", 80, comparator=">")
    make_result(agencies_a["91-SNV"], email, 2017, numerator=30, denominator=40)
    make_result(agencies_a["91-STTTT"], email, 2017, numerator=50, denominator=60)
    # Outside the scope: a commune at 100 % does not lift the figure.
    make_result(agencies_a["91-X30733"], email, 2017, numerator=20, denominator=20)

    result = only(plan_progress(plan_a))

    # 80 of 100 officials: exactly 80 %, which is not "trên 80%".
    assert (result.numerator, result.denominator) == (80, 100)
    assert result.achieved_rounded == Decimal("80.0")
    assert result.status == Status.NOT_MET
    assert (result.agencies_reporting, result.agencies_in_scope) == (2, 4)


def test_it_counts_the_numerators_of_a_ratio_target_in_count_units(plan_a, agencies_a, indicator):
    level4 = indicator("PUBLIC_SERVICES_L4")
    make_target(plan_a, level4, "all", 3, unit="count")
    make_result(agencies_a["91-SNV"], level4, 2017, numerator=2, denominator=80)
    make_result(agencies_a["91-H899"], level4, 2017, numerator=1, denominator=300)
    make_result(agencies_a["91-X30733"], level4, 2017, numerator=0, denominator=120)

    result = only(plan_progress(plan_a))

    assert (result.numerator, result.denominator) == (3, None)
    assert result.status == Status.MET


def test_it_gives_one_progress_per_target_ordered_by_indicator_and_tiers(
    plan_a, agencies_a, indicator
):
    make_target(plan_a, indicator("WEB_PORTAL"), "all", 100)
    make_target(plan_a, indicator("ONE_STOP_SHOP"), "district", 100)
    make_target(plan_a, indicator("ONE_STOP_SHOP"), "department", 50)

    progresses = plan_progress(plan_a)

    assert [(p.target.indicator.code, p.target.tiers) for p in progresses] == [
        ("ONE_STOP_SHOP", "department"),
        ("ONE_STOP_SHOP", "district"),
        ("WEB_PORTAL", "province+department+district+commune"),
    ]
    assert [p.progress.agencies_in_scope for p in progresses] == [2, 2, 6]


def test_it_answers_an_empty_plan_with_one_query(plan_a, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert plan_progress(plan_a) == []


def test_it_answers_targets_of_several_provinces_and_years_at_once(
    plan_a, plan_b, agencies_a, agencies_b, indicator, province_a
):
    lan = indicator("LAN")
    plan_a_2018 = Plan.objects.create(province=province_a, year=2018)
    for plan in (plan_a, plan_b, plan_a_2018):
        make_target(plan, lan, "department", 100)
    make_result(agencies_a["91-SNV"], lan, 2017, value=1)
    make_result(agencies_a["91-SNV"], lan, 2018, value=1)
    make_result(agencies_a["91-STTTT"], lan, 2018, value=1)
    make_result(agencies_b["33-SNV"], lan, 2017, value=1)

    targets = Target.objects.select_related("plan", "indicator").order_by("plan__year", "pk")
    answers = {
        (p.target.plan.province_id, p.target.plan.year): p.progress
        for p in targets_progress(targets)
    }

    a_2017 = answers[province_a.pk, 2017]
    assert (a_2017.numerator, a_2017.denominator, a_2017.status) == (1, 2, Status.NOT_MET)
    a_2018 = answers[province_a.pk, 2018]
    assert (a_2018.numerator, a_2018.denominator, a_2018.status) == (2, 2, Status.MET)
    b_2017 = answers[plan_b.province_id, 2017]
    assert (b_2017.numerator, b_2017.denominator, b_2017.status) == (1, 1, Status.MET)


def test_it_sums_one_year_as_it_sums_that_year_among_several(
    province_a, agencies_a, indicator
):
    # result_tallies leaves the year out of its GROUP BY when asked for one year (a PostgreSQL
    # plan matter); the sums must be those of the same year asked together with others.
    lan, email = indicator("LAN"), indicator("OFFICIAL_EMAIL")
    for year in (2020, 2021):
        for code in ("91-SNV", "91-STTTT", "91-H899", "91-H900", "91-X30733"):
            make_result(agencies_a[code], lan, year, value=1 if code != "91-STTTT" else 0)
            make_result(agencies_a[code], email, year, numerator=year - 2000, denominator=40)
    ask = {"province_ids": {province_a.pk}, "indicator_ids": {lan.pk, email.pk}}

    both = result_tallies(years={2020, 2021}, **ask)

    for year in (2020, 2021):
        alone = result_tallies(years={year}, **ask)
        assert alone == {key: tally for key, tally in both.items() if key[1] == year}
    # 91-H900 ended in 2020: counted in 2020, not in 2021.
    district = (province_a.pk, 2020, lan.pk, "district")
    assert both[district].agencies_reporting == 2
    assert both[(province_a.pk, 2021, lan.pk, "district")].agencies_reporting == 1
    email_2021 = both[(province_a.pk, 2021, email.pk, "department")]
    assert (email_2021.numerator_sum, email_2021.denominator_sum) == (42, 80)


def grow_province(province, ubnd, indicators, year, factor):
    """Add ``factor`` agencies of each lower tier and a result for each of them and indicator."""
    new = []
    for tier in ("department", "district", "commune"):
        for n in range(factor):
            new.append(
                Agency(
                    province=province,
                    code=f"{province.code}-{tier}-{n}",
                    name=f"{tier} {n}",
                    tier=tier,
                    parent=ubnd,
                    active_to=2025 if tier != "department" else None,
                )
            )
    Agency.objects.bulk_create(new)
    results = []
    for agency in Agency.objects.filter(province=province):
        for ind in indicators:
            if ind.kind == "ratio":
                results.append(
                    Result(agency=agency, indicator=ind, year=year, numerator=1, denominator=2)
                )
            else:
                results.append(Result(agency=agency, indicator=ind, year=year, value=1))
    Result.objects.bulk_create(results, ignore_conflicts=True)


PLAN_TARGETS = [
    ("LAN", "department+district", "percent"),
    ("OFFICIAL_EMAIL", "all", "percent"),
    ("PUBLIC_SERVICES_L4", "all", "count"),
]


@pytest.mark.parametrize("factor", [1, 10])
def test_it_answers_a_plan_in_three_queries_whatever_its_size(
    plan_a, agencies_a, indicator, factor, django_assert_num_queries
):
    from indicators.models import Indicator

    catalogue = list(Indicator.objects.order_by("code"))
    # factor 1: 3 targets; factor 10: 30 targets (3 per indicator on 10 indicators).
    tier_sets = ["department+district", "province+department+district+commune", "commune"]
    chosen = catalogue[: len(PLAN_TARGETS) * factor // len(tier_sets)] if factor > 1 else []
    for code, tiers, unit in PLAN_TARGETS:
        make_target(plan_a, indicator(code), tiers, 50, unit=unit)
    for ind in chosen:
        for tiers in tier_sets:
            if not Target.objects.filter(plan=plan_a, indicator=ind, tiers=tiers).exists():
                make_target(plan_a, ind, tiers, 3, unit="count")
    grow_province(plan_a.province, agencies_a["91-UBND"], catalogue, 2017, factor * 10)

    expected_targets = Target.objects.filter(plan=plan_a).count()
    assert expected_targets >= 3 * factor

    # 1. the plan's targets with their indicators, 2. agency counts by tier and active years,
    # 3. result sums by province, year, indicator and tier.
    with django_assert_num_queries(3):
        progresses = plan_progress(plan_a)
        statuses = [p.progress.status for p in progresses]

    assert len(progresses) == expected_targets
    assert Status.NO_DATA not in statuses
