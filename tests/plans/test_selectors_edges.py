"""plans.selectors.progress at its edges: first and last active years, 0/0 reports, the lagging
rules of
yes/no counts, and filters that must change what is shown when they are taken away.

Province A (conftest): the provincial committee, departments 91-SNV and 91-STTTT, districts
91-H899 (until 2025) and 91-H900 (until 2020), communes 91-X30733 (until 2025) and 91-X30736
(from 2018). Province B: its committee and department 33-SNV.
"""

import dataclasses
from fractions import Fraction

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from plans.models import Agency, Plan, Result
from plans.rules.progress import Tally
from plans.selectors import figures as figure_reads
from plans.selectors import progress as selectors
from tests.factories import make_result, make_target


def only_progress(plan):
    (answer,) = selectors.plan_progress(plan)
    return answer.progress


# An agency's first and last active years -------------------------------------------------------


def test_it_counts_an_agency_in_its_first_active_year(province_a, agencies_a, indicator):
    fibre = indicator("FIBRE")
    plan_2018 = Plan.objects.create(province=province_a, year=2018)
    make_target(plan_2018, fibre, "commune", 100)
    make_result(agencies_a["91-X30736"], fibre, 2018, value=1)

    result = only_progress(plan_2018)

    # 91-X30736 starts in 2018: in the scope and counted, beside 91-X30733.
    assert result.agencies_in_scope == 2
    assert result.agencies_reporting == 1
    assert (result.numerator, result.denominator) == (1, 2)


def test_it_counts_an_agency_in_its_last_active_year(province_a, agencies_a, indicator):
    fibre = indicator("FIBRE")
    plan_2020 = Plan.objects.create(province=province_a, year=2020)
    make_target(plan_2020, fibre, "district", 100)
    make_result(agencies_a["91-H900"], fibre, 2020, value=1)

    result = only_progress(plan_2020)

    # 91-H900 ends in 2020: still in the scope and counted, beside 91-H899.
    assert result.agencies_in_scope == 2
    assert result.agencies_reporting == 1
    assert (result.numerator, result.denominator) == (1, 2)


def test_it_sums_results_in_the_active_years_only_whether_asked_one_year_or_several(
    province_a, agencies_a, indicator
):
    fibre = indicator("FIBRE")
    # Before its first year and after its last, an agency's results do not count.
    for agency, year in (("91-X30736", 2017), ("91-X30736", 2018),
                         ("91-H900", 2020), ("91-H900", 2021)):
        make_result(agencies_a[agency], fibre, year, value=1)
    ask = {"province_ids": {province_a.pk}, "indicator_ids": {fibre.pk}}
    counted = {
        (province_a.pk, 2018, fibre.pk, "commune"): Tally(agencies_reporting=1, value_sum=1),
        (province_a.pk, 2020, fibre.pk, "district"): Tally(agencies_reporting=1, value_sum=1),
    }

    assert selectors.result_tallies(years={2017, 2018, 2020, 2021}, **ask) == counted
    for year in (2017, 2018, 2020, 2021):
        alone = {key: tally for key, tally in counted.items() if key[1] == year}
        assert selectors.result_tallies(years={year}, **ask) == alone


def test_it_tallies_only_the_provinces_and_indicators_asked_for_with_zero_for_no_figure(
    province_a, agencies_a, agencies_b, indicator
):
    lan, email = indicator("LAN"), indicator("OFFICIAL_EMAIL")
    make_result(agencies_a["91-SNV"], lan, 2017, value=1)
    make_result(agencies_a["91-SNV"], email, 2017, numerator=3, denominator=4)
    make_result(agencies_a["91-SNV"], indicator("FIBRE"), 2017, value=1)
    make_result(agencies_b["33-SNV"], lan, 2017, value=1)

    for years in ({2017}, {2017, 2018}):
        tallies = selectors.result_tallies(
            province_ids={province_a.pk}, years=years, indicator_ids={lan.pk, email.pk}
        )

        # No FIBRE, no province B; a sum over no figure is 0, never None.
        assert tallies == {
            (province_a.pk, 2017, lan.pk, "department"): Tally(
                agencies_reporting=1, value_sum=1, numerator_sum=0, denominator_sum=0
            ),
            (province_a.pk, 2017, email.pk, "department"): Tally(
                agencies_reporting=1, value_sum=0, numerator_sum=3, denominator_sum=4
            ),
        }


