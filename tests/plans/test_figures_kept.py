"""Figures kept ahead: the figures version every write moves on, the pages' figures kept in the
cache under it, and ``verify_figures`` recomputing every figure from the raw results."""

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from plans.models import Agency, FiguresVersion, Profile, Result, Submission
from plans.selectors.verify import figures_differences
from plans.services.imports import ImportRefused, agencies_import, results_import
from plans.services.plans import plan_close, plan_reopen
from plans.services.results import ResultEntry, ResultsRefused, result_clear, results_record_grid
from plans.services.submissions import (
    SubmissionRefused,
    submission_approve,
    submission_reopen,
    submission_return,
    submission_submit,
)
from tests.conftest import make_user
from tests.factories import csv_file, login, make_result, make_target

RESULTS_HEADER = "year,agency_code,indicator_code,value,numerator,denominator,note"
AGENCIES_HEADER = (
    "province_code,province_name,agency_code,agency_name,tier,parent_code,active_from,active_to"
)


@pytest.fixture
def kept_plan(plan_a, agencies_a, indicator):
    """Plan A with a LAN target over departments and districts and a ratio target over
    communes."""
    make_target(plan_a, indicator("LAN"), "department+district", "80")
    make_target(plan_a, indicator("OFFICIAL_EMAIL"), "commune", "90")
    return plan_a


def save(plan, agency, indicator, user, **figures):
    current = Result.objects.filter(agency=agency, indicator=indicator, year=plan.year).first()
    entry = ResultEntry(agency=agency, indicator=indicator,
                        expected_version=current.version if current else 0, **figures)
    return results_record_grid(plan=plan, entries=[entry], user=user, channel="grid")


def version(province, year):
    row = FiguresVersion.objects.filter(province=province, year=year).first()
    return row.version if row else 0


def test_every_kind_of_write_moves_the_years_version_on(
    kept_plan, agencies_a, indicator, officer_a, province_a
):
    lan = indicator("LAN")
    steps = [
        lambda: save(kept_plan, agencies_a["91-SNV"], lan, officer_a, value=1),
        lambda: submission_submit(plan=kept_plan, agency=agencies_a["91-SNV"], user=officer_a,
                                  expected_version=0),
        lambda: plan_close(plan=kept_plan, user=officer_a, pending_acknowledged=True),
        lambda: agencies_import(source=csv_file(
            AGENCIES_HEADER, "91,Kiên Giang,91-SNV,Sở Nội vụ tỉnh,department,,,")),
        lambda: Agency.objects.filter(code="91-STTTT").first().save(),
    ]
    seen = [version(province_a, 2017)]
    for step in steps:
        step()
        seen.append(version(province_a, 2017))
    assert seen == sorted(set(seen)), seen


def test_a_year_without_a_plan_has_its_own_version(agencies_a, province_a):
    results_import(source=csv_file(RESULTS_HEADER, "2019,91-SNV,LAN,1,,,"))
    row = FiguresVersion.objects.get(province=province_a, year=2019)
    assert row.version == 1
    assert row.figures_at is not None
    assert row.figures_at >= Result.objects.get(year=2019).updated_at


def test_a_hit_costs_one_query_and_a_write_is_seen_at_once(
    client, figures_cache, kept_plan, agencies_a, indicator, officer_a, leader_a,
    django_assert_num_queries,
):
    save(kept_plan, agencies_a["91-SNV"], indicator("LAN"), officer_a, value=1)
    login(client, leader_a)
    url = reverse("plans:dashboard_plan", args=["91", 2017])
    client.get(url)
    # session, user, profile, province, plan, the province's figures versions (every year's:
    # the year's figures, the programmes' forecasts and the province's programmes are kept
    # under them), the user's provinces (sees several?): nothing else, the figures, forecasts
    # and programmes come from the cache.
    with django_assert_num_queries(7):
        first = client.get(url).context

    def lan_reporting(context):
        return next(row.progress.agencies_reporting for group in context["groups"]
                    for row in group["rows"] if row.target.indicator.code == "LAN")

    assert lan_reporting(first) == 1
    assert "1/4 đơn vị đã báo cáo" in client.get(url).content.decode()
    save(kept_plan, agencies_a["91-STTTT"], indicator("LAN"), officer_a, value=1)
    again = client.get(url)
    assert lan_reporting(again.context) == 2
    # The tables, rendered once per figures version, follow too.
    assert "2/4 đơn vị đã báo cáo" in again.content.decode()
    assert "1/4 đơn vị đã báo cáo" not in again.content.decode()
    assert list(figures_differences()) == []


