"""POST .../results: all or nothing through the upload's service, its locks, the version check,
the dry run, and the history entries on the channel ``api`` naming the token."""

import pytest
from django.utils import timezone

from plans.models import ApiToken, Change, Plan, Result, Submission
from plans.outputs.exports import progress_rows
from tests.api.conftest import token_for
from tests.factories import make_result, make_target

URL = "/api/v1/provinces/91/plans/2017/results"


@pytest.fixture
def setup(plan_a, agencies_a, indicator):
    make_target(plan_a, indicator("LAN"), "department", 80)
    make_target(plan_a, indicator("OFFICIAL_EMAIL"), "department", 90)
    return plan_a


@pytest.fixture
def officer(officer_a, api_client):
    return api_client(token_for(officer_a, label="cổng dịch vụ công"))


def test_it_creates_and_updates_and_counts_unchanged(setup, agencies_a, indicator, officer):
    make_result(agencies_a["91-STTTT"], indicator("LAN"), value=1)
    make_result(agencies_a["91-UBND"], indicator("LAN"), value=1)
    response = officer.post(URL, {"results": [
        {"agency_code": "91-SNV", "indicator_code": "LAN", "value": True},
        {"agency_code": "91-STTTT", "indicator_code": "LAN", "value": "không"},
        {"agency_code": "91-UBND", "indicator_code": "LAN", "value": 1},
        {"agency_code": "91-SNV", "indicator_code": "OFFICIAL_EMAIL", "numerator": 40,
         "denominator": 50, "note": "Theo báo cáo quý IV"},
    ]})
    assert response.status_code == 200
    assert response.json() == {"created": 2, "updated": 1, "unchanged": 1, "skipped_blank": 0,
                               "dry_run": False}
    email = Result.objects.get(agency=agencies_a["91-SNV"], indicator__code="OFFICIAL_EMAIL")
    assert (email.numerator, email.denominator, email.note) == (40, 50, "Theo báo cáo quý IV")
    assert Result.objects.get(agency=agencies_a["91-STTTT"], indicator__code="LAN").value == 0


def test_it_records_the_history_on_the_api_channel_with_the_token(
    setup, officer_a, officer
):
    officer.post(URL, {"results": [
        {"agency_code": "91-SNV", "indicator_code": "LAN", "value": 1},
    ]})
    [change] = Change.objects.filter(result__isnull=False)
    assert change.channel == Change.Channel.API
    assert change.changed_by == officer_a
    assert change.api_token == ApiToken.objects.get(owner=officer_a)
    assert change.plan == setup


def test_the_progress_read_after_a_write_is_the_progress_csv(setup, officer):
    officer.post(URL, {"results": [
        {"agency_code": "91-SNV", "indicator_code": "LAN", "value": 1},
        {"agency_code": "91-STTTT", "indicator_code": "LAN", "value": 0},
    ]})
    targets = officer.get("/api/v1/provinces/91/plans/2017/progress").json()["targets"]
    rows = progress_rows(Plan.objects.select_related("province").get(pk=setup.pk))
    assert [t["indicator_code"] for t in targets] == [r["indicator_code"] for r in rows]
    lan = next(t for t in targets if t["indicator_code"] == "LAN")
    assert (lan["achieved"], lan["numerator"], lan["denominator"]) == (50, 1, 2)
    assert (lan["target"], lan["status"]) == (80, "not_met")
    email = next(t for t in targets if t["indicator_code"] == "OFFICIAL_EMAIL")
    assert (email["achieved"], email["numerator"], email["status"]) == (None, None, "no_data")


def test_invalid_rows_write_nothing_and_are_named_by_index_and_field(
    setup, agencies_a, indicator, officer
):
    response = officer.post(URL, {"results": [
        {"agency_code": "91-SNV", "indicator_code": "LAN", "value": 1},
        {"agency_code": "91-STTTT", "indicator_code": "OFFICIAL_EMAIL", "numerator": 60,
         "denominator": 50},
        {"agency_code": "91-NOPE", "indicator_code": "LAN", "value": 1},
        {"agency_code": "91-UBND", "indicator_code": "LAN", "value": "maybe"},
    ]})
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert [(e["index"], e["field"]) for e in errors] == [
        (1, "numerator"), (2, "agency_code"), (3, "value"),
    ]
    assert "60" in errors[0]["message"] and "60" in errors[0]["message_en"]
    assert "maybe" in errors[2]["message_en"] and "yes/no" in errors[2]["message_en"]
    assert not Result.objects.exists()
    assert not Change.objects.exists()