# The drill-down: an agency's own figure and whether it lags ------------------------------------


def test_it_shows_a_0_of_0_report_on_a_percent_target_as_no_figure(plan_a, agencies_a, indicator):
    email = indicator("OFFICIAL_EMAIL")
    target = make_target(plan_a, email, "department+district", 80)
    make_result(agencies_a["91-SNV"], email, numerator=0, denominator=0)
    make_result(agencies_a["91-STTTT"], email, numerator=9, denominator=10)
    make_result(agencies_a["91-H899"], email, numerator=5, denominator=10)

    reported, silent = figure_reads.scope_figures(plan_a, [target])[target.pk]

    # 0 of 0 officials is no share: neither lagging nor not, between the two groups.
    assert [(f.agency.code, f.achieved, f.lagging) for f in reported] == [
        ("91-H899", Fraction(50), True),
        ("91-SNV", None, None),
        ("91-STTTT", Fraction(90), False),
    ]
    assert [f.agency.code for f in silent] == ["91-H900"]


def test_it_puts_a_0_of_0_report_between_lagging_and_met_on_an_at_most_target(
    plan_a, agencies_a, indicator
):
    meetings = indicator("ONLINE_MEETINGS")
    target = make_target(plan_a, meetings, "department+district", 40, comparator="<=")
    make_result(agencies_a["91-SNV"], meetings, numerator=0, denominator=0)
    make_result(agencies_a["91-STTTT"], meetings, numerator=9, denominator=10)
    make_result(agencies_a["91-H899"], meetings, numerator=3, denominator=10)

    reported, _ = figure_reads.scope_figures(plan_a, [target])[target.pk]

    assert [(f.agency.code, f.lagging) for f in reported] == [
        ("91-STTTT", True), ("91-SNV", None), ("91-H899", False),
    ]


def lagging_of_yes_no_count(plan, agencies, indicator, comparator):
    signature = indicator("DIGITAL_SIGNATURE")
    target = make_target(plan, signature, "department", 1, comparator=comparator, unit="count")
    make_result(agencies["91-SNV"], signature, value=0)
    make_result(agencies["91-STTTT"], signature, value=1)
    reported, _ = figure_reads.scope_figures(plan, [target])[target.pk]
    return [(f.agency.code, f.lagging) for f in reported]


def test_it_holds_a_no_back_on_a_more_than_yes_no_count(plan_a, agencies_a, indicator):
    assert lagging_of_yes_no_count(plan_a, agencies_a, indicator, ">") == [
        ("91-SNV", True), ("91-STTTT", False),
    ]


def test_it_holds_a_yes_back_on_an_at_most_yes_no_count(plan_a, agencies_a, indicator):
    assert lagging_of_yes_no_count(plan_a, agencies_a, indicator, "<=") == [
        ("91-STTTT", True), ("91-SNV", False),
    ]


def test_it_holds_a_yes_back_on_a_less_than_yes_no_count(plan_a, agencies_a, indicator):
    assert lagging_of_yes_no_count(plan_a, agencies_a, indicator, "<") == [
        ("91-STTTT", True), ("91-SNV", False),
    ]


# Indicators reported without a target ----------------------------------------------------------


def untargeted(province, year, exclude=()):
    return {
        figure.indicator.code: [
            (line.tier, line.progress.agencies_reporting) for line in figure.lines
        ]
        for figure in figure_reads.untargeted_figures(
            province_id=province.pk, year=year, exclude_indicator_ids=exclude
        )
    }


def test_it_shows_untargeted_results_in_the_agencies_active_years_only(
    province_a, agencies_a, indicator
):
    fibre = indicator("FIBRE")
    for agency, year in (("91-X30736", 2017), ("91-X30736", 2018),
                         ("91-H900", 2020), ("91-H900", 2021)):
        make_result(agencies_a[agency], fibre, year, value=1)

    assert untargeted(province_a, 2017) == {}
    assert untargeted(province_a, 2018) == {"FIBRE": [("commune", 1)]}
    assert untargeted(province_a, 2020) == {"FIBRE": [("district", 1)]}
    assert untargeted(province_a, 2021) == {}


