"""Names people can tell apart on the upload page and in the results template: two communes
named "UBND xã Bình An" under different districts carry their district (plans.selectors.naming)."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from plans.models import Agency, Result
from plans.services.imports import results_import
from tests.factories import csv_file, csv_upload

HEADER = "year,agency_code,indicator_code,value,numerator,denominator,note\r\n"
RACH_GIA = "UBND xã Bình An – thành phố Rạch Giá"
HA_TIEN = "UBND xã Bình An – thị xã Hà Tiên"


def upload_url():
    return reverse("plans:entry_upload", args=["91", 2017])


def template_url(file_format="csv"):
    return reverse("plans:entry_template", args=["91", 2017, file_format])


@pytest.fixture
def officer_client(client, officer_a):
    client.force_login(officer_a)
    return client


@pytest.fixture
def namesakes(province_a, agencies_a):
    """Two communes of the same name, one under Rạch Giá and one under Hà Tiên."""
    return [
        Agency.objects.create(province=province_a, code=code, name="UBND xã Bình An",
                              tier="commune", parent=agencies_a[parent])
        for code, parent in (("91-X1", "91-H899"), ("91-X2", "91-H900"))
    ]


def test_the_preview_groups_namesakes_apart(officer_client, plan_a, namesakes, indicator):
    Result.objects.create(year=2017, agency=namesakes[1], indicator=indicator("LAN"), value=0)
    response = officer_client.post(upload_url(), {"file": csv_upload(
        HEADER, "2017,91-X1,LAN,có,,,", "2017,91-X2,LAN,có,,,", "2017,91-SNV,LAN,có,,,",
    )})

    assert response.status_code == 200, response.context["report"].errors
    groups = response.context["change_groups"]
    assert [(g["name"], g["created"], g["updated"]) for g in groups] == [
        (RACH_GIA, 1, 0), (HA_TIEN, 0, 1), ("Sở Nội vụ", 1, 0),
    ]
    html = response.content.decode()
    assert f"<h4>{RACH_GIA} <span" in html
    assert f"<h4>{HA_TIEN} <span" in html


def test_the_upload_pages_errors_name_namesakes_apart(officer_client, plan_a, namesakes):
    namesakes[1].active_to = 2016
    namesakes[1].save()
    response = officer_client.post(upload_url(), {"file": csv_upload(
        HEADER, "2017,91-X1,LAN,có,,,", "2017,91-X1,LAN,không,,,", "2017,91-X2,LAN,có,,,",
    )})

    assert response.status_code == 400
    messages = [(error.line, error.message) for error in response.context["report"].errors]
    assert messages == [
        (3, f"Kết quả năm 2017 của đơn vị 91-X1 ({RACH_GIA}), chỉ tiêu LAN đã có ở một dòng "
            "trước trong tệp; mỗi kết quả chỉ ghi một dòng."),
        (4, f"Đơn vị 91-X2 ({HA_TIEN}) không hoạt động trong năm 2017 (hoạt động …–2016)."),
    ]
    assert f"Đơn vị 91-X2 ({HA_TIEN}) không hoạt động" in response.content.decode()


def test_the_errors_name_namesakes_apart_in_english(officer_client, plan_a, namesakes, settings):
    namesakes[1].active_to = 2016
    namesakes[1].save()
    officer_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = officer_client.post(upload_url(), {"file": csv_upload(
        HEADER, "2017,91-X2,LAN,có,,,",
    )})

    assert [error.message for error in response.context["report"].errors] == [
        f"Agency 91-X2 ({HA_TIEN}) is not active in 2017 (active …–2016)."
    ]


def count_preview_queries(client, rows):
    with CaptureQueriesContext(connection) as queries:
        response = client.post(upload_url(), {"file": csv_upload(HEADER, *rows)})
    assert response.status_code == 200, response.context["report"].errors
    return len(queries)


def test_the_names_cost_one_query_whatever_the_number_of_rows(
    officer_client, plan_a, province_a, namesakes
):
    few = count_preview_queries(officer_client, ["2017,91-X1,LAN,có,,,"])
    Agency.objects.bulk_create(
        Agency(province=province_a, code=f"91-X{i:05d}", name="UBND xã Bình An", tier="commune")
        for i in range(100, 160)
    )
    rows = ["2017,91-X1,LAN,có,,,", "2017,91-X2,LAN,có,,,"]
    rows += [f"2017,91-X{i:05d},{code},có,,," for i in range(100, 160)
             for code in ("LAN", "FIBRE")]
    assert count_preview_queries(officer_client, rows) == few


def test_an_import_without_a_preview_or_errors_reads_no_names(plan_a, namesakes):
    source = csv_file(HEADER, "2017,91-X1,LAN,1,,,", "2017,91-X2,LAN,1,,,")
    with CaptureQueriesContext(connection) as queries:
        report = results_import(source=source)
    assert report.created == 2
    # The display names are read with the parents' names (plans.selectors.naming); nobody reads
    # them here.
    assert not [query for query in queries if "parent__name" in query["sql"]]


def template_rows(client):
    text = client.get(template_url()).content.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_the_template_names_namesakes_apart(officer_client, plan_a, namesakes):
    rows = template_rows(officer_client)

    names = {row["agency_code"]: row["agency_name"] for row in rows}
    assert names["91-X1"] == RACH_GIA
    assert names["91-X2"] == HA_TIEN
    # A name said once in the province stays as it is, and the parent keeps its own column.
    assert names["91-SNV"] == "Sở Nội vụ"
    parents = {row["agency_code"]: row["parent_name"] for row in rows}
    assert parents["91-X2"] == "UBND thị xã Hà Tiên"


def test_the_template_lists_each_tier_in_the_order_of_the_names_shown(
    officer_client, plan_a, namesakes
):
    codes = list(dict.fromkeys(row["agency_code"] for row in template_rows(officer_client)))
    # By tier, then the names shown in Vietnamese alphabetical order: "UBND phường Vĩnh
    # Thanh", then the two "UBND xã Bình An – …", Rạch Giá before Hà Tiên ("thành" < "thị").
    assert codes == [
        "91-UBND", "91-SNV", "91-STTTT", "91-H899", "91-H900", "91-X30733", "91-X1", "91-X2",
    ]


def test_the_template_reads_the_names_in_one_query(
    officer_client, plan_a, namesakes, django_assert_num_queries
):
    # session, user, profile, the user's provinces, plan, agencies and parents, their display
    # names, targets, indicators, stored results
    with django_assert_num_queries(10):
        assert officer_client.get(template_url()).status_code == 200
