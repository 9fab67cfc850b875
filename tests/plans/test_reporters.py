"""Reporters: accounts bound to some agencies of one province (issue 14, item 2).

``reporter_a`` (tests/conftest.py) reports for 91-SNV of province A. It enters that agency's
results (its page, history, clear page, the upload limited to it), reads province A's
dashboards like a leader, and gets 403 on every other entry page of A, 404 in province B.
"""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.urls import reverse

from plans.forms.grid import make_token
from plans.models import Agency, Change, Profile, Result
from plans.policy.access import may_report_for, reporter_agency_ids
from tests.conftest import make_user
from tests.factories import csv_upload
from tests.plans.test_admin import form_data

User = get_user_model()
STRONG = "Kiên-Giang-2017-một-cửa"
HEADER = "year,agency_code,indicator_code,value,numerator,denominator,note\r\n"


def create_account(*args):
    out = io.StringIO()
    call_command(
        "create_account", *args, "--password-stdin", stdout=out, stdin=io.StringIO(STRONG + "\n")
    )
    return out.getvalue()


@pytest.fixture
def reporter_client(client, reporter_a):
    client.force_login(reporter_a)
    return client


def entry_url(name, *args, province="91", year=2017):
    return reverse(f"plans:{name}", args=[province, year, *args])


# create_account ------------------------------------------------------------------------------


def test_it_creates_a_reporter_for_two_agencies_of_its_province(agencies_a):
    output = create_account(
        "baocao_snv", "--role", "reporter", "--province", "91", "--agency", "91-SNV",
        "--agency", "91-X30733", "--email", "snv@kiengiang.gov.vn",
    )

    user = User.objects.get(username="baocao_snv")
    assert user.email == "snv@kiengiang.gov.vn"
    assert user.profile.role == Profile.Role.REPORTER
    assert list(user.profile.provinces.values_list("code", flat=True)) == ["91"]
    assert sorted(user.profile.agencies.values_list("code", flat=True)) == [
        "91-SNV", "91-X30733",
    ]
    assert not user.is_staff
    assert "vai trò Cán bộ báo cáo của đơn vị, tỉnh: 91." in output
    assert "Báo cáo cho các đơn vị: Sở Nội vụ (91-SNV), UBND phường Vĩnh Thanh (91-X30733)." in (
        output
    )


def test_it_gives_any_role_an_email_address(province_a):
    create_account("canbo", "--role", "officer", "--province", "91", "--email", "cb@kg.gov.vn")

    assert User.objects.get(username="canbo").email == "cb@kg.gov.vn"


def test_it_refuses_a_malformed_email_address(province_a):
    with pytest.raises(CommandError, match="Địa chỉ thư điện tử “không-phải-thư” không hợp lệ"):
        create_account("canbo", "--role", "officer", "--province", "91",
                       "--email", "không-phải-thư")
    assert not User.objects.exists()


@pytest.mark.parametrize(
    "args, message",
    [
        ((), "cần đúng một tỉnh"),
        (("--province", "91", "--province", "33"), "cần đúng một tỉnh"),
        (("--province", "91"), "cần ít nhất một đơn vị của tỉnh Kiên Giang"),
    ],
    ids=["no-province", "two-provinces", "no-agency"],
)
def test_it_refuses_a_reporter_without_one_province_and_an_agency(
    agencies_a, agencies_b, args, message
):
    with pytest.raises(CommandError, match=message):
        create_account("baocao", "--role", "reporter", *args)
    assert not User.objects.exists()


def test_it_refuses_an_unknown_agency_and_another_provinces_in_the_same_words(
    agencies_a, agencies_b
):
    with pytest.raises(CommandError) as unknown:
        create_account("baocao", "--role", "reporter", "--province", "91",
                       "--agency", "91-SNV", "--agency", "91-KHONG-CO")
    with pytest.raises(CommandError) as elsewhere:
        create_account("baocao", "--role", "reporter", "--province", "91",
                       "--agency", "91-SNV", "--agency", "33-SNV")

    assert str(unknown.value) == "Không có đơn vị mã 91-KHONG-CO thuộc tỉnh Kiên Giang."
    assert str(elsewhere.value) == "Không có đơn vị mã 33-SNV thuộc tỉnh Kiên Giang."
    assert not User.objects.exists()


def test_it_refuses_agencies_for_another_role(agencies_a):
    with pytest.raises(CommandError, match="Chỉ cán bộ báo cáo của đơn vị mới được giao đơn vị"):
        create_account("canbo", "--role", "officer", "--province", "91", "--agency", "91-SNV")
    assert not User.objects.exists()


# The admin -----------------------------------------------------------------------------------


@pytest.fixture
def admin_client_(client, admin_user):
    client.force_login(admin_user)
    return client


def profile_form(admin_client_, user):
    url = reverse("admin:auth_user_change", args=[user.pk])
    return url, form_data(admin_client_.get(url), "user_form")