def test_a_note_with_line_breaks_keeps_the_indexes_of_later_rows(setup, officer):
    response = officer.post(URL, {"results": [
        {"agency_code": "91-SNV", "indicator_code": "LAN", "value": 1,
         "note": "dòng một\r\ndòng hai\rdòng ba\ndòng bốn"},
        {"agency_code": "91-STTTT", "indicator_code": "LAN", "value": 7},
    ]})
    assert response.status_code == 422
    assert [(e["index"], e["field"]) for e in response.json()["errors"]] == [(1, "value")]


def test_wrong_types_and_unknown_keys_are_422_by_index_and_field(setup, officer):
    response = officer.post(URL, {"results": [
        {"agency_code": "91-SNV", "indicator_code": "LAN", "value": 1},
        {"agency_code": "91-SNV", "indicator_code": "OFFICIAL_EMAIL", "numerator": "bốn"},
        {"indicator_code": "LAN", "value": 1, "colour": "red"},
        {"agency_code": "91-SNV", "indicator_code": "LAN", "note": "a\u0000b"},
    ]})
    assert response.status_code == 422
    found = {(e["index"], e["field"]) for e in response.json()["errors"]}
    assert found == {(1, "numerator"), (2, "agency_code"), (2, "colour"), (3, "note")}
    assert not Result.objects.exists()


def test_another_provinces_agency_is_answered_as_an_unknown_code(
    setup, agencies_b, officer
):
    other = officer.post(URL, {"results": [
        {"agency_code": "33-SNV", "indicator_code": "LAN", "value": 1}]}).json()
    unknown = officer.post(URL, {"results": [
        {"agency_code": "33-XYZ", "indicator_code": "LAN", "value": 1}]}).json()
    assert other["errors"][0]["message"].replace("33-SNV", "X") == (
        unknown["errors"][0]["message"].replace("33-XYZ", "X")
    )


def test_a_dry_run_checks_and_writes_nothing(setup, officer):
    response = officer.post(URL, {"dry_run": True, "results": [
        {"agency_code": "91-SNV", "indicator_code": "LAN", "value": 1}]})
    assert response.json() == {"created": 1, "updated": 0, "unchanged": 0, "skipped_blank": 0,
                               "dry_run": True}
    assert not Result.objects.exists()
    assert not Change.objects.exists()


def test_a_closed_plan_refuses_every_result(setup, officer_a, officer):
    setup.status = Plan.Status.CLOSED
    setup.closed_by = officer_a
    setup.closed_at = timezone.now()
    setup.save()
    response = officer.post(URL, {"results": [
        {"agency_code": "91-SNV", "indicator_code": "LAN", "value": 1}]})
    assert response.status_code == 409
    assert "closed" in response.json()["detail_en"]
    assert response.json()["conflicts"] == []
    assert not Result.objects.exists()


def test_an_approved_report_locks_its_agencys_figures(setup, agencies_a, indicator, officer):
    make_result(agencies_a["91-SNV"], indicator("LAN"), value=0)
    Submission.objects.create(plan=setup, agency=agencies_a["91-SNV"],
                              state=Submission.State.APPROVED)
    response = officer.post(URL, {"results": [
        {"agency_code": "91-STTTT", "indicator_code": "LAN", "value": 1},
        {"agency_code": "91-SNV", "indicator_code": "LAN", "value": 1},
    ]})
    assert response.status_code == 422
    assert [e["index"] for e in response.json()["errors"]] == [1]
    assert Result.objects.count() == 1


def test_a_reporter_writes_its_own_agencies_only(setup, reporter_a, api_client):
    reporter = api_client(token_for(reporter_a))
    response = reporter.post(URL, {"results": [
        {"agency_code": "91-SNV", "indicator_code": "LAN", "value": 1},
        {"agency_code": "91-STTTT", "indicator_code": "LAN", "value": 1},
    ]})
    assert response.status_code == 422
    assert [(e["index"], e["field"]) for e in response.json()["errors"]] == [(1, "agency_code")]
    assert not Result.objects.exists()
    ok = reporter.post(URL, {"results": [
        {"agency_code": "91-SNV", "indicator_code": "LAN", "value": 1}]})
    assert ok.json()["created"] == 1


def test_a_version_read_before_someone_elses_save_is_a_conflict(
    setup, agencies_a, indicator, officer, leader_a
):
    result = make_result(agencies_a["91-SNV"], indicator("LAN"), value=1)
    Result.objects.filter(pk=result.pk).update(version=3, updated_by=leader_a, value=0)
    response = officer.post(URL, {"results": [
        {"agency_code": "91-STTTT", "indicator_code": "LAN", "value": 1, "version": 0},
        {"agency_code": "91-SNV", "indicator_code": "LAN", "value": 1, "version": 2},
    ]})
    assert response.status_code == 409
    [conflict] = response.json()["conflicts"]
    assert conflict["index"] == 1
    assert conflict["current"]["version"] == 3
    assert conflict["current"]["value"] == 0
    assert "leader_a" in conflict["message"] and "leader_a" in conflict["message_en"]
    assert "+07:00" in conflict["current"]["updated_at"]
    assert Result.objects.count() == 1


