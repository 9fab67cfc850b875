"""Numbers and codes read from outside, and what trying codes tells about other provinces.

- Digits are the ASCII digits 0–9. ``"²".isdigit()`` and ``"①".isdigit()`` are True though
  ``int()`` refuses them, and ``int()`` reads Arabic-Indic ``٢٠١٧`` and fullwidth ``２０１７`` as
  2017: every one of them is refused or ignored, in years, whole numbers, the grid's hidden
  tokens and query parameters, and never answered with a 500.
- Agency codes keep to letters without diacritics, digits, "-", "_" and "." (a letter or digit
  first), checked by the model, the database, the imports and the admin; migration 0005 refuses
  to run over codes that break the rule.
- An import limited to some provinces answers another province's code exactly as a code that
  exists nowhere.
"""

import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps as django_apps
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import resolve, reverse

from plans.forms.grid import make_token, parse_whole
from plans.models import Agency, Plan, Result, Target
from plans.rules.parsing import AGENCY_CODE_RULE, is_agency_code, parse_ascii_int
from plans.services.imports import (
    ImportRefused,
    agencies_import,
    results_import,
    targets_import,
)

migration = importlib.import_module("plans.migrations.0005_agency_code_alphabet")

# Digits to str.isdigit() or to int(), and not ASCII: "²" and "①" (int() refuses them),
# Arabic-Indic, Extended Arabic-Indic, Devanagari and fullwidth 2017 (int() reads 2017).
NOT_ASCII_DIGITS = ["²", "①", "٢٠١٧", "۲۰۱۷", "२०१७", "２０１７", "201⁷", "20①7"]
TOO_LONG = "9" * 30

AGENCY_HEADER = "province_code,province_name,agency_code,agency_name,tier,parent_code,"
AGENCY_HEADER += "active_from,active_to"
RESULT_HEADER = "year,agency_code,indicator_code,value,numerator,denominator,note"
TARGET_HEADER = "province_code,year,indicator_code,tiers,comparator,value,unit,note"

# Codes that broke a page or a file: "/" (an address cannot be built), what a URL or CSV reads
# specially, letters with diacritics, and "." or ".." (a browser reads them as folders).
UNSAFE_CODES = [
    "91/SNV", "91 SNV", "91?SNV", "91#SNV", "91%SNV", "91-Sở", "91-ĐT", "91,SNV", "91+SNV",
    ".", "..", "-91", "_91", ".91", "91-SNV\n",
]
SAFE_CODES = ["91-SNV", "a", "9", "91.SNV_2-b", "ABC.def-GHI_012", "x" * 40]


def csv_bytes(header: str, *lines: str) -> bytes:
    return ("\r\n".join((header, *lines)) + "\r\n").encode("utf-8")


def errors_of(service, **kwargs) -> list[tuple[int, str]]:
    with pytest.raises(ImportRefused) as refused:
        service(**kwargs)
    return [(error.line, error.message) for error in refused.value.report.errors]


@pytest.fixture
def quiet_client():
    """A client that answers a server error with a 500 instead of raising it in the test."""
    return Client(raise_request_exception=False)


@pytest.fixture
def officer_client(quiet_client, officer_a):
    quiet_client.force_login(officer_a)
    return quiet_client


@pytest.fixture
def admin_client_(quiet_client, admin_user):
    quiet_client.force_login(admin_user)
    return quiet_client


# The shared helper ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, number",
    [("0", 0), ("7", 7), ("2017", 2017), ("000412", 412), ("9" * 18, int("9" * 18))],
)
def test_it_reads_ascii_digits(text, number):
    assert parse_ascii_int(text) == number


@pytest.mark.parametrize(
    "text",
    [*NOT_ASCII_DIGITS, "", " 1", "1 ", "+1", "-1", "1.0", "1e3", "0x1F", "1_000", "٣",
     "9" * 19, None, 12, b"12"],
)
def test_it_refuses_anything_but_ascii_digits(text):
    assert parse_ascii_int(text) is None


