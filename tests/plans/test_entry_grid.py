"""The tier grid: /entry/<province>/<year>/<tier>/."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from indicators.models import Indicator
from plans.forms.grid import make_token
from plans.models import Agency, Change, Plan, Result, Target


def grid_url(tier="department", code="91", year=2017):
    return reverse("plans:entry_grid", args=[code, year, tier])


def cell(agency, indicator):
    return f"r{agency.pk}-{indicator.pk}"


def post_cells(client, url, cells, follow=False):
    """POST ``cells``: [(agency, indicator, result_or_None, {suffix: text})]."""
    data = {}
    for agency, indicator, result, fields in cells:
        prefix = cell(agency, indicator)
        data[f"{prefix}-o"] = make_token(result)
        for suffix, text in fields.items():
            data[f"{prefix}-{suffix}"] = text
    return client.post(url, data, follow=follow)


@pytest.fixture
def officer_client(client, officer_a):
    client.force_login(officer_a)
    return client


def test_it_shows_a_row_per_active_agency_and_targeted_indicators_first(
    officer_client, plan_a, agencies_a, indicator
):
    Target.objects.create(plan=plan_a, indicator=indicator("ONE_STOP_SHOP"), tiers="district",
                          value=100)
    response = officer_client.get(grid_url("district"))
    assert response.status_code == 200
    html = response.content.decode()
    # Hà Tiên (active to 2020) and Rạch Giá are both active in 2017.
    assert "UBND thành phố Rạch Giá" in html
    assert "UBND thị xã Hà Tiên" in html
    assert "Sở Nội vụ" not in html
    columns = [ind.code for ind in response.context["grid"].indicators]
    assert columns[0] == "ONE_STOP_SHOP"
    assert len(columns) == 14


def test_it_leaves_out_agencies_not_active_that_year(officer_client, province_a, agencies_a):
    Plan.objects.create(province=province_a, year=2021, status="open")
    html = officer_client.get(grid_url("district", year=2021)).content.decode()
    assert "UBND thành phố Rạch Giá" in html
    assert "UBND thị xã Hà Tiên" not in html


def test_it_offers_inputs_suited_to_each_kind(officer_client, plan_a, agencies_a, indicator):
    units = Indicator.objects.create(
        code="SIGNATURE_UNITS", kind="count", group="internal",
        name_vi="Số đơn vị được cấp chữ ký số", name_en="Units issued digital signatures",
    )
    html = officer_client.get(grid_url()).content.decode()
    snv = agencies_a["91-SNV"]
    assert f'<select name="{cell(snv, indicator("LAN"))}-v"' in html
    assert f'name="{cell(snv, indicator("OFFICIAL_EMAIL"))}-n"' in html
    assert f'name="{cell(snv, indicator("OFFICIAL_EMAIL"))}-d"' in html
    assert f'<input class="num" name="{cell(snv, units)}-v"' in html
    assert "-note" not in html
    with_notes = officer_client.get(grid_url() + "?notes=1").content.decode()
    assert f'name="{cell(snv, indicator("LAN"))}-note"' in with_notes


def test_it_saves_changed_cells_and_records_the_grid_channel(
    officer_client, plan_a, agencies_a, indicator, officer_a
):
    snv, sttt = agencies_a["91-SNV"], agencies_a["91-STTTT"]
    response = post_cells(officer_client, grid_url(), [
        (snv, indicator("LAN"), None, {"v": "1"}),
        (sttt, indicator("OFFICIAL_EMAIL"), None, {"n": "412", "d": "430"}),
        (sttt, indicator("LAN"), None, {"v": ""}),
    ], follow=True)
    assert response.redirect_chain[-1][0] == grid_url()
    assert "Đã lưu 2 kết quả." in response.content.decode()
    assert Result.objects.count() == 2
    assert set(Change.objects.values_list("channel", flat=True)) == {"grid"}
    assert Result.objects.get(agency=sttt).updated_by == officer_a


def test_it_leaves_unchanged_cells_untouched(officer_client, plan_a, agencies_a, indicator):
    snv = agencies_a["91-SNV"]
    kept = Result.objects.create(year=2017, agency=snv, indicator=indicator("LAN"), value=1)
    before = kept.updated_at
    response = post_cells(officer_client, grid_url(), [
        (snv, indicator("LAN"), kept, {"v": "1"}),
    ], follow=True)
    assert "Không có ô nào thay đổi" in response.content.decode()
    kept.refresh_from_db()
    assert (kept.version, kept.updated_at) == (1, before)
    assert not Change.objects.exists()


def test_it_marks_every_invalid_cell_and_saves_nothing(
    officer_client, plan_a, agencies_a, indicator
):
    snv, sttt = agencies_a["91-SNV"], agencies_a["91-STTTT"]
    response = post_cells(officer_client, grid_url(), [
        (snv, indicator("LAN"), None, {"v": "1"}),
        (snv, indicator("OFFICIAL_EMAIL"), None, {"n": "431", "d": "430"}),
        (sttt, indicator("PUBLIC_SERVICES_L4"), None, {"n": "ba", "d": "3"}),
        (sttt, indicator("E_DOCUMENTS"), None, {"n": "5", "d": ""}),
    ])
    assert response.status_code == 400
    html = response.content.decode()
    assert "Tử số (431) không được lớn hơn mẫu số (430)." in html
    assert "“ba” không phải số nguyên không âm" in html
    assert "Chưa nhập mẫu số." in html
    assert "Chưa lưu gì: 3 ô có lỗi" in html
    # What the user typed is kept for correction.
    assert 'value="431"' in html
    assert 'value="ba"' in html
    assert 'aria-invalid="true"' in html
    assert not Result.objects.exists()


def test_it_refuses_to_blank_a_saved_result(officer_client, plan_a, agencies_a, indicator):
    snv = agencies_a["91-SNV"]
    kept = Result.objects.create(year=2017, agency=snv, indicator=indicator("LAN"), value=1)
    response = post_cells(officer_client, grid_url(), [(snv, indicator("LAN"), kept, {"v": ""})])
    assert response.status_code == 400
    assert "Không xoá được kết quả đã lưu" in response.content.decode()
    assert Result.objects.get(pk=kept.pk).value == 1


def test_it_refuses_a_stale_save_showing_their_value_and_yours(
    officer_client, plan_a, agencies_a, indicator, admin_user
):
    snv = agencies_a["91-SNV"]
    seen = Result.objects.create(
        year=2017, agency=snv, indicator=indicator("OFFICIAL_EMAIL"), numerator=10, denominator=20
    )
    token = make_token(seen)
    # Someone else saves after our page was opened.
    Result.objects.filter(pk=seen.pk).update(numerator=15, version=2, updated_by=admin_user)
    prefix = cell(snv, indicator("OFFICIAL_EMAIL"))
    response = officer_client.post(
        grid_url(), {f"{prefix}-o": token, f"{prefix}-n": "12", f"{prefix}-d": "20"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Giá trị của họ: 15/20; giá trị của bạn: 12/20." in html
    assert Result.objects.get(pk=seen.pk).numerator == 15
    # The page now carries their version: saving again deliberately overwrites.
    grid = response.context["grid"]
    (refused,) = grid.errors()
    assert refused.token.startswith("2|")
    again = officer_client.post(
        grid_url(), {f"{prefix}-o": refused.token, f"{prefix}-n": "12", f"{prefix}-d": "20"}
    )
    assert again.status_code == 302
    assert Result.objects.get(pk=seen.pk).numerator == 12


def test_it_ignores_an_unchanged_cell_someone_else_saved_meanwhile(
    officer_client, plan_a, agencies_a, indicator
):
    snv = agencies_a["91-SNV"]
    seen = Result.objects.create(year=2017, agency=snv, indicator=indicator("LAN"), value=0)
    token = make_token(seen)
    Result.objects.filter(pk=seen.pk).update(value=1, version=2)
    prefix = cell(snv, indicator("LAN"))
    response = officer_client.post(grid_url(), {f"{prefix}-o": token, f"{prefix}-v": "0"})
    assert response.status_code == 302
    assert Result.objects.get(pk=seen.pk).value == 1


def test_it_reports_a_damaged_cell_token(officer_client, plan_a, agencies_a, indicator):
    prefix = cell(agencies_a["91-SNV"], indicator("LAN"))
    response = officer_client.post(grid_url(), {f"{prefix}-o": "x", f"{prefix}-v": "1"})
    assert response.status_code == 400
    assert "Dữ liệu của ô bị hỏng" in response.content.decode()


def test_it_ignores_cells_of_agencies_not_in_the_grid(
    officer_client, plan_a, agencies_a, agencies_b, indicator
):
    outsider = agencies_b["33-SNV"]
    response = post_cells(officer_client, grid_url(), [
        (outsider, indicator("LAN"), None, {"v": "1"}),
    ])
    assert response.status_code == 302
    assert not Result.objects.exists()


def test_it_saves_notes_when_shown(officer_client, plan_a, agencies_a, indicator):
    snv = agencies_a["91-SNV"]
    post_cells(officer_client, grid_url() + "?notes=1", [
        (snv, indicator("LAN"), None, {"v": "1", "note": "  theo báo cáo số 5  "}),
    ])
    assert Result.objects.get(agency=snv).note == "theo báo cáo số 5"


def test_it_shows_a_closed_plan_read_only_and_refuses_a_save(
    officer_client, plan_a, agencies_a, indicator, admin_user
):
    Plan.objects.filter(pk=plan_a.pk).update(
        status="closed", closed_by=admin_user, closed_at=timezone.now()
    )
    html = officer_client.get(grid_url()).content.decode()
    assert "đã được admin tổng kết" in html
    assert "Lưu các ô đã sửa" not in html
    assert " disabled" in html
    response = post_cells(officer_client, grid_url(), [
        (agencies_a["91-SNV"], indicator("LAN"), None, {"v": "1"}),
    ])
    assert response.status_code == 409
    assert "đã được admin tổng kết" in response.content.decode()
    assert not Result.objects.exists()


def test_it_answers_404_for_an_unknown_tier(officer_client, plan_a):
    assert officer_client.get(grid_url("ministry")).status_code == 404


def test_it_answers_404_for_a_year_without_plan(officer_client, plan_a):
    assert officer_client.get(grid_url(year=2030)).status_code == 404


def make_communes(province, count, start=0):
    Agency.objects.bulk_create(
        Agency(province=province, code=f"91-X{start + i:05d}", name=f"UBND xã {start + i:03d}",
               tier="commune")
        for i in range(count)
    )


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_its_query_count_does_not_grow_with_communes(officer_client, plan_a, province_a):
    make_communes(province_a, 5)
    few = count_queries(officer_client, grid_url("commune"))
    make_communes(province_a, 150, start=5)
    assert count_queries(officer_client, grid_url("commune")) == few


def test_it_renders_the_grid_in_constant_queries(
    officer_client, plan_a, province_a, django_assert_num_queries
):
    make_communes(province_a, 150)
    # session, user, profile, province, plan, targets, indicators, agencies, their display
    # names (plans.selectors.naming: one query for the whole grid), results, the plan's approved
    # agencies (their rows are read-only; one query for the whole grid)
    with django_assert_num_queries(11):
        officer_client.get(grid_url("commune"))


def test_it_saves_in_queries_that_grow_only_with_changed_saved_results(
    officer_client, plan_a, province_a, indicator, django_assert_num_queries
):
    # 80 new results: one INSERT batch on SQLite (at most 90 rows of 11 fields) as on PostgreSQL.
    make_communes(province_a, 80)
    communes = list(Agency.objects.filter(tier="commune"))
    Result.objects.create(year=2017, agency=communes[0], indicator=indicator("FIBRE"), value=0)
    cells = [(agency, indicator("LAN"), None, {"v": "1"}) for agency in communes]
    cells.append((communes[0], indicator("FIBRE"), Result.objects.get(), {"v": "1"}))
    # session, user, profile, province, plan, targets, indicators, agencies, their display
    # names (one query for the whole grid), results, the plan's approved agencies; savepoint,
    # locked plan, stored results,
    # locked submissions (approved agencies refuse), UPDATE of the one saved result, savepoint,
    # INSERT of the new results, release, INSERT of the changes, the year's figures version
    # (made if missing, moved on: plans.services.figures), release; then the session saves the
    # success message. Each further changed saved result adds one UPDATE.
    with django_assert_num_queries(23):
        response = post_cells(officer_client, grid_url("commune"), cells)
    assert response.status_code == 302
    assert Result.objects.filter(indicator=indicator("LAN")).count() == 80
    assert Result.objects.get(indicator=indicator("FIBRE")).version == 2


def test_it_moves_updated_at_when_the_grid_saves_a_change(
    officer_client, plan_a, agencies_a, indicator
):
    snv = agencies_a["91-SNV"]
    result = Result.objects.create(year=2017, agency=snv, indicator=indicator("LAN"), value=0)
    long_ago = timezone.now() - datetime.timedelta(days=30)
    Result.objects.filter(pk=result.pk).update(updated_at=long_ago)
    result.refresh_from_db()
    before = timezone.now()
    response = post_cells(officer_client, grid_url(), [(snv, indicator("LAN"), result, {"v": "1"})])
    assert response.status_code == 302
    result.refresh_from_db()
    assert (result.value, result.version) == (1, 2)
    assert result.updated_at >= before


@pytest.mark.parametrize(
    ("bad_cells", "expected"),
    [(1, "Nothing saved: 1 cell has errors"), (2, "Nothing saved: 2 cells have errors")],
)
def test_it_counts_the_wrong_cells_in_english_with_a_plural(
    officer_client, plan_a, agencies_a, indicator, bad_cells, expected
):
    officer_client.cookies["django_language"] = "en"
    cells = [
        (agencies_a[code], indicator("OFFICIAL_EMAIL"), None, {"n": "431", "d": "430"})
        for code in ["91-SNV", "91-STTTT"][:bad_cells]
    ]
    response = post_cells(officer_client, grid_url(), cells)
    assert response.status_code == 400
    assert expected in response.content.decode()


def test_it_says_one_result_saved_in_english(officer_client, plan_a, agencies_a, indicator):
    officer_client.cookies["django_language"] = "en"
    response = post_cells(
        officer_client, grid_url(), [(agencies_a["91-SNV"], indicator("LAN"), None, {"v": "1"})],
        follow=True,
    )
    assert "Saved 1 result." in response.content.decode()


def _approve(plan, agency, officer):
    from plans.services.submissions import submission_approve, submission_submit

    submission = submission_submit(plan=plan, agency=agency, user=officer, expected_version=0)
    return submission_approve(plan=plan, agency=agency, user=officer,
                              expected_version=submission.version)


def test_it_shows_an_approved_agencys_row_read_only(
    officer_client, officer_a, plan_a, agencies_a, indicator
):
    snv, stttt = agencies_a["91-SNV"], agencies_a["91-STTTT"]
    Result.objects.create(year=2017, agency=snv, indicator=indicator("LAN"), value=1)
    _approve(plan_a, snv, officer_a)
    response = officer_client.get(grid_url())
    html = response.content.decode()
    rows = {row.agency.code: row for row in response.context["grid"].rows}
    assert rows["91-SNV"].approved and not rows["91-STTTT"].approved
    lan = cell(snv, indicator("LAN"))
    # Every input of the approved row is disabled and it posts no version; the others are live.
    assert f'name="{lan}-o"' not in html
    assert f'name="{cell(stttt, indicator("LAN"))}-o"' in html
    snv_row = html.split(f'<td id="{lan}-cell"')[0].rsplit("<tr", 1)[1] + html.split(
        f'<td id="{lan}-cell"'
    )[1].split("</tr>")[0]
    assert '<span class="approved-mark"' in snv_row and "đã duyệt" in snv_row
    tags = re.findall(r"<(?:input|select)[^>]*>", snv_row)
    assert len(tags) >= 14 and all(" disabled" in tag for tag in tags)
    stttt_cells = html.split(f'id="{cell(stttt, indicator("LAN"))}-cell"')[1].split("</tr>")[0]
    assert "disabled" not in stttt_cells
    assert "approved-mark" not in html.split(f'id="{lan}-cell"')[1]


def test_a_save_leaves_an_approved_row_alone_and_saves_the_others(
    officer_client, officer_a, plan_a, agencies_a, indicator
):
    snv, stttt = agencies_a["91-SNV"], agencies_a["91-STTTT"]
    _approve(plan_a, snv, officer_a)
    # The page posts nothing for the approved row; a hand-made post for it is refused.
    response = post_cells(officer_client, grid_url(), [
        (stttt, indicator("LAN"), None, {"v": "1"}),
    ])
    assert response.status_code == 302
    assert Result.objects.get().agency == stttt
    response = post_cells(officer_client, grid_url(), [
        (snv, indicator("LAN"), None, {"v": "1"}),
    ])
    assert response.status_code == 400
    assert "Sở Nội vụ năm 2017 đã được duyệt; cần mở lại trước khi sửa." in (
        response.content.decode()
    )
    assert not Result.objects.filter(agency=snv).exists()