def test_the_version_read_lets_the_write_through_and_a_retry_is_no_conflict(
    setup, agencies_a, indicator, officer
):
    make_result(agencies_a["91-SNV"], indicator("LAN"), value=0)
    [read] = officer.get(URL + "?agency=91-SNV").json()["results"]
    body = {"results": [{"agency_code": "91-SNV", "indicator_code": "LAN", "value": 1,
                         "version": read["version"]}]}
    assert officer.post(URL, body).json()["updated"] == 1
    # The answer was lost; the client sends the same again with the version it had read.
    again = officer.post(URL, body)
    assert again.status_code == 200
    assert again.json()["unchanged"] == 1


def test_a_version_for_a_result_that_was_never_there_but_is_now_conflicts(
    setup, agencies_a, indicator, officer
):
    make_result(agencies_a["91-SNV"], indicator("LAN"), value=0)
    response = officer.post(URL, {"results": [
        {"agency_code": "91-SNV", "indicator_code": "LAN", "value": 1, "version": 0}]})
    assert response.status_code == 409


def test_bad_json_says_where(setup, officer):
    response = officer.request("POST", URL, raw='{"results": [\n  {"agency_code": }]}')
    assert response.status_code == 400
    body = response.json()
    assert (body["line"], body["column"]) == (2, 19)
    assert "line 2, column 19" in body["detail_en"]


def test_a_body_over_the_budget_is_refused_unread(setup, officer, settings):
    settings.API_MAX_BODY_BYTES = 200
    results = [{"agency_code": "91-SNV", "indicator_code": "LAN", "value": 1}] * 5
    response = officer.post(URL, {"results": results})
    assert response.status_code == 413
    assert "200" in response.json()["detail_en"]
    assert not Result.objects.exists()


def test_more_results_than_allowed_is_422(setup, officer):
    from django.conf import settings as django_settings

    results = [{"agency_code": "91-SNV", "indicator_code": "LAN", "value": 1}] * (
        django_settings.API_MAX_RESULTS + 1
    )
    response = officer.post(URL, {"results": results})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "results"


def test_a_leader_may_not_write(setup, leader_a, api_client):
    response = api_client(token_for(leader_a)).post(URL, {"results": []})
    assert response.status_code == 403


def test_every_progress_field_equals_progress_csv(setup, agencies_a, indicator, officer):
    import csv
    import io
    from decimal import Decimal

    from plans.outputs.exports import progress_csv

    make_target(setup, indicator("PUBLIC_SERVICES_L4"), "all", 3, unit="count")
    make_target(setup, indicator("OFFICIAL_EMAIL"), "province+department", Decimal("12.5"),
                comparator=">")
    officer.post(URL, {"results": [
        {"agency_code": "91-SNV", "indicator_code": "LAN", "value": 1},
        {"agency_code": "91-STTTT", "indicator_code": "LAN", "value": 0},
        {"agency_code": "91-UBND", "indicator_code": "OFFICIAL_EMAIL", "numerator": 1,
         "denominator": 3},
        {"agency_code": "91-SNV", "indicator_code": "PUBLIC_SERVICES_L4", "numerator": 2,
         "denominator": 9},
    ]})
    targets = officer.get("/api/v1/provinces/91/plans/2017/progress").json()["targets"]
    rows = list(csv.DictReader(io.StringIO(progress_csv(province=setup.province, year=2017))))
    assert len(targets) == len(rows) == 4
    for target, row in zip(targets, rows, strict=True):
        assert list(target) == list(row)
        for column, cell in row.items():
            value = target[column]
            if cell == "":
                assert value is None, column
            elif isinstance(value, str):
                assert value == cell, column
            else:
                assert Decimal(str(value)) == Decimal(cell), column


def test_a_reporters_submitted_report_is_frozen_for_its_reporter_only(
    setup, agencies_a, reporter_a, officer, api_client
):
    Submission.objects.create(plan=setup, agency=agencies_a["91-SNV"],
                              state=Submission.State.SUBMITTED)
    body = {"results": [{"agency_code": "91-SNV", "indicator_code": "LAN", "value": 1}]}
    refused = api_client(token_for(reporter_a)).post(URL, body)
    assert refused.status_code == 422
    [error] = refused.json()["errors"]
    assert (error["index"], error["field"]) == (0, "agency_code")
    assert "submitted" in error["message_en"]
    assert not Result.objects.exists()
    # An officer may still correct a submitted report.
    assert officer.post(URL, body).json()["created"] == 1
