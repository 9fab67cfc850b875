"""Programmes: their series and forecasts, the programme page, the year dashboard, the report,
the workbook, the programme export, the model's constraints."""

import io
from decimal import Decimal
from fractions import Fraction

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, transaction
from django.urls import reverse
from openpyxl import load_workbook

from egov_targets.vocabulary import ForecastStatus
from plans.models import Agency, Plan, Programme, ProgrammeTarget, Target
from plans.outputs.programme_export import programme_csv
from plans.selectors import programmes as selectors
from tests.factories import login, make_result


@pytest.fixture
def programme_a(province_a, agencies_a, indicator):
    """Kiên Giang's 2021–2025 programme: official e-mail in departments >= 60 % by 2025, and
    level-4 services (a count) in every tier >= 10 by 2025.

    E-mail, departments 91-SNV and 91-STTTT: 2021 30/50 + 10/50 = 40 %, 2023 40/50 + 7/50 =
    47 %: rising 3.5 points a year, 54 % by 2025, slow; 6.5 points a year needed. A 2019 figure
    lies before the baseline year (2020) and does not count. The 2023 plan sets >= 50 % for the
    same indicator and scope: a milestone.
    """
    programme = Programme.objects.create(
        province=province_a, code="KH-2021-2025", name="Kế hoạch chuyển đổi số 2021–2025",
        first_year=2021, last_year=2025,
    )
    email = ProgrammeTarget.objects.create(
        programme=programme, indicator=indicator("OFFICIAL_EMAIL"), tiers="department",
        comparator=">=", value=Decimal("60"), unit="percent",
    )
    services = ProgrammeTarget.objects.create(
        programme=programme, indicator=indicator("PUBLIC_SERVICES_L4"),
        tiers="province+department+district+commune", comparator=">=", value=Decimal("10"),
        unit="count",
    )
    a = agencies_a
    make_result(a["91-SNV"], indicator("OFFICIAL_EMAIL"), 2019, numerator=0, denominator=50)
    make_result(a["91-SNV"], indicator("OFFICIAL_EMAIL"), 2021, numerator=30, denominator=50)
    make_result(a["91-STTTT"], indicator("OFFICIAL_EMAIL"), 2021, numerator=10, denominator=50)
    make_result(a["91-SNV"], indicator("OFFICIAL_EMAIL"), 2023, numerator=40, denominator=50)
    make_result(a["91-STTTT"], indicator("OFFICIAL_EMAIL"), 2023, numerator=7, denominator=50)
    plan = Plan.objects.create(province=province_a, year=2023, status=Plan.Status.OPEN)
    Target.objects.create(plan=plan, indicator=indicator("OFFICIAL_EMAIL"), tiers="department",
                          comparator=">=", value=Decimal("50"), unit="percent")
    return {"programme": programme, "email": email, "services": services, "plan": plan}


def programme_url(code="KH-2021-2025", province="91"):
    return reverse("plans:dashboard_programme", args=[province, code])


# The series and the forecast --------------------------------------------------------------------


def test_it_sums_the_scopes_figures_for_each_year_and_forecasts(programme_a):
    email, services = selectors.forecasts(
        selectors.programme_targets(programme_a["programme"]), plans=Plan.objects.all()
    )

    assert [point.year for point in email.points] == [2020, 2021, 2022, 2023, 2024, 2025]
    assert [point.achieved for point in email.points] == [
        None, Fraction(40), None, Fraction(47), None, None
    ]
    assert [point.year for point in email.points if point.milestone] == [2023]
    assert email.forecast.status == ForecastStatus.SLOW
    assert (email.forecast.projected, email.forecast.needed_per_year) == (
        Fraction(54), Fraction(13, 2)
    )
    assert services.forecast.status == ForecastStatus.NO_DATA
    assert services.forecast.base_year is None


def test_it_counts_only_agencies_active_in_each_year(programme_a, agencies_a, indicator):
    # 91-H900 ends in 2020: its 2021 figure does not count in 2021.
    email = programme_a["email"]
    email.tiers = "department+district"
    email.save()
    make_result(agencies_a["91-H900"], indicator("OFFICIAL_EMAIL"), 2021, numerator=0,
                denominator=900)
    make_result(agencies_a["91-H899"], indicator("OFFICIAL_EMAIL"), 2021, numerator=60,
                denominator=100)

    [item] = selectors.forecasts([email])

    # (30 + 10 + 60) / (50 + 50 + 100): a sum of parts, never an average of shares.
    assert item.points[1].achieved == Fraction(50)
    assert item.points[1].progress.agencies_in_scope == 3


