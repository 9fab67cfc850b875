"""The active-year rule is one: ``active_from ≤ year ≤ active_to``, a blank bound being open.

plans.models.active_in_year states it, Agency.is_active_in and Agency.active_in (a filter) apply
it; every reader of agencies goes through them. Six department agencies of province A, seen in
2017: one that starts in 2017, one that ends in 2017, one that lives in 2017 alone, one with no
bounds (all four active), one that ended in 2016 and one that starts in 2018 (neither).
"""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db.models import F

from plans.demo.builder import DemoAgency
from plans.models import Agency, Plan, Result, Target, active_in_year
from plans.selectors import figures as figure_reads
from plans.selectors import progress as selectors

SPANS = {
    "91-FIRST": (2017, None),
    "91-LAST": (None, 2017),
    "91-ONLY": (2017, 2017),
    "91-OPEN": (None, None),
    "91-ENDED": (None, 2016),
    "91-LATER": (2018, None),
}
ACTIVE_2017 = {"91-FIRST", "91-LAST", "91-ONLY", "91-OPEN"}
ACTIVE_2016 = {"91-LAST", "91-OPEN", "91-ENDED"}


@pytest.fixture
def spans(province_a):
    return {
        code: Agency.objects.create(
            province=province_a, code=code, name=code, tier="department",
            active_from=active_from, active_to=active_to,
        )
        for code, (active_from, active_to) in SPANS.items()
    }


@pytest.fixture
def lan(indicator):
    return indicator("LAN")


@pytest.fixture
def reported(spans, lan):
    """Every agency said yes for 2016 and 2017, active or not (as a wrong file might have)."""
    for agency in spans.values():
        for year in (2016, 2017):
            Result.objects.create(agency=agency, indicator=lan, year=year, value=1)
    return spans


@pytest.mark.parametrize(
    "active_from, active_to, year, active",
    [
        (None, None, 2017, True),
        (2017, None, 2017, True),
        (2017, None, 2016, False),
        (None, 2017, 2017, True),
        (None, 2017, 2018, False),
        (2017, 2017, 2017, True),
        (2017, 2017, 2016, False),
        (2017, 2017, 2018, False),
        (2015, 2020, 2017, True),
    ],
)
def test_it_counts_the_first_and_last_years_in(active_from, active_to, year, active):
    assert active_in_year(active_from, active_to, year) is active
    agency = Agency(active_from=active_from, active_to=active_to)
    assert agency.is_active_in(year) is active


@pytest.mark.parametrize("year, expected", [(2017, ACTIVE_2017), (2016, ACTIVE_2016)])
def test_it_filters_as_it_tests(spans, year, expected):
    in_sql = set(Agency.objects.filter(Agency.active_in(year)).values_list("code", flat=True))
    in_python = {code for code, agency in spans.items() if agency.is_active_in(year)}

    assert in_sql == in_python == expected


def test_it_filters_through_a_relation_and_on_each_rows_own_year(reported, lan):
    through = Result.objects.filter(Agency.active_in(2017, via="agency"), year=2017)
    own_year = Result.objects.filter(Agency.active_in(F("year"), via="agency"))

    assert {r.agency.code for r in through} == ACTIVE_2017
    assert {(r.agency.code, r.year) for r in own_year} == (
        {(code, 2017) for code in ACTIVE_2017} | {(code, 2016) for code in ACTIVE_2016}
    )


def _target(province, year, lan) -> Target:
    plan = Plan.objects.create(province=province, year=year)
    return Target.objects.create(plan=plan, indicator=lan, tiers="department", value=Decimal(50))


def test_it_is_the_scope_and_the_tally_of_a_target(province_a, reported, lan):
    _target(province_a, 2017, lan)
    _target(province_a, 2016, lan)

    # Two years in one read: the tallies take each result against its own year.
    answers = selectors.targets_progress(
        Target.objects.select_related("plan", "indicator").order_by("plan__year")
    )

    by_year = {answer.target.plan.year: answer.progress for answer in answers}
    assert (by_year[2017].agencies_in_scope, by_year[2017].agencies_reporting) == (4, 4)
    assert (by_year[2016].agencies_in_scope, by_year[2016].agencies_reporting) == (3, 3)


def test_it_is_the_tally_of_one_year(province_a, reported, lan):
    tallies = selectors.result_tallies(
        province_ids=[province_a.pk], years=[2017], indicator_ids=[lan.pk]
    )

    assert tallies[province_a.pk, 2017, lan.pk, "department"].agencies_reporting == 4


def test_it_is_the_scope_of_the_drill_down(province_a, reported, lan):
    target = _target(province_a, 2017, lan)

    shown, silent = figure_reads.scope_figures(target.plan, [target])[target.pk]

    assert {figure.agency.code for figure in shown + silent} == ACTIVE_2017


def test_it_is_the_scope_of_untargeted_figures(province_a, reported, lan):
    (figure,) = figure_reads.untargeted_figures(
        province_id=province_a.pk, year=2017, exclude_indicator_ids=[]
    )

    assert figure.agencies_reporting == 4


@pytest.mark.parametrize("code", sorted(SPANS))
def test_it_is_the_rule_of_a_stored_result(spans, lan, code):
    result = Result(agency=spans[code], indicator=lan, year=2017, value=1)

    if code in ACTIVE_2017:
        result.full_clean()
    else:
        with pytest.raises(ValidationError, match="không hoạt động"):
            result.full_clean()


@pytest.mark.parametrize("code", sorted(SPANS))
def test_it_is_the_rule_of_the_demo(code):
    active_from, active_to = SPANS[code]
    demo = DemoAgency("91", code, "department", active_from, active_to)

    assert demo.is_active_in(2017) is (code in ACTIVE_2017)