def test_every_cached_page_follows_a_write(
    client, figures_cache, kept_plan, agencies_a, indicator, officer_a, leader_a
):
    lan = indicator("LAN")
    target = kept_plan.targets.get(indicator=lan)
    login(client, leader_a)

    def reporting():
        """How many agencies reported LAN, as each page says it."""
        plan_page = client.get(reverse("plans:dashboard_plan", args=["91", 2017])).context
        report = client.get(reverse("plans:dashboard_report", args=["91", 2017])).context
        target_page = client.get(
            reverse("plans:dashboard_target", args=["91", 2017, target.pk])
        ).context
        compare = client.get(reverse("plans:dashboard_compare", args=[2017])).context
        sheet = load_workbook(io.BytesIO(
            client.get(reverse("plans:dashboard_xlsx", args=["91", 2017])).content
        ))["Tổng hợp"]
        (row,) = [r for r in sheet.iter_rows(values_only=True) if r[1] == lan.name_vi]
        return [
            *(next(r.progress.agencies_reporting for g in page["groups"] for r in g["rows"]
                   if r.target.pk == target.pk) for page in (plan_page, report)),
            len(target_page["reported"]),
            [cell.achieved for line in compare["table"] for cell in line["cells"]
             if line["target"].indicator_id == lan.pk],
            row[8],
        ]

    before = reporting()
    assert reporting() == before  # served again, from the cache
    save(kept_plan, agencies_a["91-SNV"], lan, officer_a, value=1)
    after = reporting()
    assert before[:3] + before[4:] == [0, 0, 0, 0]
    assert after[:3] + after[4:] == [1, 1, 1, 1]
    assert after[3] != before[3]


def test_verify_figures_is_clean_after_writes_through_the_services(
    kept_plan, agencies_a, indicator, officer_a
):
    save(kept_plan, agencies_a["91-SNV"], indicator("LAN"), officer_a, value=1)
    out = io.StringIO()
    call_command("verify_figures", stdout=out)
    assert "mọi số liệu khớp" in out.getvalue()


def test_verify_figures_names_a_figure_the_cache_keeps_from_before_a_hidden_write(
    figures_cache, kept_plan, agencies_a, indicator, officer_a
):
    save(kept_plan, agencies_a["91-SNV"], indicator("LAN"), officer_a, value=1)
    call_command("verify_figures", stdout=io.StringIO())  # the pages' figures now in the cache
    # A write around the services: no version moves on, the cache still holds the old figure.
    Result.objects.filter(agency=agencies_a["91-SNV"]).update(value=0)
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("verify_figures", "--province", "91", "--year", "2017", stdout=out)
    assert "91 2017 LAN department+district" in out.getvalue()


# The property: whatever the writes, in any order, the pages agree with the raw results.

AGENCY_CODES = ["91-SNV", "91-STTTT", "91-H899", "91-H900", "91-X30733", "91-X30736"]
ACTIONS = st.one_of(
    st.tuples(st.just("save"), st.sampled_from(AGENCY_CODES),
              st.sampled_from(["LAN", "OFFICIAL_EMAIL", "FIBRE"]),
              st.integers(min_value=0, max_value=5), st.integers(min_value=0, max_value=5)),
    st.tuples(st.just("clear"), st.sampled_from(AGENCY_CODES)),
    st.tuples(st.just("import"), st.sampled_from(AGENCY_CODES), st.sampled_from([2017, 2019]),
              st.integers(min_value=0, max_value=1)),
    st.tuples(st.just("report"), st.sampled_from(AGENCY_CODES),
              st.sampled_from(["submit", "approve", "return", "reopen"])),
    st.tuples(st.just("plan"), st.sampled_from(["close", "reopen"])),
    st.tuples(st.just("agency"), st.sampled_from(AGENCY_CODES),
              st.sampled_from([None, 2016, 2017])),
)