def test_it_reads_any_number_of_targets_in_four_queries(programme_a, indicator,
                                                       django_assert_num_queries):
    targets = selectors.programme_targets(programme_a["programme"])
    # provinces (for predecessors), agency counts, result sums, the milestones
    with django_assert_num_queries(4):
        selectors.forecasts(targets, plans=Plan.objects.all())
    for code in ("LAN", "FIBRE", "WEB_PORTAL", "E_DOCUMENTS"):
        ProgrammeTarget.objects.create(programme=programme_a["programme"],
                                       indicator=indicator(code), tiers="all", value=100)
    targets = selectors.programme_targets(programme_a["programme"])
    with django_assert_num_queries(4):
        assert len(selectors.forecasts(targets, plans=Plan.objects.all())) == 6


# The programme page ------------------------------------------------------------------------------


def test_it_shows_each_target_with_its_series_chart_and_forecast(client, leader_a, programme_a):
    login(client, leader_a)

    response = client.get(programme_url())

    assert response.status_code == 200
    html = response.content.decode()
    assert "Kế hoạch chuyển đổi số 2021–2025" in html
    assert "Chậm" in html
    assert "cần tăng thêm 6,5 điểm % mỗi năm" in html
    assert "Theo đà hiện nay, năm 2025 đạt khoảng 54,0 %." in html
    assert html.count('<svg class="trend"') == 2
    assert 'id="chart-title-1"' in html and 'id="chart-title-2"' in html
    assert "47,0 %" in html and "từ 50 % trở lên" in html
    assert "Chưa đủ số liệu" in html


def test_it_answers_the_programme_page_in_constant_queries(client, leader_a, programme_a,
                                                           indicator, django_assert_num_queries):
    login(client, leader_a)
    # session, user, profile, province, programme, its targets, provinces (for predecessors),
    # agency counts, result sums, milestones
    with django_assert_num_queries(10):
        client.get(programme_url())
    for code in ("LAN", "FIBRE", "WEB_PORTAL"):
        ProgrammeTarget.objects.create(programme=programme_a["programme"],
                                       indicator=indicator(code), tiers="all", value=100)
    with django_assert_num_queries(10):
        response = client.get(programme_url())
    assert len(response.context["items"]) == 5


def test_it_shows_an_outsider_404(client, officer_b, programme_a):
    login(client, officer_b)

    assert client.get(programme_url()).status_code == 404
    assert client.get(programme_url(province="33")).status_code == 404


def test_it_answers_404_for_an_unknown_programme(client, leader_a, programme_a):
    login(client, leader_a)

    assert client.get(programme_url(code="KH-2026-2030")).status_code == 404


def test_it_sends_an_anonymous_visitor_to_log_in(client, programme_a):
    response = client.get(programme_url())

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_it_leaves_a_hidden_drafts_milestone_out(client, leader_a, programme_a):
    programme_a["plan"].status = Plan.Status.DRAFT
    programme_a["plan"].save()
    login(client, leader_a)

    response = client.get(programme_url())

    email = response.context["items"][0][0]
    assert [point.milestone for point in email.points] == [None] * 6


# The year dashboard, the report, the workbook ----------------------------------------------------


def year_url(name="dashboard_plan"):
    return reverse(f"plans:{name}", args=["91", 2023])


def test_it_shows_the_forecast_beside_a_target_with_a_programme_target(client, leader_a,
                                                                       programme_a):
    login(client, leader_a)

    response = client.get(year_url())

    html = response.content.decode()
    assert f'href="{programme_url()}"' in html
    assert "cần tăng thêm 6,5 điểm % mỗi năm" in html
    assert "Chương trình nhiều năm của tỉnh" in html


def test_the_kept_dashboard_and_report_follow_a_programmes_edit(client, leader_a, programme_a,
                                                               figures_cache):
    """The dashboard's and the report's tables are kept whole under the figures versions; their
    forecasts read the programme and the other years, so those move the kept tables on too."""
    login(client, leader_a)
    for name in ("dashboard_plan", "dashboard_report"):
        assert "cần tăng thêm 6,5 điểm % mỗi năm" in client.get(year_url(name)).content.decode()
    email = programme_a["email"]
    email.value = Decimal("70")  # 23 points to go from 47 % in 2023, over two years
    email.save()
    for name in ("dashboard_plan", "dashboard_report"):
        html = client.get(year_url(name)).content.decode()
        assert "cần tăng thêm 11,5 điểm % mỗi năm" in html
        assert "6,5 điểm" not in html
    # The province's list of programmes, kept under the same versions, follows a rename.
    programme = programme_a["programme"]
    programme.name = "Chương trình chuyển đổi số (đổi tên)"
    programme.save()
    assert "Chương trình chuyển đổi số (đổi tên)" in client.get(year_url()).content.decode()


