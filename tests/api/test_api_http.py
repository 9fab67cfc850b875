"""The API as HTTP: ETags, the rate limit, pages of results, errors as JSON, the schema and
its docs page."""

import pytest
from openapi_spec_validator import validate

from plans.api import plans as plan_endpoints
from tests.api.conftest import SCHEMA, token_for
from tests.factories import make_result, make_target

PROGRESS = "/api/v1/provinces/91/plans/2017/progress"
RESULTS = "/api/v1/provinces/91/plans/2017/results"


@pytest.fixture
def officer(plan_a, agencies_a, indicator, officer_a, api_client):
    make_target(plan_a, indicator("LAN"), "department", 80)
    make_result(agencies_a["91-SNV"], indicator("LAN"), value=1)
    return api_client(token_for(officer_a))


def test_the_schema_is_valid_openapi():
    validate(SCHEMA)


def test_the_schema_is_served_and_lists_every_endpoint(officer):
    schema = officer.client.get("/api/v1/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    assert set(schema["paths"]) == {
        "/api/v1/provinces/", "/api/v1/provinces/{code}/plans/",
        "/api/v1/provinces/{code}/plans/{year}/progress",
        "/api/v1/provinces/{code}/plans/{year}/status",
        "/api/v1/provinces/{code}/plans/{year}/results", "/api/v1/indicators/",
    }


def test_the_docs_page_lists_the_endpoints_without_a_cdn(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    page = response.content.decode()
    assert "GET /api/v1/provinces/{code}/plans/{year}/progress" in page
    assert "POST /api/v1/provinces/{code}/plans/{year}/results" in page
    assert "http://" not in page and "https://" not in page


def test_a_get_carries_an_etag_and_answers_304_to_it(officer, agencies_a, indicator):
    first = officer.get(PROGRESS)
    etag = first["ETag"]
    assert etag and "Authorization" in first["Vary"]
    again = officer.get(PROGRESS, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    make_result(agencies_a["91-STTTT"], indicator("LAN"), value=1)
    changed = officer.get(PROGRESS, headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed["ETag"] != etag


def test_an_error_is_never_answered_304(officer, api_client):
    response = api_client(None).get(PROGRESS, headers={"If-None-Match": "*"})
    assert response.status_code == 401


def test_a_token_over_its_rate_gets_429(officer, settings, officer_a, api_client):
    settings.API_RATE_LIMIT = "3/min"
    for _ in range(3):
        assert officer.get("/api/v1/provinces/").status_code == 200
    refused = officer.get("/api/v1/provinces/")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert "Too many requests" in refused.json()["detail_en"]
    # Each token counts on its own.
    assert api_client(token_for(officer_a)).get("/api/v1/provinces/").status_code == 200


@pytest.mark.parametrize("page_size", [1, 2, 3, 7, 8])
def test_results_come_a_page_at_a_time_each_once(officer, agencies_a, indicator, page_size):
    # Several results of one agency: the pages cut inside an agency's results too.
    expected = {("91-SNV", "LAN")}
    for code in ("91-STTTT", "91-UBND", "91-H899"):
        for kind in ("LAN", "FIBRE"):
            make_result(agencies_a[code], indicator(kind), value=1)
            expected.add((code, kind))
    make_result(agencies_a["91-H899"], indicator("WEB_PORTAL"), value=0)
    expected.add(("91-H899", "WEB_PORTAL"))
    seen, url, pages = [], RESULTS + f"?page_size={page_size}", 0
    while url:
        page = officer.get(url.replace("http://testserver", "")).json()
        assert len(page["results"]) <= page_size
        seen += [(result["agency_code"], result["indicator_code"]) for result in page["results"]]
        url, pages = page["next"], pages + 1
    assert len(seen) == len(set(seen)) and set(seen) == expected
    assert pages == -(-len(expected) // page_size)


def test_results_are_filtered_by_agency_indicator_and_tier(officer, agencies_a, indicator):
    make_result(agencies_a["91-H899"], indicator("LAN"), value=1)
    make_result(agencies_a["91-H899"], indicator("FIBRE"), value=0)

    def codes(query):
        return sorted((r["agency_code"], r["indicator_code"])
                      for r in officer.get(RESULTS + query).json()["results"])

    assert codes("?agency=91-H899") == [("91-H899", "FIBRE"), ("91-H899", "LAN")]
    assert codes("?indicator=FIBRE") == [("91-H899", "FIBRE")]
    assert codes("?tier=department") == [("91-SNV", "LAN")]


def test_a_bad_filter_or_cursor_is_400_naming_it(officer):
    tier = officer.get(RESULTS + "?tier=planet")
    assert tier.status_code == 400
    assert "tier" in tier.json()["detail"] and "'commune'" in tier.json()["detail_en"]
    cursor = officer.get(RESULTS + "?cursor=%25%25%25")
    assert cursor.status_code == 400
    assert cursor.json()["detail_en"].startswith("Parameter cursor is invalid: use the next")


def test_the_status_has_the_columns_of_status_csv(officer):
    response = officer.get("/api/v1/provinces/91/plans/2017/status").json()
    snv = next(row for row in response["agencies"] if row["agency_code"] == "91-SNV")
    assert snv["state"] == "draft"
    assert snv["late"] is False and snv["submitted_at"] is None
    assert snv["agency_name"] == "Sở Nội vụ"


def test_an_unknown_address_and_method_answer_json(officer):
    unknown = officer.get("/api/v1/nowhere")
    assert unknown.status_code == 404
    assert unknown.json()["detail_en"] == "Not found."
    put = officer.request("PUT", RESULTS, body={})
    assert put.status_code == 405
    assert put.json()["detail_en"].startswith("This method")
    assert set(put["Allow"].split(", ")) == {"GET", "POST"}


def test_a_fault_of_the_server_is_json_not_an_html_page(officer, monkeypatch):
    def broken(plan, items=None):
        raise RuntimeError("forced")

    monkeypatch.setattr(plan_endpoints, "progress_rows", broken)
    response = officer.client.get(PROGRESS, headers={"Authorization": officer._headers(
        None, {})["Authorization"]})
    assert response.status_code == 500
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["detail_en"].startswith("Server error")


def test_a_body_without_its_length_is_refused_not_read_as_empty(officer):
    response = officer.client.generic(
        "POST", RESULTS, b'{"results": []}', content_type="application/json",
        CONTENT_LENGTH="", HTTP_AUTHORIZATION=officer._headers(None, {})["Authorization"],
    )
    assert response.status_code == 411
    assert "Content-Length" in response.json()["detail_en"]


def test_a_body_announced_too_long_is_refused_before_it_is_read(officer, settings):
    settings.API_MAX_BODY_BYTES = 10
    response = officer.client.generic(
        "POST", RESULTS, b'{"results": []}', content_type="application/json",
        HTTP_AUTHORIZATION=officer._headers(None, {})["Authorization"],
    )
    assert response.status_code == 413


def test_a_year_that_is_not_a_number_is_400_naming_it_in_both_languages(officer):
    response = officer.get("/api/v1/provinces/91/plans/nineteen/progress")
    assert response.status_code == 400
    body = response.json()
    assert body["detail"] == "Tham số year không hợp lệ: Phải là một số nguyên."
    assert body["detail_en"] == "Parameter year is invalid: Must be a whole number."