def test_it_shows_untargeted_results_of_the_province_and_year_asked_for_only(
    province_a, province_b, agencies_a, agencies_b, indicator
):
    lan, fibre = indicator("LAN"), indicator("FIBRE")
    make_result(agencies_a["91-SNV"], lan, value=1)
    make_result(agencies_a["91-SNV"], fibre, value=1)
    make_result(agencies_a["91-STTTT"], fibre, 2018, value=1)
    make_result(agencies_b["33-SNV"], fibre, value=1)

    assert untargeted(province_a, 2017) == {"LAN": [("department", 1)],
                                            "FIBRE": [("department", 1)]}
    # LAN has a target: it is left out.
    assert untargeted(province_a, 2017, exclude=[lan.pk]) == {"FIBRE": [("department", 1)]}
    assert untargeted(province_b, 2017) == {"FIBRE": [("department", 1)]}


# The sample-data badge and the dashboard index's years -----------------------------------------


def test_it_marks_sample_data_of_the_province_and_year_asked_for_only(
    agencies_a, agencies_b, indicator
):
    lan = indicator("LAN")
    make_result(agencies_a["91-SNV"], lan, 2018, value=1, is_sample=True)
    make_result(agencies_a["91-SNV"], lan, 2017, value=1)
    make_result(agencies_b["33-SNV"], lan, 2018, value=1)
    province_a, province_b = agencies_a["91-SNV"].province_id, agencies_b["33-SNV"].province_id

    assert figure_reads.has_sample_results(province_id=province_a, year=2018)
    assert not figure_reads.has_sample_results(province_id=province_a, year=2017)
    # Province B's own 2018 results are real, whatever province A's are.
    assert not figure_reads.has_sample_results(province_id=province_b, year=2018)


def test_it_lists_the_years_of_the_provinces_asked_for_only(agencies_a, agencies_b, indicator):
    lan = indicator("LAN")
    make_result(agencies_a["91-SNV"], lan, 2016, value=1)
    make_result(agencies_b["33-SNV"], lan, 2019, value=1)
    province_a, province_b = agencies_a["91-SNV"].province_id, agencies_b["33-SNV"].province_id

    assert figure_reads.result_years([province_a]) == {province_a: {2016}}
    assert figure_reads.result_years([province_a, province_b]) == {
        province_a: {2016}, province_b: {2019},
    }


# What the reads load: only the rows they show, in the shape the indexes serve --------------------


def test_it_loads_only_the_agencies_and_results_the_drill_down_shows(
    plan_a, agencies_a, agencies_b, indicator, monkeypatch
):
    lan, fibre = indicator("LAN"), indicator("FIBRE")
    target = make_target(plan_a, lan, "department", 100)
    shown = make_result(agencies_a["91-SNV"], lan, value=1)
    make_result(agencies_b["33-SNV"], lan, value=1)  # another province
    make_result(agencies_a["91-H899"], lan, value=1)  # another tier
    make_result(agencies_a["91-SNV"], fibre, value=1)  # another indicator
    make_result(agencies_a["91-SNV"], lan, 2018, value=1)  # another year
    loaded = []

    def spy(model):
        from_db = model.from_db.__func__

        def record(cls, db, field_names, values):
            instance = from_db(cls, db, field_names, values)
            loaded.append(instance)
            return instance

        monkeypatch.setattr(model, "from_db", classmethod(record))

    spy(Agency)
    spy(Result)
    # The results are read as plain rows: each row read becomes one ReportedFigure.
    rows_read = []
    real = figure_reads.ReportedFigure

    def reported_figure(*fields):
        rows_read.append(fields)
        return real(*fields)

    monkeypatch.setattr(figure_reads, "ReportedFigure", reported_figure)

    reported, silent = figure_reads.scope_figures(plan_a, [target])[target.pk]

    # A national database holds thousands of agencies and results a year: the drill-down of one
    # target reads its own province, year, tiers and indicators, nothing else.
    assert [f.result for f in reported] == [(shown.value, None, None, shown.note)]
    assert rows_read == [(1, None, None, "")]
    assert [f.agency.code for f in silent] == ["91-STTTT"]
    assert sorted(str(row.pk) + type(row).__name__ for row in loaded) == sorted(
        [str(agencies_a["91-SNV"].pk) + "Agency", str(agencies_a["91-STTTT"].pk) + "Agency"]
    )