def test_the_kept_dashboard_follows_a_write_to_another_year(client, leader_a, programme_a,
                                                           figures_cache, tmp_path):
    """A figure of 2021 (a year without a plan) moves only 2021's version on; the 2023
    dashboard's forecast reads 2021, so its kept tables follow."""
    login(client, leader_a)
    assert "forecast-on_track" not in client.get(year_url()).content.decode()
    # 2021: 10/50 + 10/50 = 20 %; rising 13.5 points a year to 47 % in 2023, on track for 60 %.
    path = tmp_path / "results.csv"
    path.write_text(
        "year,agency_code,indicator_code,value,numerator,denominator,note\n"
        "2021,91-SNV,OFFICIAL_EMAIL,,10,50,\n", encoding="utf-8",
    )
    call_command("import_results", str(path), "--overwrite-newer", stdout=io.StringIO())
    assert "forecast-on_track" in client.get(year_url()).content.decode()


def test_it_shows_no_forecast_for_a_plan_outside_the_programme(client, leader_a, programme_a,
                                                              plan_a, indicator):
    Target.objects.create(plan=plan_a, indicator=indicator("OFFICIAL_EMAIL"), tiers="department",
                          value=Decimal("50"))
    login(client, leader_a)

    response = client.get(reverse("plans:dashboard_plan", args=["91", 2017]))

    assert response.context["programme_forecasts"] != {}
    assert all(found == [] for found in response.context["programme_forecasts"].values())
    assert "cần tăng thêm" not in response.content.decode()


def test_it_gives_the_report_a_section_of_programmes(client, leader_a, programme_a):
    login(client, leader_a)

    html = client.get(year_url("dashboard_report")).content.decode()

    assert "III. Tiến độ thực hiện các chương trình nhiều năm" in html
    assert "Chậm. Theo đà hiện nay, năm 2025 đạt khoảng 54,0 %." in html


def test_it_writes_the_programmes_sheet_into_the_workbook(client, leader_a, programme_a):
    login(client, leader_a)

    response = client.get(year_url("dashboard_xlsx"))

    book = load_workbook(io.BytesIO(response.content))
    sheet = book["Chương trình"]
    rows = [row for row in sheet.iter_rows(values_only=True) if any(row)]
    header = rows.index(next(row for row in rows if row[0] == "Chỉ tiêu"))
    [row] = rows[header + 1:]
    assert row[2] == "Kế hoạch chuyển đổi số 2021–2025"
    # Numbers a spreadsheet computes with: a percentage as a fraction, points and projections
    # with one decimal.
    assert row[4] == pytest.approx(0.6)
    assert (row[5], row[6], row[7], row[8]) == (2021, pytest.approx(0.4), 2023,
                                                pytest.approx(0.47))
    assert (row[9], row[10], row[11]) == (54, 6.5, "Chậm")


def test_a_programme_target_changed_moves_the_kept_workbook_on(client, leader_a, programme_a,
                                                               figures_cache):
    """The forecasts are kept with the workbook: a programme's end-year target changed (in the
    admin, by import_programmes) moves its province's figures versions on, so the next download
    is made again with the new target."""
    login(client, leader_a)

    def programme_row():
        book = load_workbook(io.BytesIO(client.get(year_url("dashboard_xlsx")).content))
        rows = [row for row in book["Chương trình"].iter_rows(values_only=True) if any(row)]
        return rows[-1]

    assert programme_row()[4] == pytest.approx(0.6)
    email = programme_a["email"]
    email.value = Decimal("80")
    email.save()
    assert programme_row()[4] == pytest.approx(0.8)
    programme_a["programme"].name = "Chương trình đổi tên"
    programme_a["programme"].save()
    assert programme_row()[2] == "Chương trình đổi tên"


# The export ------------------------------------------------------------------------------------

EXPORT_HEADER = (
    "province_code,programme_code,indicator_code,tiers,comparator,target,unit,first_year,"
    "last_year,base_year,base_value,latest_year,latest_value,projected,needed_per_year,status\n"
)


def test_it_exports_one_row_per_programme_target(programme_a, agencies_a, indicator):
    make_result(agencies_a["91-SNV"], indicator("PUBLIC_SERVICES_L4"), 2022, numerator=3,
                denominator=40)

    assert programme_csv(programme_a["programme"]) == EXPORT_HEADER + (
        "91,KH-2021-2025,OFFICIAL_EMAIL,department,>=,60,percent,2021,2025,2021,40.0,2023,"
        "47.0,54.0,6.5,slow\n"
        "91,KH-2021-2025,PUBLIC_SERVICES_L4,province+department+district+commune,>=,10,count,"
        "2021,2025,2022,3,2022,3,,2.3,no_data\n"
    )


