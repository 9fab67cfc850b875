"""The agency page and the history: /entry/<province>/<year>/agency/<code>/[history/]."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from plans.forms.grid import make_token
from plans.models import Change, Plan, Result


def agency_url(code="91-SNV", year=2017):
    return reverse("plans:entry_agency", args=["91", year, code])


def history_url(code="91-SNV"):
    return reverse("plans:entry_history", args=["91", 2017, code])


@pytest.fixture
def officer_client(client, officer_a):
    client.force_login(officer_a)
    return client


def test_it_shows_every_indicator_with_a_note_input(officer_client, plan_a, agencies_a):
    response = officer_client.get(agency_url())
    assert response.status_code == 200
    assert len(response.context["cells"]) == 14
    assert response.content.decode().count('class="note"') == 14


def test_it_saves_a_result_with_its_note_through_the_agency_channel(
    officer_client, plan_a, agencies_a, indicator, officer_a
):
    snv = agencies_a["91-SNV"]
    prefix = f"r{snv.pk}-{indicator('OFFICIAL_EMAIL').pk}"
    response = officer_client.post(agency_url(), {
        f"{prefix}-o": make_token(None), f"{prefix}-n": "412", f"{prefix}-d": "430",
        f"{prefix}-note": "Báo cáo số 12/BC-SNV",
    })
    assert response.status_code == 302
    result = Result.objects.get(agency=snv)
    assert (result.numerator, result.denominator, result.note) == (412, 430, "Báo cáo số 12/BC-SNV")
    assert Change.objects.get(result=result).channel == "agency"


def test_it_changes_only_a_note(officer_client, plan_a, agencies_a, indicator):
    snv = agencies_a["91-SNV"]
    result = Result.objects.create(year=2017, agency=snv, indicator=indicator("LAN"), value=1)
    prefix = f"r{snv.pk}-{indicator('LAN').pk}"
    officer_client.post(agency_url(), {
        f"{prefix}-o": make_token(result), f"{prefix}-v": "1", f"{prefix}-note": "đã kiểm tra",
    })
    result.refresh_from_db()
    assert (result.value, result.note, result.version) == (1, "đã kiểm tra", 2)


def test_it_marks_a_wrong_figure_and_saves_nothing(officer_client, plan_a, agencies_a, indicator):
    snv = agencies_a["91-SNV"]
    prefix = f"r{snv.pk}-{indicator('ONLINE_MEETINGS').pk}"
    response = officer_client.post(agency_url(), {
        f"{prefix}-o": make_token(None), f"{prefix}-n": "7", f"{prefix}-d": "5",
    })
    assert response.status_code == 400
    assert "Tử số (7) không được lớn hơn mẫu số (5)." in response.content.decode()
    assert not Result.objects.exists()


def test_it_shows_the_agencys_figures_across_years(officer_client, province_a, plan_a,
                                                    agencies_a, indicator):
    snv = agencies_a["91-SNV"]
    Result.objects.create(year=2016, agency=snv, indicator=indicator("OFFICIAL_EMAIL"),
                          numerator=300, denominator=420)
    Result.objects.create(year=2017, agency=snv, indicator=indicator("OFFICIAL_EMAIL"),
                          numerator=412, denominator=430)
    response = officer_client.get(agency_url())
    assert response.context["years"] == [2016, 2017]
    html = response.content.decode()
    assert "300/420" in html
    assert 'value="412"' in html


def test_it_answers_404_for_an_agency_inactive_that_year(officer_client, province_a, agencies_a):
    Plan.objects.create(province=province_a, year=2021, status="open")
    assert officer_client.get(agency_url("91-H900", year=2021)).status_code == 404


def test_it_refuses_a_closed_plans_agency_page_save(officer_client, plan_a, agencies_a,
                                                     indicator):
    Plan.objects.filter(pk=plan_a.pk).update(status="closed")
    snv = agencies_a["91-SNV"]
    prefix = f"r{snv.pk}-{indicator('LAN').pk}"
    response = officer_client.post(agency_url(), {f"{prefix}-o": make_token(None),
                                                  f"{prefix}-v": "1"})
    assert response.status_code == 409
    assert "đã tổng kết" in response.content.decode()
    assert not Result.objects.exists()


def test_history_lists_who_when_how_old_and_new(officer_client, plan_a, agencies_a, indicator,
                                                 officer_a):
    snv = agencies_a["91-SNV"]
    prefix = f"r{snv.pk}-{indicator('OFFICIAL_EMAIL').pk}"
    officer_client.post(agency_url(), {f"{prefix}-o": make_token(None), f"{prefix}-n": "10",
                                       f"{prefix}-d": "20"})
    result = Result.objects.get(agency=snv)
    grid = reverse("plans:entry_grid", args=["91", 2017, "department"])
    officer_client.post(grid, {f"{prefix}-o": make_token(result), f"{prefix}-n": "15",
                               f"{prefix}-d": "20"})
    response = officer_client.get(history_url())
    html = response.content.decode()
    assert [c.channel for c in response.context["changes"]] == ["grid", "agency"]
    assert "(chưa có)" in html
    assert "10/20" in html
    assert "15/20" in html
    assert "officer_a" in html
    assert "bảng nhập theo cấp" in html
    assert "trang đơn vị" in html


def test_history_narrows_to_one_result(officer_client, plan_a, agencies_a, indicator, officer_a):
    snv = agencies_a["91-SNV"]
    for code in ("LAN", "FIBRE"):
        result = Result.objects.create(year=2017, agency=snv, indicator=indicator(code), value=1)
        Change.objects.create(result=result, plan=plan_a, changed_by=officer_a, channel="upload",
                              old=None, new=result.as_dict())
    response = officer_client.get(history_url() + "?indicator=FIBRE")
    assert [c.result.indicator.code for c in response.context["changes"]] == ["FIBRE"]
    assert officer_client.get(history_url() + "?indicator=NOPE").status_code == 404


def test_history_runs_in_constant_queries(officer_client, plan_a, agencies_a, indicator,
                                          officer_a, django_assert_num_queries):
    snv = agencies_a["91-SNV"]
    for code in ("LAN", "FIBRE", "WEB_PORTAL"):
        result = Result.objects.create(year=2017, agency=snv, indicator=indicator(code), value=1)
        Change.objects.create(result=result, plan=plan_a, changed_by=officer_a, channel="grid",
                              old=None, new=result.as_dict())
    # session, user, profile, province, plan, province again and agency, the agency's
    # namesakes (its display name, plans.selectors.naming), changes with their result, indicator and
    # user.
    with django_assert_num_queries(9):
        officer_client.get(history_url())


def test_it_moves_updated_at_when_the_agency_page_saves_a_change(
    officer_client, plan_a, agencies_a, indicator
):
    snv = agencies_a["91-SNV"]
    result = Result.objects.create(year=2017, agency=snv, indicator=indicator("LAN"), value=0)
    Result.objects.filter(pk=result.pk).update(
        updated_at=timezone.now() - datetime.timedelta(days=30)
    )
    result.refresh_from_db()
    before = timezone.now()
    prefix = f"r{snv.pk}-{indicator('LAN').pk}"
    response = officer_client.post(agency_url(), {
        f"{prefix}-o": make_token(result), f"{prefix}-v": "1",
    })
    assert response.status_code == 302
    result.refresh_from_db()
    assert result.updated_at >= before