def test_it_leaves_the_year_out_of_the_grouping_when_asked_for_one_year(
    province_a, agencies_a, indicator
):
    lan = indicator("LAN")
    make_result(agencies_a["91-SNV"], lan, value=1)
    ask = {"province_ids": {province_a.pk}, "indicator_ids": {lan.pk}}

    def grouped_columns(years):
        with CaptureQueriesContext(connection) as queries:
            selectors.result_tallies(years=years, **ask)
        (query,) = queries.captured_queries
        clause = query["sql"].split(" GROUP BY ", 1)[1]
        for keyword in (" HAVING ", " ORDER BY ", " LIMIT "):
            clause = clause.split(keyword, 1)[0]
        return clause.count(",") + 1

    # PostgreSQL counts the year's distinct values into the groups it expects: grouped by one
    # constant year too, it would plan ten times too many groups and sort them on disk.
    # Province, indicator and tier for one year; the year as well for several.
    assert grouped_columns({2017}) == 3
    assert grouped_columns({2017, 2018}) == 4


@pytest.mark.parametrize(
    "figure",
    [
        selectors.TargetProgress(target=None, progress=None),
        figure_reads.AgencyFigure(agency=None, result=None, achieved=None, lagging=None),
        figure_reads.UntargetedLine(tier="department", progress=None),
        figure_reads.UntargetedFigure(indicator=None, lines=(), total=None),
    ],
    ids=lambda figure: type(figure).__name__,
)
def test_it_answers_with_values_no_caller_can_change(figure):
    # One answer is shared by the page, the workbook and the report built from it.
    with pytest.raises(dataclasses.FrozenInstanceError):
        figure.progress = None


def test_it_counts_the_agencies_of_the_asked_provinces_only(
    province_a, agencies_a, agencies_b
):
    counts = selectors._active_agency_counts([province_a.pk])

    assert {province_id for province_id, _tier in counts} == {province_a.pk}


# Approved figures only (the dashboard's choice) --------------------------------------------------


def test_approved_figures_are_those_of_agencies_approved_for_that_very_year(
    province_a, plan_a, agencies_a, indicator
):
    from plans.models import Submission

    lan = indicator("LAN")
    plan_2016 = Plan.objects.create(province=province_a, year=2016, status=Plan.Status.OPEN)
    approved = make_result(agencies_a["91-SNV"], lan, 2017, value=1)
    submitted = make_result(agencies_a["91-STTTT"], lan, 2017, value=1)
    approved_other_year = make_result(agencies_a["91-UBND"], lan, 2017, value=1)
    Submission.objects.create(plan=plan_a, agency=agencies_a["91-SNV"], state="approved")
    Submission.objects.create(plan=plan_a, agency=agencies_a["91-STTTT"], state="submitted")
    Submission.objects.create(plan=plan_2016, agency=agencies_a["91-UBND"], state="approved")

    kept = selectors.approved_results_only(Result.objects.filter(year=2017))

    assert list(kept) == [approved]
    assert submitted not in kept
    assert approved_other_year not in kept


def test_the_tallies_of_approved_figures_count_only_approved_agencies(
    province_a, plan_a, agencies_a, indicator
):
    from plans.models import Submission

    lan = indicator("LAN")
    make_result(agencies_a["91-SNV"], lan, 2017, value=1)
    make_result(agencies_a["91-STTTT"], lan, 2017, value=1)
    Submission.objects.create(plan=plan_a, agency=agencies_a["91-SNV"], state="approved")

    every = selectors.result_tallies(
        province_ids=[province_a.pk], years=[2017], indicator_ids=[lan.pk]
    )
    approved = selectors.result_tallies(
        province_ids=[province_a.pk], years=[2017], indicator_ids=[lan.pk], approved_only=True
    )

    key = (province_a.pk, 2017, lan.pk, "department")
    assert every[key].agencies_reporting == 2
    assert approved[key].agencies_reporting == 1