def test_the_command_exports_a_programme(programme_a, capsys):
    call_command("export_progress", "--province", "91", "--programme", "KH-2021-2025")

    output = capsys.readouterr().out
    assert output.startswith(EXPORT_HEADER)
    assert output.count("\n") == 3


def test_the_command_refuses_an_unknown_programme_or_both_or_neither(programme_a):
    with pytest.raises(CommandError, match="không có chương trình mã KH-1"):
        call_command("export_progress", "--province", "91", "--programme", "KH-1")
    with pytest.raises(CommandError, match="--year hoặc --programme"):
        call_command("export_progress", "--province", "91")
    with pytest.raises(CommandError, match="--year hoặc --programme"):
        call_command("export_progress", "--province", "91", "--year", "2023", "--programme",
                     "KH-2021-2025")


# The model ---------------------------------------------------------------------------------------


def test_the_database_refuses_a_programme_ending_before_it_starts(province_a):
    with pytest.raises(IntegrityError), transaction.atomic():
        Programme.objects.create(province=province_a, code="P", name="P", first_year=2025,
                                 last_year=2021)


def test_the_database_refuses_a_second_programme_of_the_same_code(programme_a, province_a):
    with pytest.raises(IntegrityError), transaction.atomic():
        Programme.objects.create(province=province_a, code="KH-2021-2025", name="Khác",
                                 first_year=2021, last_year=2025)


def test_the_database_refuses_a_percent_above_100_and_a_broken_count(programme_a, indicator):
    programme = programme_a["programme"]
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgrammeTarget.objects.create(programme=programme, indicator=indicator("LAN"),
                                       tiers="department", value=Decimal("100.1"))
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgrammeTarget.objects.create(programme=programme, indicator=indicator("LAN"),
                                       tiers="department", value=Decimal("2.5"), unit="count")


def test_a_programme_target_is_checked_by_the_rules_of_a_plans_target(programme_a, indicator):
    from django.core.exceptions import ValidationError

    target = ProgrammeTarget(programme=programme_a["programme"], indicator=indicator("LAN"),
                             tiers="district+department", value=Decimal("120"))
    with pytest.raises(ValidationError) as excinfo:
        target.full_clean()
    assert "value" in excinfo.value.message_dict
    target.value = Decimal("90")
    target.full_clean()
    assert target.tiers == "department+district"


def test_an_agency_list_change_moves_no_query_count(programme_a, province_a, client, leader_a,
                                                    django_assert_num_queries):
    for number in range(20):
        Agency.objects.create(province=province_a, code=f"91-EXTRA{number}",
                              name=f"Sở {number}", tier="department")
    login(client, leader_a)
    with django_assert_num_queries(10):
        client.get(programme_url())


def test_an_admin_lists_and_edits_programmes_with_their_targets(client, admin_user, programme_a):
    client.force_login(admin_user)

    listing = client.get(reverse("admin:plans_programme_changelist"))
    page = client.get(reverse("admin:plans_programme_change",
                              args=[programme_a["programme"].pk]))

    assert listing.status_code == 200 and "Kế hoạch chuyển đổi số 2021–2025" in (
        listing.content.decode()
    )
    assert page.status_code == 200 and "OFFICIAL_EMAIL" in page.content.decode()


def test_the_year_dashboard_reads_its_forecasts_in_constant_queries(
    client, leader_a, programme_a, indicator, django_assert_num_queries
):
    login(client, leader_a)
    # The dashboard's 17 (see test_dashboard_pages), of which the programme targets' lookup;
    # with programme targets found: provinces (for predecessors), agency counts, result sums,
    # milestones
    with django_assert_num_queries(21):
        client.get(year_url())
    plan = programme_a["plan"]
    for code in ("LAN", "FIBRE", "WEB_PORTAL"):
        Target.objects.create(plan=plan, indicator=indicator(code), tiers="department",
                              value=Decimal("100"))
        ProgrammeTarget.objects.create(programme=programme_a["programme"],
                                       indicator=indicator(code), tiers="department",
                                       value=Decimal("100"))
    with django_assert_num_queries(21):
        response = client.get(year_url())
    assert sum(len(found) for found in response.context["programme_forecasts"].values()) == 4


def test_the_dashboard_index_lists_each_provinces_programmes(client, leader_a, programme_a):
    login(client, leader_a)

    html = client.get(reverse("plans:dashboard_index")).content.decode()

    assert f'<a href="{programme_url()}">Kế hoạch chuyển đổi số 2021–2025</a> (2021–2025)' in html
