import unicodedata

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from plans.models import Agency, Change, Province
from plans.services.imports import ImportRefused, agencies_import
from tests.factories import csv_file

HEADER = (
    "province_code,province_name,agency_code,agency_name,tier,parent_code,active_from,active_to"
)


def refused(**kwargs) -> list[tuple[int, str]]:
    with pytest.raises(ImportRefused) as excinfo:
        agencies_import(**kwargs)
    return [(error.line, error.message) for error in excinfo.value.report.errors]


def agencies_state():
    return sorted(
        Agency.objects.values_list(
            "province__code", "code", "name", "tier", "parent__code", "active_from", "active_to"
        )
    )


# Children before their parents: a parent may be anywhere in the same file.
NEW_PROVINCE = csv_file(
    HEADER,
    "96,Cà Mau,96-H964,UBND thành phố Cà Mau,district,96-UBND,,2025",
    "96,Cà Mau,96-X32002,UBND phường 9,commune,96-H964,2018,2025",
    "96,Cà Mau,96-UBND,UBND tỉnh Cà Mau,province,,,",
    "96,Cà Mau,96-SNV,Sở Nội vụ,Department,96-UBND,,",
)


def test_it_creates_a_province_and_its_agencies_parents_in_any_order(db):
    report = agencies_import(source=NEW_PROVINCE)

    assert (report.kind, report.rows, report.created, report.updated) == ("agencies", 4, 4, 0)
    assert Province.objects.get(code="96").name == "Cà Mau"
    assert agencies_state() == [
        ("96", "96-H964", "UBND thành phố Cà Mau", "district", "96-UBND", None, 2025),
        ("96", "96-SNV", "Sở Nội vụ", "department", "96-UBND", None, None),
        ("96", "96-UBND", "UBND tỉnh Cà Mau", "province", None, None, None),
        ("96", "96-X32002", "UBND phường 9", "commune", "96-H964", 2018, 2025),
    ]
    assert not Change.objects.exists()


def test_it_changes_nothing_when_the_same_file_is_imported_again(db):
    agencies_import(source=NEW_PROVINCE)
    before = agencies_state()

    report = agencies_import(source=NEW_PROVINCE)

    assert (report.created, report.updated, report.unchanged) == (0, 0, 4)
    assert agencies_state() == before


def test_it_updates_an_agency_matched_on_its_code(agencies_a):
    source = csv_file(
        HEADER,
        "91,Kiên Giang,91-H900,UBND thành phố Hà Tiên,district,91-UBND,,2025",
        "91,Kiên Giang,91-SNV,Sở Nội vụ,department,91-UBND,,",
    )

    report = agencies_import(source=source)

    assert (report.created, report.updated, report.unchanged) == (0, 1, 1)
    agency = Agency.objects.get(code="91-H900")
    assert (agency.name, agency.active_to, agency.pk) == (
        "UBND thành phố Hà Tiên", 2025, agencies_a["91-H900"].pk
    )


def test_it_moves_an_agency_to_a_new_parent_and_clears_a_parent(agencies_a):
    source = csv_file(
        HEADER,
        "91,Kiên Giang,91-X30733,UBND phường Vĩnh Thanh,commune,91-H899,,2025",
        "91,Kiên Giang,91-SNV,Sở Nội vụ,department,,,",
    )

    agencies_import(source=source)

    assert Agency.objects.get(code="91-X30733").parent.code == "91-H899"
    assert Agency.objects.get(code="91-SNV").parent is None


def test_it_moves_an_agency_under_a_new_agency_listed_later(agencies_a):
    source = csv_file(
        HEADER,
        "91,Kiên Giang,91-SNV,Sở Nội vụ,department,91-VP,,",
        "91,Kiên Giang,91-VP,Văn phòng UBND tỉnh,department,91-UBND,,",
    )

    report = agencies_import(source=source)

    assert (report.created, report.updated) == (1, 1)
    assert Agency.objects.get(code="91-SNV").parent.code == "91-VP"
    assert Agency.objects.get(code="91-VP").parent.code == "91-UBND"


def test_it_compares_names_after_unicode_normalisation(agencies_a):
    decomposed = unicodedata.normalize("NFD", "Kiên Giang")
    assert decomposed != "Kiên Giang"
    source = csv_file(
        HEADER,
        f"91,{decomposed},91-SNV,{unicodedata.normalize('NFD', 'Sở Nội vụ')},"
        "department,91-UBND,,",
    )

    report = agencies_import(source=source)

    assert report.unchanged == 1
    assert Province.objects.get(code="91").name == "Kiên Giang"