def _act(action, *, plan, agencies, indicator, officer, admin):
    kind, *args = action
    if kind == "save":
        code, indicator_code, a, b = args
        chosen = indicator(indicator_code)
        figures = ({"numerator": min(a, b), "denominator": max(a, b, 1)}
                   if chosen.kind == "ratio" else {"value": min(a, 1) if chosen.kind == "yes_no"
                                                   else a})
        save(plan, agencies[args[0]], chosen, officer, **figures)
    elif kind == "clear":
        result = Result.objects.filter(agency=agencies[args[0]], year=plan.year).first()
        if result is not None:
            result_clear(result=result, user=officer, expected_version=result.version,
                         channel="agency")
    elif kind == "import":
        code, year, value = args
        results_import(source=csv_file(RESULTS_HEADER, f"{year},{code},LAN,{value},,,"),
                       user=officer)
    elif kind == "report":
        code, move = args
        agency = agencies[code]
        current = Submission.objects.filter(plan=plan, agency=agency).first()
        seen = current.version if current else 0
        common = {"plan": plan, "agency": agency, "user": officer, "expected_version": seen}
        if move == "submit":
            submission_submit(**common)
        elif move == "approve":
            submission_approve(**common)
        elif move == "return":
            submission_return(**common, reason="Sai số liệu")
        else:
            submission_reopen(**common, reason="Sửa lại")
    elif kind == "plan":
        if args[0] == "close":
            # Closing over reports not yet approved, as a person who ticked that they know.
            plan_close(plan=plan, user=admin, pending_acknowledged=True)
        else:
            plan_reopen(plan=plan, user=admin)
        plan.refresh_from_db()
    else:
        code, active_to = args
        agency = Agency.objects.get(code=code)
        if agency.active_from and active_to and active_to < agency.active_from:
            active_to = agency.active_from
        agency.active_to = active_to  # the admin's single save
        agency.save()


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(actions=st.lists(ACTIONS, min_size=1, max_size=6))
def test_the_pages_agree_with_the_raw_results_after_any_writes(
    figures_cache, kept_plan, agencies_a, indicator, officer_a, province_a, actions
):
    with transaction.atomic():
        # Made and undone with the example's writes: every example starts from the fixtures.
        admin = make_user("admin_of_example", Profile.Role.ADMIN, [province_a])
        figures_cache.clear()
        kept_plan.refresh_from_db()
        for action in actions:
            try:
                _act(action, plan=kept_plan, agencies=agencies_a, indicator=indicator,
                     officer=officer_a, admin=admin)
            except (ResultsRefused, SubmissionRefused, ImportRefused, ValidationError,
                    PermissionDenied):
                pass  # refused: nothing written, and the pages must say so too
            assert list(figures_differences("91")) == [], action
        transaction.set_rollback(True)


def test_the_entry_year_page_follows_a_write(
    client, figures_cache, kept_plan, agencies_a, indicator, officer_a
):
    lan = indicator("LAN")
    login(client, officer_a)
    url = reverse("plans:entry_year", args=["91", 2017])

    def lan_departments_reported():
        context = client.get(url).context
        (row,) = [row for row in context["rows"] if row["indicator"].pk == lan.pk]
        return next(count["reported"] for count in row["counts"]
                    if count["tier"]["code"] == "department"), len(context["not_reported"])

    before = lan_departments_reported()
    assert lan_departments_reported() == before
    save(kept_plan, agencies_a["91-SNV"], lan, officer_a, value=1)
    assert lan_departments_reported() == (before[0] + 1, before[1] - 1)


def test_the_target_pages_agencies_follow_a_write(
    client, figures_cache, kept_plan, agencies_a, indicator, officer_a, leader_a
):
    lan = indicator("LAN")
    target = kept_plan.targets.get(indicator=lan)
    login(client, leader_a)
    url = reverse("plans:dashboard_target", args=["91", 2017, target.pk])
    client.get(url)
    assert "0 đơn vị đã báo cáo" in client.get(url).content.decode()  # served as kept
    save(kept_plan, agencies_a["91-SNV"], lan, officer_a, value=1)
    html = client.get(url).content.decode()
    # The agencies' table, kept as rendered, is rendered again for the new version.
    assert "1 đơn vị đã báo cáo" in html
    assert "0 đơn vị đã báo cáo" not in html


def test_the_status_boards_rows_follow_a_report_and_its_filter(
    client, figures_cache, kept_plan, agencies_a, officer_a
):
    login(client, officer_a)
    url = reverse("plans:status_board", args=["91", 2017])
    client.get(url)
    submitted = client.get(url + "?state=submitted").content.decode()
    assert 'id="agency-91-SNV"' not in submitted
    every = client.get(url).content.decode()
    assert every.count('id="agency-91-SNV"') == 1  # the other filter's rows, once
    assert every.count("Tải status.csv") == 1
    submission_submit(plan=kept_plan, agency=agencies_a["91-SNV"], user=officer_a,
                      expected_version=0)
    assert 'id="agency-91-SNV"' in client.get(url + "?state=submitted").content.decode()


def test_the_workbook_is_kept_whole_and_made_again_after_a_write(
    client, figures_cache, kept_plan, agencies_a, indicator, officer_a, leader_a,
    django_assert_num_queries,
):
    login(client, leader_a)
    url = reverse("plans:dashboard_xlsx", args=["91", 2017])
    first = client.get(url).content
    # session, user, profile, province, plan, the province's figures versions: the bytes of
    # the workbook come from the cache, openpyxl is not run.
    with django_assert_num_queries(6):
        again = client.get(url).content
    assert again == first

    def lan_reporting(content):
        sheet = load_workbook(io.BytesIO(content))["Tổng hợp"]
        (row,) = [r for r in sheet.iter_rows(values_only=True)
                  if r[1] == indicator("LAN").name_vi]
        return row[8]

    assert lan_reporting(first) == 0
    # Approved figures only is another workbook, kept apart: its summary says so.
    approved = load_workbook(io.BytesIO(client.get(url + "?figures=approved").content))
    summary = approved["Tổng hợp"].iter_rows(values_only=True)
    assert any("đã được duyệt" in str(cell) for row in summary for cell in row if cell)
    save(kept_plan, agencies_a["91-SNV"], indicator("LAN"), officer_a, value=1)
    assert lan_reporting(client.get(url).content) == 1