def test_it_caps_the_number_of_digits():
    assert parse_ascii_int("2017", max_digits=4) == 2017
    assert parse_ascii_int("02017", max_digits=4) is None


@pytest.mark.parametrize("text", NOT_ASCII_DIGITS)
def test_a_grid_cell_refuses_digits_that_are_not_ascii(text):
    with pytest.raises(ValueError, match="không phải số nguyên không âm"):
        parse_whole(text)


# Query parameters and the grid's hidden token ------------------------------------------------


@pytest.mark.parametrize("year", [*NOT_ASCII_DIGITS, TOO_LONG, "9" * 5000, "-2017", "2017.0"])
def test_the_dashboard_index_tells_a_year_it_cannot_read(quiet_client, leader_a, plan_a, year):
    quiet_client.force_login(leader_a)

    response = quiet_client.get(reverse("plans:dashboard_index"), {"province": "91", "year": year})

    assert response.status_code == 200
    assert "chưa có kế hoạch hay số liệu cho năm" in response.content.decode()


def test_the_dashboard_index_still_jumps_to_a_year_written_in_ascii(
    quiet_client, leader_a, plan_a
):
    quiet_client.force_login(leader_a)

    response = quiet_client.get(
        reverse("plans:dashboard_index"), {"province": "91", "year": "2017"}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("plans:dashboard_plan", args=["91", 2017])


@pytest.mark.parametrize("version", [*NOT_ASCII_DIGITS, TOO_LONG, "", "-1", " 1"])
def test_the_grid_refuses_a_token_whose_version_is_not_ascii_digits(
    officer_client, plan_a, agencies_a, indicator, version
):
    lan = indicator("LAN")
    prefix = f"r{agencies_a['91-SNV'].pk}-{lan.pk}"
    token = version + make_token(None)[1:]  # an empty cell's token, its version replaced

    response = officer_client.post(
        reverse("plans:entry_grid", args=["91", 2017, "department"]),
        {f"{prefix}-o": token, f"{prefix}-v": "1"},
    )

    assert response.status_code == 400
    assert "Dữ liệu của ô bị hỏng" in response.content.decode()
    assert not Result.objects.exists()


@pytest.mark.parametrize("value", NOT_ASCII_DIGITS)
def test_the_grid_refuses_whole_numbers_that_are_not_ascii_digits(
    officer_client, plan_a, agencies_a, indicator, value
):
    email = indicator("OFFICIAL_EMAIL")
    prefix = f"r{agencies_a['91-SNV'].pk}-{email.pk}"

    response = officer_client.post(
        reverse("plans:entry_grid", args=["91", 2017, "department"]),
        {f"{prefix}-o": make_token(None), f"{prefix}-n": value, f"{prefix}-d": "50"},
    )

    assert response.status_code == 400
    assert "không phải số nguyên không âm" in response.content.decode()
    assert not Result.objects.exists()


@pytest.mark.parametrize("year", [*NOT_ASCII_DIGITS, TOO_LONG, "-2017", "abc"])
def test_the_admin_ignores_an_activity_year_it_cannot_read(
    admin_client_, agencies_a, plan_a, year
):
    # The filter is offered, hence read, once some year has a plan.
    response = admin_client_.get(reverse("admin:plans_agency_changelist"), {"active_in": year})

    assert response.status_code == 200
    # Unfiltered: the agencies not active in 2017 (nor in 2022) are listed with the others.
    codes = {agency.code for agency in response.context["cl"].result_list}
    assert codes == set(agencies_a)


def test_the_admin_filters_on_an_activity_year_in_ascii(admin_client_, agencies_a, plan_a):
    Plan.objects.create(province=plan_a.province, year=2022)

    response = admin_client_.get(reverse("admin:plans_agency_changelist"), {"active_in": "2022"})

    codes = {agency.code for agency in response.context["cl"].result_list}
    assert "91-H900" not in codes
    assert "91-H899" in codes


@pytest.mark.parametrize(
    "url",
    [
        "/entry/91/99999999999999999999999/",
        "/entry/91/99999999999999999999999/department/",
        "/entry/91/99999999999999999999999/agency/91-SNV/",
        "/dashboard/91/99999999999999999999999/",
        "/dashboard/compare/99999999999999999999999/",
        "/dashboard/91/2017/target/99999999999999999999999/",
        "/dashboard/91/99999999999999999999999/progress.csv",
    ],
)
def test_a_year_or_id_too_large_for_the_database_is_not_found(officer_client, plan_a, url):
    assert officer_client.get(url).status_code == 404


# Year and whole-number cells of the imports ---------------------------------------------------


@pytest.mark.parametrize("text", NOT_ASCII_DIGITS)
def test_the_results_import_refuses_a_year_that_is_not_ascii_digits(plan_a, agencies_a, text):
    errors = errors_of(results_import, source=csv_bytes(RESULT_HEADER, f"{text},91-SNV,LAN,1,,,"))

    assert errors == [
        (2, f"Cột year: “{text}” không phải năm; ghi bốn chữ số, ví dụ 2017."),
    ]
    assert not Result.objects.exists()


def test_the_results_import_refuses_a_year_of_too_many_digits(plan_a, agencies_a):
    errors = errors_of(
        results_import, source=csv_bytes(RESULT_HEADER, f"{'0' * 5000}2017,91-SNV,LAN,1,,,")
    )

    assert [line for line, _message in errors] == [2]
    assert "không phải năm" in errors[0][1]


@pytest.mark.parametrize("text", NOT_ASCII_DIGITS)
@pytest.mark.parametrize("column", ["numerator", "denominator"])
def test_the_results_import_refuses_whole_numbers_that_are_not_ascii_digits(
    plan_a, agencies_a, text, column
):
    figures = f"{text},50" if column == "numerator" else f"40,{text}"
    source = csv_bytes(RESULT_HEADER, f"2017,91-SNV,OFFICIAL_EMAIL,,{figures},")

    errors = errors_of(results_import, source=source)

    assert errors == [
        (2, f"Cột {column}: “{text}” không phải số nguyên không âm: chỉ ghi chữ số 0–9, ví dụ "
            "12 hoặc 1.000."),
    ]
    assert not Result.objects.exists()


@pytest.mark.parametrize("text", NOT_ASCII_DIGITS)
def test_the_agencies_import_refuses_activity_years_that_are_not_ascii_digits(agencies_a, text):
    source = csv_bytes(
        AGENCY_HEADER,
        f"91,Kiên Giang,91-SYT,Sở Y tế,department,91-UBND,{text},",
        f"91,Kiên Giang,91-SGD,Sở Giáo dục,department,91-UBND,,{text}",
    )

    errors = errors_of(agencies_import, source=source)

    assert errors == [
        (2, f"Cột active_from: “{text}” không phải năm; ghi bốn chữ số, ví dụ 2017."),
        (3, f"Cột active_to: “{text}” không phải năm; ghi bốn chữ số, ví dụ 2017."),
    ]
    assert not Agency.objects.filter(code__in=["91-SYT", "91-SGD"]).exists()


@pytest.mark.parametrize("text", NOT_ASCII_DIGITS)
def test_the_targets_import_refuses_years_and_codes_that_are_not_ascii_digits(
    province_a, text
):
    source = csv_bytes(
        TARGET_HEADER,
        f"91,{text},LAN,all,>=,80,percent,",
        f"{text},2017,LAN,all,>=,80,percent,",
    )

    errors = errors_of(targets_import, source=source)

    assert errors == [
        (2, f"Cột year: “{text}” không phải năm; ghi bốn chữ số, ví dụ 2017."),
        (3, f"Cột province_code: “{text}” không hợp lệ; mã tỉnh chỉ gồm chữ số, ví dụ 91."),
    ]
    assert not Plan.objects.exists()


# The alphabet of agency codes ----------------------------------------------------------------


@pytest.mark.parametrize("code", SAFE_CODES)
def test_a_safe_code_passes_everywhere(province_a, code):
    assert is_agency_code(code)
    agency = Agency(province=province_a, code=code, name="Đơn vị", tier="department")
    agency.full_clean()
    agency.save()


@pytest.mark.parametrize("code", UNSAFE_CODES)
def test_the_model_and_the_database_refuse_an_unsafe_code(province_a, code):
    assert not is_agency_code(code)
    agency = Agency(province=province_a, code=code, name="Đơn vị", tier="department")
    with pytest.raises(ValidationError) as refused:
        agency.full_clean()
    assert str(AGENCY_CODE_RULE) in refused.value.message_dict["code"]
    # The database too, for a write that goes around the model's validation.
    with pytest.raises(IntegrityError), transaction.atomic():
        Agency.objects.create(province=province_a, code=code, name="Đơn vị", tier="department")


@pytest.mark.parametrize("code", UNSAFE_CODES[:-1])  # a final newline is trimmed by the CSV
def test_the_agencies_import_refuses_an_unsafe_code_naming_the_alphabet(agencies_a, code):
    quoted = '"' + code.replace('"', '""') + '"'
    source = csv_bytes(
        AGENCY_HEADER,
        f"91,Kiên Giang,{quoted},Sở Y tế,department,91-UBND,,",
        f"91,Kiên Giang,91-SYT,Sở Y tế,department,{quoted},,",
    )

    errors = errors_of(agencies_import, source=source)

    assert errors == [
        (2, f"Cột agency_code: “{code}” không hợp lệ. {AGENCY_CODE_RULE}"),
        (3, f"Cột parent_code: “{code}” không hợp lệ. {AGENCY_CODE_RULE}"),
    ]
    assert "chữ cái không dấu (A–Z, a–z), chữ số 0–9 và các dấu “-”, “_”, “.”" in errors[0][1]
    assert set(Agency.objects.values_list("code", flat=True)) == set(agencies_a)


@pytest.mark.parametrize("code", ["91/SNV", "91 SNV", "91?SNV", "91#SNV", "91%SNV", "91-Sở"])
def test_the_results_import_refuses_an_unsafe_code_naming_the_alphabet(plan_a, agencies_a, code):
    source = csv_bytes(RESULT_HEADER, f'2017,"{code}",LAN,1,,,')

    for provinces in (None, [plan_a.province_id]):
        errors = errors_of(results_import, source=source, provinces=provinces)

        assert errors == [(2, f"Cột agency_code: “{code}” không hợp lệ. {AGENCY_CODE_RULE}")]


@pytest.mark.parametrize("code", ["91/SNV", "91 SNV", "91?SNV", "91#SNV", "91%SNV", "91-Sở", ".."])
def test_the_admin_refuses_an_unsafe_code(admin_client_, province_a, code):
    response = admin_client_.post(
        reverse("admin:plans_agency_add"),
        {"province": province_a.pk, "code": code, "name": "Sở Y tế", "tier": "department",
         "parent": "", "active_from": "", "active_to": ""},
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["code"] == [str(AGENCY_CODE_RULE)]
    assert not Agency.objects.exists()


def test_the_admin_accepts_a_safe_code(admin_client_, province_a):
    response = admin_client_.post(
        reverse("admin:plans_agency_add"),
        {"province": province_a.pk, "code": "91-SYT.2_b", "name": "Sở Y tế", "tier": "department",
         "parent": "", "active_from": "", "active_to": ""},
    )

    assert response.status_code == 302
    assert Agency.objects.get().code == "91-SYT.2_b"


def test_the_admin_says_which_characters_a_code_may_hold(admin_client_):
    response = admin_client_.get(reverse("admin:plans_agency_add"))

    assert str(AGENCY_CODE_RULE) in response.content.decode()


@pytest.mark.parametrize("code", SAFE_CODES)
@pytest.mark.parametrize("name", ["plans:entry_agency", "plans:entry_history"])
def test_an_entry_address_is_built_and_read_back_for_any_safe_code(code, name):
    url = reverse(name, args=["91", 2017, code])

    match = resolve(url)

    assert match.kwargs == {"province_code": "91", "year": 2017, "agency_code": code}
    assert "/./" not in url and "/../" not in url


# Migration 0005 refuses to run over unsafe codes ---------------------------------------------


def fake_apps(codes):
    """Return a stand-in for the migration's ``apps`` whose Agency holds ``codes``.

    The database refuses such codes now, so they cannot be stored to test the check.
    """
    rows = SimpleNamespace(iterator=lambda: iter(codes))
    objects = SimpleNamespace(values_list=lambda *fields, flat: rows)
    return SimpleNamespace(get_model=lambda app, model: SimpleNamespace(objects=objects))


def test_the_migration_check_passes_over_safe_codes(agencies_a, agencies_b):
    assert migration.check_agency_codes(django_apps, None) is None
    assert migration.check_agency_codes(fake_apps(SAFE_CODES), None) is None


def test_the_migration_check_names_the_unsafe_codes_and_what_to_do():
    codes = ["91-SNV", "91/SNV", "91 SYT", "91-Sở", "33-UBND"]

    with pytest.raises(migration.UnsafeAgencyCodes) as refused:
        migration.check_agency_codes(fake_apps(codes), None)

    message = str(refused.value)
    assert message.startswith("Có 3 mã đơn vị ngoài bảng chữ cho phép")
    assert "'91 SYT', '91-Sở', '91/SNV'" in message
    assert "91-SNV" not in message.replace("'91/SNV'", "")
    assert "trang quản trị" in message and "manage.py migrate" in message


def test_the_migration_check_lists_some_codes_and_counts_the_rest():
    codes = [f"91/{number:03d}" for number in range(25)]

    with pytest.raises(migration.UnsafeAgencyCodes) as refused:
        migration.check_agency_codes(fake_apps(codes), None)

    message = str(refused.value)
    assert "'91/019'" in message
    assert "'91/020'" not in message
    assert "(và 5 mã khác)" in message


def test_the_migration_check_uses_the_models_rule():
    assert migration.ALPHABET.pattern == r"\A[A-Za-z0-9][A-Za-z0-9._-]*\Z"
    for code in [*SAFE_CODES, *UNSAFE_CODES]:
        assert (migration.unsafe_codes([code]) == []) == is_agency_code(code)


# Nothing learnt about another province by trying its codes -----------------------------------


def masked(errors, code):
    """Return the messages of ``errors`` with ``code`` written as a placeholder."""
    return [(line, message.replace(code, "‹mã›")) for line, message in errors]


def test_a_results_import_answers_another_provinces_agency_as_an_unknown_one(
    plan_a, agencies_a, agencies_b
):
    limited = {"provinces": [plan_a.province_id]}
    unknown = errors_of(
        results_import, source=csv_bytes(RESULT_HEADER, "2017,91-KHONGCO,LAN,1,,,"), **limited
    )
    elsewhere = errors_of(
        results_import, source=csv_bytes(RESULT_HEADER, "2017,33-SNV,LAN,1,,,"), **limited
    )

    assert masked(unknown, "91-KHONGCO") == masked(elsewhere, "33-SNV")
    assert "Hưng Yên" not in elsewhere[0][1]


def test_an_upload_answers_another_provinces_agency_as_an_unknown_one(
    officer_client, plan_a, agencies_a, agencies_b
):
    def upload(code):
        content = csv_bytes(RESULT_HEADER, f"2017,{code},LAN,1,,,")
        response = officer_client.post(
            reverse("plans:entry_upload", args=["91", 2017]),
            {"file": SimpleUploadedFile("results.csv", content, content_type="text/csv")},
        )
        assert response.status_code == 400
        return response, [(e.line, e.message) for e in response.context["report"].errors]

    unknown_response, unknown = upload("91-KHONGCO")
    elsewhere_response, elsewhere = upload("33-SNV")

    assert masked(unknown, "91-KHONGCO") == masked(elsewhere, "33-SNV")
    assert unknown[0][1] == (
        "Đơn vị mã 91-KHONGCO không có trong hệ thống hoặc không thuộc tỉnh bạn được phân quyền."
    )
    assert "Hưng Yên" not in elsewhere_response.content.decode()
    assert not Result.objects.exists()


def test_a_results_import_answers_an_inactive_agency_of_another_province_as_unknown(
    plan_a, agencies_a, agencies_b
):
    Agency.objects.filter(code="33-SNV").update(active_to=2016)
    limited = {"provinces": [plan_a.province_id]}

    elsewhere = errors_of(
        results_import, source=csv_bytes(RESULT_HEADER, "2017,33-SNV,LAN,1,,,"), **limited
    )

    assert "không hoạt động" not in elsewhere[0][1]
    assert "không có trong hệ thống hoặc không thuộc tỉnh" in elsewhere[0][1]


def test_a_targets_import_answers_another_province_as_an_unknown_one(province_a, province_b):
    limited = {"provinces": [province_a.pk]}
    unknown = errors_of(
        targets_import, source=csv_bytes(TARGET_HEADER, "96,2017,LAN,all,>=,80,percent,"),
        **limited,
    )
    elsewhere = errors_of(
        targets_import, source=csv_bytes(TARGET_HEADER, "33,2017,LAN,all,>=,80,percent,"),
        **limited,
    )

    assert masked(unknown, "96") == masked(elsewhere, "33")
    assert "Hưng Yên" not in elsewhere[0][1]
    assert not Target.objects.exists()


def test_an_agencies_import_answers_another_province_as_an_unknown_one(agencies_a, agencies_b):
    limited = {"provinces": [agencies_a["91-UBND"].province_id]}
    # The row names the province otherwise than the system: nothing about its stored name.
    unknown = errors_of(
        agencies_import,
        source=csv_bytes(AGENCY_HEADER, "96,Tỉnh X,96-SYT,Sở Y tế,department,,,"),
        **limited,
    )
    elsewhere = errors_of(
        agencies_import,
        source=csv_bytes(AGENCY_HEADER, "33,Tỉnh X,33-SYT,Sở Y tế,department,,,"),
        **limited,
    )

    assert masked(unknown, "96") == masked(elsewhere, "33")
    assert "Hưng Yên" not in elsewhere[0][1]


def test_an_agencies_import_answers_another_provinces_parent_as_an_unknown_one(
    agencies_a, agencies_b
):
    limited = {"provinces": [agencies_a["91-UBND"].province_id]}
    unknown = errors_of(
        agencies_import,
        source=csv_bytes(AGENCY_HEADER, "91,Kiên Giang,91-SYT,Sở Y tế,department,33-KHONG,,"),
        **limited,
    )
    elsewhere = errors_of(
        agencies_import,
        source=csv_bytes(AGENCY_HEADER, "91,Kiên Giang,91-SYT,Sở Y tế,department,33-UBND,,"),
        **limited,
    )

    assert masked(unknown, "33-KHONG") == masked(elsewhere, "33-UBND")
    assert "33," not in elsewhere[0][1] and "Hưng Yên" not in elsewhere[0][1]


def test_an_agencies_import_names_no_province_for_a_code_taken_elsewhere(agencies_a, agencies_b):
    limited = {"provinces": [agencies_a["91-UBND"].province_id]}

    errors = errors_of(
        agencies_import,
        source=csv_bytes(AGENCY_HEADER, "91,Kiên Giang,33-SNV,Sở Nội vụ 2,department,,,"),
        **limited,
    )

    # Codes are unique in the whole system, so a taken code cannot be created; which province
    # holds it is not said.
    assert errors == [
        (2, "Mã đơn vị 33-SNV đã được dùng; mã đơn vị là duy nhất trong cả hệ thống, hãy chọn "
            "mã khác."),
    ]
    assert Agency.objects.get(code="33-SNV").province.code == "33"


def test_an_unlimited_import_still_says_where_a_code_belongs(agencies_a, agencies_b):
    errors = errors_of(
        agencies_import,
        source=csv_bytes(AGENCY_HEADER, "91,Kiên Giang,33-SNV,Sở Nội vụ 2,department,,,"),
    )

    assert errors == [
        (2, "Mã đơn vị 33-SNV đã thuộc tỉnh Hưng Yên (33); mã đơn vị là duy nhất trong cả hệ "
            "thống."),
    ]