def test_it_refuses_another_name_for_a_known_province(agencies_a):
    before = agencies_state()

    errors = refused(source=csv_file(HEADER, "91,Kien Giang,91-SYT,Sở Y tế,department,91-UBND,,"))

    assert errors == [(2, "Tỉnh mã 91 đã có tên “Kiên Giang” trong hệ thống, dòng này ghi "
                          "“Kien Giang”; một tỉnh chỉ có một tên.")]
    assert agencies_state() == before


def test_it_refuses_two_names_for_one_province_in_the_file(db):
    errors = refused(source=csv_file(
        HEADER,
        "96,Cà Mau,96-UBND,UBND tỉnh Cà Mau,province,,,",
        "96,Ca Mau,96-SNV,Sở Nội vụ,department,96-UBND,,",
    ))

    assert errors == [(3, "Tỉnh mã 96 đã được ghi tên “Cà Mau” ở dòng 2, dòng này ghi “Ca Mau”; "
                          "một tỉnh chỉ có một tên.")]
    assert not Province.objects.exists()


def test_it_refuses_a_province_name_used_by_another_code(province_a):
    errors = refused(source=csv_file(HEADER, "92,Kiên Giang,92-UBND,UBND,province,,,"))

    assert errors == [(2, "Tên tỉnh “Kiên Giang” đã dùng cho tỉnh mã 91.")]
    assert Province.objects.count() == 1


def test_it_refuses_an_agency_code_of_another_province(agencies_a, province_b):
    before = agencies_state()

    errors = refused(source=csv_file(HEADER, "33,Hưng Yên,91-SNV,Sở Nội vụ,department,,,"))

    assert errors == [(2, "Mã đơn vị 91-SNV đã thuộc tỉnh Kiên Giang (91); mã đơn vị là duy "
                          "nhất trong cả hệ thống.")]
    assert agencies_state() == before


def test_it_refuses_the_same_agency_code_twice(db):
    errors = refused(source=csv_file(
        HEADER,
        "96,Cà Mau,96-UBND,UBND tỉnh Cà Mau,province,,,",
        "96,Cà Mau,96-UBND,UBND tỉnh,province,,,",
    ))

    assert errors == [(3, "Mã đơn vị 96-UBND đã có ở dòng 2; mỗi đơn vị chỉ ghi một dòng.")]


def test_it_refuses_an_unknown_parent(agencies_a):
    errors = refused(source=csv_file(HEADER,
                                     "91,Kiên Giang,91-SYT,Sở Y tế,department,91-KHONGCO,,"))

    assert errors == [(2, "Không có đơn vị cấp trên mã 91-KHONGCO, cả trong hệ thống lẫn "
                          "trong tệp.")]
    assert not Agency.objects.filter(code="91-SYT").exists()


def test_it_refuses_a_parent_of_another_province(agencies_a, agencies_b):
    errors = refused(source=csv_file(
        HEADER,
        "91,Kiên Giang,91-SYT,Sở Y tế,department,33-UBND,,",
        "96,Cà Mau,96-UBND,UBND tỉnh Cà Mau,province,,,",
        "91,Kiên Giang,91-STC,Sở Tài chính,department,96-UBND,,",
    ))

    assert errors == [
        (2, "Đơn vị cấp trên 33-UBND thuộc tỉnh 33, không cùng tỉnh 91."),
        (4, "Đơn vị cấp trên 96-UBND thuộc tỉnh 96, không cùng tỉnh 91."),
    ]
    assert not Province.objects.filter(code="96").exists()


def test_it_refuses_an_agency_that_is_its_own_parent(db):
    errors = refused(source=csv_file(HEADER,
                                     "96,Cà Mau,96-UBND,UBND tỉnh Cà Mau,province,96-UBND,,"))

    assert errors == [(2, "Đơn vị 96-UBND không thể là cấp trên của chính nó.")]


def test_it_refuses_a_loop_of_parents(agencies_a):
    errors = refused(source=csv_file(
        HEADER,
        "91,Kiên Giang,91-UBND,UBND tỉnh Kiên Giang,province,91-SNV,,",
    ))

    assert errors == [(2, "Các đơn vị cấp trên tạo thành vòng lặp: 91-UBND → 91-SNV → 91-UBND.")]
    assert Agency.objects.get(code="91-UBND").parent is None


def test_it_refuses_active_from_after_active_to(db):
    errors = refused(source=csv_file(HEADER,
                                     "96,Cà Mau,96-H964,UBND thành phố Cà Mau,district,,2026,2025"))

    assert errors == [(2, "Năm bắt đầu hoạt động (2026) sau năm kết thúc (2025).")]