def test_the_admin_makes_an_officer_a_reporter_of_an_agency(admin_client_, officer_a, agencies_a):
    url, data = profile_form(admin_client_, officer_a)
    data["profile-0-role"] = "reporter"
    data["profile-0-agencies"] = [str(agencies_a["91-STTTT"].pk)]

    response = admin_client_.post(url, data)

    assert response.status_code == 302, response.context["errors"]
    profile = Profile.objects.get(user=officer_a)
    assert profile.role == Profile.Role.REPORTER
    assert list(profile.agencies.values_list("code", flat=True)) == ["91-STTTT"]


@pytest.mark.parametrize(
    "change, message",
    [
        ({"profile-0-agencies": None}, "cần ít nhất một đơn vị của tỉnh Kiên Giang"),
        ({"profile-0-agencies": "33-SNV"}, "Không có đơn vị mã 33-SNV thuộc tỉnh Kiên Giang"),
        ({"profile-0-all_provinces": "on"}, "cần đúng một tỉnh"),
        ({"profile-0-provinces": "both"}, "cần đúng một tỉnh"),
    ],
    ids=["no-agency", "other-province", "all-provinces", "two-provinces"],
)
def test_the_admin_refuses_a_reporter_without_agencies_of_its_one_province(
    admin_client_, reporter_a, agencies_a, agencies_b, province_b, change, message
):
    url, data = profile_form(admin_client_, reporter_a)
    for name, value in change.items():
        if value is None:
            data.pop(name, None)
        elif value == "both":
            data[name] = [str(agencies_a["91-SNV"].province_id), str(province_b.pk)]
        elif name.endswith("agencies"):
            data[name] = [str(Agency.objects.get(code=value).pk)]
        else:
            data[name] = value

    response = admin_client_.post(url, data)

    assert response.status_code == 200
    assert message in response.content.decode()
    profile = Profile.objects.get(user=reporter_a)
    assert list(profile.agencies.values_list("code", flat=True)) == ["91-SNV"]
    assert not profile.all_provinces


def test_the_admin_refuses_agencies_for_an_officer(admin_client_, officer_a, agencies_a):
    url, data = profile_form(admin_client_, officer_a)
    data["profile-0-agencies"] = [str(agencies_a["91-SNV"].pk)]

    response = admin_client_.post(url, data)

    assert response.status_code == 200
    assert "Chỉ cán bộ báo cáo của đơn vị mới được giao đơn vị" in response.content.decode()
    assert not Profile.objects.get(user=officer_a).agencies.exists()


# Access --------------------------------------------------------------------------------------


def test_it_opens_its_agencys_page_and_saves_a_figure(
    reporter_client, reporter_a, plan_a, agencies_a, indicator
):
    snv, email = agencies_a["91-SNV"], indicator("OFFICIAL_EMAIL")
    url = entry_url("entry_agency", "91-SNV")
    page = reporter_client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    # The breadcrumb leads home, not to the year page the reporter may not open.
    assert entry_url("entry_year") + '"' not in html
    assert "Các đơn vị bạn báo cáo – Kiên Giang, năm 2017" in html

    response = reporter_client.post(url, {
        f"r{snv.pk}-{email.pk}-o": make_token(None), f"r{snv.pk}-{email.pk}-n": "40",
        f"r{snv.pk}-{email.pk}-d": "50",
    })

    assert response.status_code == 302
    result = Result.objects.get()
    assert (result.agency, result.numerator, result.denominator) == (snv, 40, 50)
    assert result.updated_by == reporter_a
    assert Change.objects.get(result=result).channel == Change.Channel.AGENCY


def test_it_reads_its_agencys_history_and_clear_page(
    reporter_client, officer_a, plan_a, agencies_a, indicator
):
    result = Result.objects.create(
        year=2017, agency=agencies_a["91-SNV"], indicator=indicator("LAN"), value=1,
        updated_by=officer_a,
    )
    assert reporter_client.get(entry_url("entry_history", "91-SNV")).status_code == 200
    clear_url = entry_url("entry_result_clear", "91-SNV", "LAN")
    assert reporter_client.get(clear_url).status_code == 200

    response = reporter_client.post(clear_url, {"version": str(result.version)})

    assert response.status_code == 302
    assert not Result.objects.exists()


@pytest.mark.parametrize(
    "name, args",
    [
        ("entry_agency", ["91-STTTT"]),
        ("entry_history", ["91-STTTT"]),
        ("entry_result_clear", ["91-STTTT", "LAN"]),
        ("entry_agency", ["91-KHONG-CO"]),
        ("entry_year", []),
        ("entry_grid", ["department"]),
        ("entry_close", []),
    ],
)
def test_every_other_entry_page_of_its_province_is_forbidden(
    reporter_client, plan_a, agencies_a, name, args
):
    url = entry_url(name, *args)
    assert reporter_client.get(url).status_code in (403, 405)
    assert reporter_client.post(url).status_code == 403


def test_another_provinces_pages_are_not_found(reporter_client, plan_a, plan_b, agencies_b):
    for url in (
        entry_url("entry_agency", "33-SNV", province="33"),
        entry_url("entry_upload", province="33"),
        entry_url("entry_year", province="33"),
        reverse("plans:dashboard_plan", args=["33", 2017]),
    ):
        assert reporter_client.get(url).status_code == 404, url