def test_a_warm_target_page_reads_no_agency_of_its_scope(
    client, figures_cache, kept_plan, agencies_a, indicator, officer_a, leader_a,
    django_assert_num_queries,
):
    """The agencies in scope (hundreds in a large province) are kept apart from the page's
    summary and read only when the page renders their tables afresh."""
    from django.utils.functional import empty

    save(kept_plan, agencies_a["91-SNV"], indicator("LAN"), officer_a, value=1)
    target = kept_plan.targets.get(indicator=indicator("LAN"))
    login(client, leader_a)
    url = reverse("plans:dashboard_target", args=["91", 2017, target.pk])
    first = client.get(url)
    assert first.context["reported"]._wrapped is not empty  # rendered afresh
    # session, user, profile, province, plan, target, the province's figures versions.
    with django_assert_num_queries(7):
        again = client.get(url)
    assert again.context["reported"]._wrapped is empty
    # The tables, from the kept fragment (a page differs only by its nonce and token).
    assert "91-SNV" in again.content.decode()
    assert "1 đơn vị đã báo cáo" in again.content.decode()
    # Read when asked: the same agencies.
    assert [figure.agency.code for figure in again.context["reported"]] == ["91-SNV"]


def test_a_warm_status_board_reads_no_status_row(
    client, figures_cache, kept_plan, agencies_a, indicator, officer_a
):
    from django.utils.functional import empty

    save(kept_plan, agencies_a["91-SNV"], indicator("LAN"), officer_a, value=1)
    login(client, officer_a)
    url = reverse("plans:status_board", args=["91", 2017])
    first = client.get(url)
    assert first.context["statuses"]._wrapped is not empty
    again = client.get(url)
    assert again.context["statuses"]._wrapped is empty
    assert again.context["total"] == first.context["total"] == 5
    assert again.context["counts"] == first.context["counts"]
    # Another filter is another rendering: its rows are read and filtered.
    departments = client.get(url + "?tier=department")
    assert {status.agency.tier for status in departments.context["statuses"]} == {"department"}


def test_a_warm_comparison_reads_none_of_its_cells_and_follows_a_write(
    client, figures_cache, kept_plan, agencies_a, indicator, officer_a, leader_a
):
    from django.utils.functional import empty

    login(client, leader_a)
    url = reverse("plans:dashboard_compare", args=[2017])

    def table(response) -> str:
        html = response.content.decode()
        return html[html.index('<table class="compare">'):html.index("</table>")]

    first = client.get(url)
    assert first.context["table"]._wrapped is not empty
    again = client.get(url)
    assert again.context["table"]._wrapped is empty  # the kept rendering, no cell read
    assert table(again) == table(first)
    save(kept_plan, agencies_a["91-SNV"], indicator("LAN"), officer_a, value=1)
    after = client.get(url)
    assert after.context["table"]._wrapped is not empty  # rendered afresh
    assert table(after) != table(first)


def test_after_a_write_only_that_provinces_figures_are_read_again(
    figures_cache, kept_plan, agencies_a, agencies_b, indicator, officer_a,
    django_assert_num_queries,
):
    """The comparison and the trend read many provinces' sums: each province's are kept
    under its own versions, so a write in one province costs reading that one again."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from plans.selectors.progress import province_figures, result_tallies

    lan = indicator("LAN")
    make_result(agencies_b["33-SNV"], lan, 2017, value=1)
    provinces = [agencies_a["91-SNV"].province_id, agencies_b["33-SNV"].province_id]
    asked = {"province_ids": provinces, "years": [2017], "indicator_ids": [lan.pk]}
    first = province_figures(**asked)
    with django_assert_num_queries(1):  # the versions: every province's part is kept
        assert province_figures(**asked) == first
    save(kept_plan, agencies_a["91-SNV"], lan, officer_a, value=1)
    with CaptureQueriesContext(connection) as queries:
        counts, tallies = province_figures(**asked)
    # The versions, then province A's agencies and sums only.
    assert len(queries) == 3
    assert all(f'"province_id" IN ({provinces[0]})' in query["sql"]
               for query in queries.captured_queries[1:])
    assert tallies == result_tallies(province_ids=provinces, years=[2017],
                                     indicator_ids=[lan.pk])
    assert tallies[provinces[0], 2017, lan.pk, "department"].agencies_reporting == 1
    assert tallies[provinces[1], 2017, lan.pk, "department"].agencies_reporting == 1