@pytest.mark.parametrize(
    "years, message",
    [
        ("1999,", "Cột active_from: năm 1999 nằm ngoài khoảng 2000–2100."),
        (",2025.0", "Cột active_to: “2025.0” không phải năm; ghi bốn chữ số, ví dụ 2017."),
    ],
)
def test_it_refuses_a_wrong_year(db, years, message):
    errors = refused(source=csv_file(HEADER,
                                     f"96,Cà Mau,96-H964,UBND thành phố Cà Mau,district,,{years}"))

    assert errors == [(2, message)]


def test_it_refuses_an_unknown_tier(db):
    errors = refused(source=csv_file(HEADER, "96,Cà Mau,96-H964,UBND thành phố Cà Mau,huyen,,,"))

    assert errors == [(2, "Cột tier: “huyen” không hợp lệ; chỉ nhận province, department, "
                          "district, commune.")]


def test_it_refuses_missing_values(db):
    errors = refused(source=csv_file(HEADER, ",,96-H964,,district,,,"))

    assert errors == [
        (2, "Cột province_code không được để trống."),
        (2, "Cột province_name không được để trống."),
        (2, "Cột agency_name không được để trống."),
    ]


def test_it_refuses_a_province_code_that_is_not_digits(db):
    errors = refused(source=csv_file(HEADER, "KG,Kiên Giang,KG-UBND,UBND,province,,,"))

    assert errors == [(2, "Cột province_code: “KG” không hợp lệ; mã tỉnh chỉ gồm chữ số, ví dụ "
                          "91.")]


def test_it_refuses_a_province_the_caller_may_not_write(agencies_a, province_b):
    source = csv_file(
        HEADER,
        "91,Kiên Giang,91-SYT,Sở Y tế,department,91-UBND,,",
        "33,Hưng Yên,33-SYT,Sở Y tế,department,,,",
        "96,Cà Mau,96-UBND,UBND tỉnh Cà Mau,province,,,",
    )

    errors = refused(source=source, provinces=[agencies_a["91-UBND"].province_id])

    assert errors == [
        (3, "Tỉnh 33 (Hưng Yên) không thuộc các tỉnh bạn được phân quyền."),
        (4, "Tỉnh 96 (Cà Mau) không thuộc các tỉnh bạn được phân quyền."),
    ]
    assert not Agency.objects.filter(code="91-SYT").exists()


def test_it_accepts_the_callers_own_province(agencies_a, province_a):
    source = csv_file(HEADER, "91,Kiên Giang,91-SYT,Sở Y tế,department,91-UBND,,")

    report = agencies_import(source=source, provinces=[province_a.pk])

    assert report.created == 1


def test_it_counts_but_writes_nothing_in_a_dry_run(db):
    report = agencies_import(source=NEW_PROVINCE, dry_run=True)

    assert (report.created, report.dry_run) == (4, True)
    assert not Province.objects.exists()
    assert not Agency.objects.exists()


def test_it_imports_the_demo_list_of_both_provinces(db):
    with open("/work/shared/demo/agencies.csv", "rb") as source:
        report = agencies_import(source=source)

    assert report.ok
    assert report.created == report.rows > 300
    assert set(Province.objects.values_list("code", "name")) == {
        ("91", "Kiên Giang"), ("33", "Hưng Yên")
    }


def test_the_command_imports_and_prints_a_summary(db, tmp_path, capsys):
    path = tmp_path / "agencies.csv"
    path.write_bytes(NEW_PROVINCE)

    call_command("import_agencies", str(path))

    assert capsys.readouterr().out == "Đã nhập 4 dòng: tạo 4, sửa 0, giữ nguyên 0.\n"
    assert Agency.objects.count() == 4


def test_the_command_prints_every_error_and_fails(db, tmp_path, capsys):
    path = tmp_path / "agencies.csv"
    path.write_bytes(csv_file(
        HEADER,
        "96,Cà Mau,96-UBND,UBND tỉnh Cà Mau,tinh,,,",
        "96,Cà Mau,96-SNV,Sở Nội vụ,department,96-KHONGCO,,",
    ))

    with pytest.raises(CommandError):
        call_command("import_agencies", str(path))

    assert capsys.readouterr().err.splitlines() == [
        "dòng 2: Cột tier: “tinh” không hợp lệ; chỉ nhận province, department, district, "
        "commune.",
        "dòng 3: Không có đơn vị cấp trên mã 96-KHONGCO, cả trong hệ thống lẫn trong tệp.",
    ]
    assert not Province.objects.exists()