def test_it_reads_its_provinces_dashboards_like_a_leader(reporter_client, plan_a, agencies_a):
    assert reporter_client.get(reverse("plans:dashboard_plan", args=["91", 2017])).status_code == (
        200
    )
    assert reporter_client.get(reverse("plans:dashboard_index")).status_code == 200


def test_an_agency_moved_out_of_its_province_gives_no_access(
    reporter_client, reporter_a, plan_a, agencies_a, province_b
):
    Agency.objects.filter(code="91-SNV").update(province=province_b)

    assert reporter_agency_ids(reporter_a) == set()
    assert reporter_client.get(entry_url("entry_agency", "91-SNV")).status_code == 403


def test_may_report_for_names_who_may_submit_an_agencys_results(
    reporter_a, officer_a, officer_b, leader_a, admin_user, agencies_a
):
    snv, sttt = agencies_a["91-SNV"], agencies_a["91-STTTT"]
    assert may_report_for(reporter_a, snv)
    assert not may_report_for(reporter_a, sttt)
    assert may_report_for(officer_a, snv) and may_report_for(officer_a, sttt)
    assert not may_report_for(officer_b, snv)
    assert not may_report_for(leader_a, snv)
    assert may_report_for(admin_user, sttt)


# The upload ----------------------------------------------------------------------------------


def test_its_upload_takes_its_agencys_rows(reporter_client, reporter_a, plan_a, agencies_a):
    page = reporter_client.get(entry_url("entry_upload"))
    assert "Bạn chỉ tải lên được kết quả của các đơn vị bạn báo cáo: Sở Nội vụ." in (
        page.content.decode()
    )
    preview = reporter_client.post(
        entry_url("entry_upload"), {"file": csv_upload(HEADER, "2017,91-SNV,LAN,có,,,")}
    )
    assert preview.status_code == 200
    response = reporter_client.post(
        entry_url("entry_upload"), {"confirm": "1", "sha256": preview.context["confirm_sha256"]}
    )

    # Back to the upload page: the year page is not the reporter's.
    assert response["Location"] == entry_url("entry_upload")
    assert Result.objects.get().updated_by == reporter_a


def test_its_upload_refuses_other_agencies_rows_like_unknown_codes(
    reporter_client, officer_a, plan_a, agencies_a, agencies_b
):
    response = reporter_client.post(entry_url("entry_upload"), {"file": csv_upload(
        HEADER,
        "2017,91-SNV,LAN,có,,,",
        "2017,91-STTTT,LAN,có,,,",
        "2017,91-KHONG-CO,LAN,có,,,",
        "2017,33-SNV,LAN,có,,,",
    )})

    assert response.status_code == 400
    messages = [(error.line, error.message) for error in response.context["report"].errors]
    assert messages == [
        (3, "Đơn vị mã 91-STTTT không có trong hệ thống hoặc không thuộc tỉnh bạn được phân "
            "quyền."),
        (4, "Đơn vị mã 91-KHONG-CO không có trong hệ thống hoặc không thuộc tỉnh bạn được "
            "phân quyền."),
        (5, "Đơn vị mã 33-SNV không có trong hệ thống hoặc không thuộc tỉnh bạn được phân "
            "quyền."),
    ]
    assert not Result.objects.exists()
    # The officer's upload of the same file is limited to the province only.
    officer = reporter_client.__class__()
    officer.force_login(officer_a)
    again = officer.post(entry_url("entry_upload"), {"file": csv_upload(
        HEADER, "2017,91-SNV,LAN,có,,,", "2017,91-STTTT,LAN,có,,,",
    )})
    assert again.status_code == 200


def test_its_template_lists_its_agencies_only(reporter_client, plan_a, agencies_a):
    response = reporter_client.get(entry_url("entry_template", "csv"))

    assert response.status_code == 200
    codes = {line.split(",")[1] for line in response.content.decode("utf-8-sig").splitlines()[1:]}
    assert codes == {"91-SNV"}


# Home ----------------------------------------------------------------------------------------


def test_home_links_its_agencies_of_open_plans(client, province_a, agencies_a, plan_a):
    closed = plan_a.__class__.objects.create(province=province_a, year=2016, status="closed")
    reporter = make_user(
        "baocao", Profile.Role.REPORTER, [province_a],
        [agencies_a["91-SNV"], agencies_a["91-H900"]],
    )
    client.force_login(reporter)

    html = client.get(reverse("plans:home")).content.decode()

    assert entry_url("entry_agency", "91-SNV") in html
    assert "Nhập kết quả: Sở Nội vụ" in html
    # 91-H900 is active until 2020, so it is offered for 2017 too; nothing for the closed year.
    assert entry_url("entry_agency", "91-H900") in html
    assert entry_url("entry_agency", "91-SNV", year=closed.year) not in html
    # Not the year page: that is the officers'.
    assert f'href="{entry_url("entry_year")}"' not in html
    assert reverse("plans:dashboard_plan", args=["91", 2017]) in html