# When the figures last changed, and who still owes them ----------------------------------------


def _as_of(plan, targets=()):
    return figure_reads.figures_as_of(
        province_id=plan.province_id, year=plan.year, plan=plan, targets=targets
    )


def _moment(day):
    from datetime import datetime

    from django.utils import timezone

    return timezone.make_aware(datetime(2018, 1, day, 9, 0))


def test_the_figures_as_of_cannot_be_changed_once_read():
    answer = figure_reads.FiguresAsOf(changed_at=None, agencies_missing=0)

    with pytest.raises(dataclasses.FrozenInstanceError):
        answer.agencies_missing = 1  # type: ignore[misc]


def test_the_latest_change_is_of_the_plans_year_only(plan_a, agencies_a, indicator):
    this_year = make_result(agencies_a["91-SNV"], indicator("LAN"), 2017, value=1)
    year_before = make_result(agencies_a["91-SNV"], indicator("LAN"), 2016, value=1)
    Result.objects.filter(pk=this_year.pk).update(updated_at=_moment(1))
    # Corrected later: a figure of another year is not a change of this year's figures.
    Result.objects.filter(pk=year_before.pk).update(updated_at=_moment(20))

    assert _as_of(plan_a).changed_at == _moment(1)


def test_the_latest_change_counts_result_entries_of_this_plan_only(
    province_a, agencies_a, indicator
):
    from plans.models import Change

    # The other plan comes first, so that it is not the plan this one's entries are found by.
    other_plan = Plan.objects.create(province=province_a, year=2016)
    plan_a = Plan.objects.create(province=province_a, year=2017, status=Plan.Status.OPEN)
    result = make_result(agencies_a["91-SNV"], indicator("LAN"), 2017, value=1)
    Result.objects.filter(pk=result.pk).update(updated_at=_moment(1))
    entry = Change.objects.create(result=result, plan=plan_a, channel="grid", new={"value": 1})
    Change.objects.filter(pk=entry.pk).update(changed_at=_moment(5))
    other = Change.objects.create(plan=other_plan, channel="admin", new=None)
    Change.objects.filter(pk=other.pk).update(changed_at=_moment(25))

    # The result's own history entry (day 5) is newer than its row (day 1); the other plan's
    # entry (day 25) is not this plan's.
    assert _as_of(plan_a).changed_at == _moment(5)


def test_an_agency_still_owes_a_figure_reported_for_another_year_only(
    plan_a, agencies_a, indicator
):
    target = make_target(plan_a, indicator("LAN"), "department", "80")
    make_result(agencies_a["91-SNV"], indicator("LAN"), 2017, value=1)
    make_result(agencies_a["91-STTTT"], indicator("LAN"), 2018, value=1)

    assert _as_of(plan_a, [target]).agencies_missing == 1


def test_agencies_of_another_province_owe_nothing_to_this_plan(
    plan_a, agencies_a, agencies_b, indicator
):
    target = make_target(plan_a, indicator("LAN"), "department", "80")
    make_result(agencies_a["91-SNV"], indicator("LAN"), 2017, value=1)
    make_result(agencies_a["91-STTTT"], indicator("LAN"), 2017, value=1)

    # 33-SNV, a department of Hưng Yên, reported nothing: not this plan's concern.
    assert _as_of(plan_a, [target]).agencies_missing == 0


def test_the_report_counts_hold_the_plans_tiers_and_active_agencies_only(
    plan_a, agencies_a, agencies_b, indicator
):
    from plans.models import Submission

    Submission.objects.create(plan=plan_a, agency=agencies_a["91-SNV"], state="submitted")
    Submission.objects.create(plan=plan_a, agency=agencies_a["91-H899"], state="approved")

    departments = figure_reads.submission_counts(plan_a, ["department"])
    communes = figure_reads.submission_counts(plan_a, ["commune"])

    # Hưng Yên's department 33-SNV is not Kiên Giang's.
    assert departments == {"submitted": 1, "approved": 0, "agencies": 2}
    # 91-X30736 starts only in 2018: one commune in 2017.
    assert communes == {"submitted": 0, "approved": 0, "agencies": 1}
