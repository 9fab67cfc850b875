from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from indicators.models import Indicator
from plans.models import Change, Plan, Target
from plans.services.imports import ImportRefused, targets_import
from tests.factories import csv_file

HEADER = "province_code,year,indicator_code,tiers,comparator,value,unit,note"


def refused(**kwargs) -> list[tuple[int, str]]:
    with pytest.raises(ImportRefused) as excinfo:
        targets_import(**kwargs)
    return [(error.line, error.message) for error in excinfo.value.report.errors]


def targets_state():
    return sorted(
        Target.objects.values_list(
            "plan__province__code", "plan__year", "indicator__code", "tiers", "comparator",
            "value", "unit", "note",
        )
    )


# The Kiên Giang 2017 plan of the seed documents (K1, K3, K6).
KIEN_GIANG_2017 = csv_file(
    HEADER,
    "91,2017,SPECIALIZED_NETWORK,district+department,>,80,percent,"
    "trên 80% sở ngành và UBND cấp huyện",
    "91,2017,ONE_STOP_SHOP,department,>=,50,percent,",
    "91,2017,DIGITAL_SIGNATURE,all,>=,3,count,",
)


def test_it_creates_the_plan_as_a_draft_and_its_targets(province_a, officer_a):
    report = targets_import(source=KIEN_GIANG_2017, user=officer_a, channel="upload")

    assert (report.kind, report.rows, report.created, report.updated) == ("targets", 3, 3, 0)
    plan = Plan.objects.get(province=province_a, year=2017)
    assert plan.status == Plan.Status.DRAFT
    assert targets_state() == [
        ("91", 2017, "DIGITAL_SIGNATURE", "province+department+district+commune", ">=",
         Decimal("3.0"), "count", ""),
        ("91", 2017, "ONE_STOP_SHOP", "department", ">=", Decimal("50.0"), "percent", ""),
        ("91", 2017, "SPECIALIZED_NETWORK", "department+district", ">", Decimal("80.0"),
         "percent", "trên 80% sở ngành và UBND cấp huyện"),
    ]
    target = Target.objects.get(indicator__code="ONE_STOP_SHOP")
    change = Change.objects.get(target=target)
    assert (change.plan, change.changed_by, change.channel, change.old) == (
        plan, officer_a, "upload", None
    )
    assert change.new == {"indicator": "ONE_STOP_SHOP", "tiers": "department",
                          "comparator": ">=", "value": "50", "unit": "percent", "note": "",
                          "position": 0}
    assert Change.objects.filter(plan=plan, target__isnull=True).count() == 1


def test_it_adds_targets_to_an_existing_plan(plan_a):
    targets_import(source=KIEN_GIANG_2017)

    assert Plan.objects.count() == 1
    assert plan_a.targets.count() == 3
    plan_a.refresh_from_db()
    assert plan_a.status == Plan.Status.OPEN


def test_it_changes_nothing_when_the_same_file_is_imported_again(province_a):
    targets_import(source=KIEN_GIANG_2017)
    changes = Change.objects.count()

    report = targets_import(source=KIEN_GIANG_2017)

    assert (report.created, report.updated, report.unchanged) == (0, 0, 3)
    assert Change.objects.count() == changes


def test_it_matches_the_tiers_as_a_set(plan_a, indicator):
    Target.objects.create(plan=plan_a, indicator=indicator("DIGITAL_SIGNATURE"), tiers="all",
                          value=3, unit="count")
    Target.objects.create(plan=plan_a, indicator=indicator("LAN"), tiers="department+district",
                          value=100)
    source = csv_file(
        HEADER,
        "91,2017,DIGITAL_SIGNATURE,commune+district+department+province,>=,3,count,",
        "91,2017,LAN,District+Department,>=,100,percent,",
    )

    report = targets_import(source=source)

    # The target stored as "all" is matched, and rewritten with its tiers in canonical form.
    assert (report.created, report.updated, report.unchanged) == (0, 1, 1)
    assert sorted(Target.objects.values_list("tiers", flat=True)) == [
        "department+district", "province+department+district+commune"
    ]
    assert targets_import(source=source).unchanged == 2


def test_it_updates_a_target_and_keeps_its_old_figures(plan_a, indicator, admin_user):
    target = Target.objects.create(plan=plan_a, indicator=indicator("ONE_STOP_SHOP"),
                                   tiers="department", value=40)

    report = targets_import(
        source=csv_file(HEADER,
                        "91,2017,ONE_STOP_SHOP,department,>=,50,percent,K3"), user=admin_user
    )

    assert (report.created, report.updated) == (0, 1)
    target.refresh_from_db()
    assert (target.value, target.note) == (Decimal("50.0"), "K3")
    change = Change.objects.get(target=target)
    assert change.old["value"] == "40"
    assert change.new["value"] == "50"
    assert (change.plan, change.changed_by) == (plan_a, admin_user)


def test_it_refuses_the_same_key_twice_whatever_the_order_of_tiers(province_a):
    source = csv_file(
        HEADER,
        "91,2017,LAN,department+district,>=,100,percent,",
        "91,2017,LAN,district+department,>=,90,percent,",
        "91,2017,FIBRE,all,>=,100,percent,",
        "91,2017,FIBRE,province+department+district+commune,>=,100,percent,",
    )

    errors = refused(source=source)

    assert errors == [
        (3, "Chỉ tiêu LAN cấp department+district năm 2017 của tỉnh 91 đã có ở dòng 2."),
        (5, "Chỉ tiêu FIBRE cấp province+department+district+commune năm 2017 của tỉnh 91 "
            "đã có ở dòng 4."),
    ]
    assert not Plan.objects.exists()


def test_it_refuses_a_percent_above_100(province_a):
    errors = refused(source=csv_file(HEADER, "91,2017,OFFICIAL_EMAIL,all,>,101,percent,Trên 100%"))

    assert errors == [(2, "Chỉ tiêu phần trăm phải nằm trong khoảng 0–100 (nhận được 101). "
                          "“Trên 100%” không thể đạt được: hãy ghi 100.")]
    assert not Target.objects.exists()


def test_it_accepts_a_percent_with_one_decimal(province_a):
    targets_import(source=csv_file(HEADER, "91,2017,OFFICIAL_EMAIL,all,>=,12.5,percent,"))

    assert Target.objects.get().value == Decimal("12.5")


def test_it_refuses_a_percent_with_two_decimals(province_a):
    errors = refused(source=csv_file(HEADER, "91,2017,OFFICIAL_EMAIL,all,>=,12.55,percent,"))

    assert errors == [(2, "Chỉ tiêu phần trăm ghi tối đa một chữ số thập phân (nhận được "
                          "12.55).")]


@pytest.mark.parametrize("value", ["2.5", "3.0", "-1", "+3", "1e3"])
def test_it_refuses_a_count_that_is_not_a_whole_number(province_a, value):
    errors = refused(source=csv_file(HEADER, f"91,2017,DIGITAL_SIGNATURE,all,>=,{value},count,"))

    assert errors == [(2, f"Chỉ tiêu số lượng phải là số nguyên không âm, chỉ gồm chữ số (nhận "
                          f"được “{value}”).")]


@pytest.mark.parametrize("value", ["80%", '"80,5"', "tám mươi", ""])
def test_it_refuses_a_percent_that_is_not_a_number(province_a, value):
    errors = refused(source=csv_file(HEADER, f"91,2017,LAN,all,>=,{value},percent,"))

    assert len(errors) == 1
    assert errors[0][0] == 2
    assert "value" in errors[0][1]


def test_it_refuses_a_percent_target_on_a_count_indicator(province_a):
    Indicator.objects.create(code="SERVICES_COUNT", name_vi="Số dịch vụ", name_en="Services",
                             group="services", kind="count")

    errors = refused(source=csv_file(HEADER, "91,2017,SERVICES_COUNT,all,>=,3,percent,"))

    assert errors == [(2, "Chỉ tiêu SERVICES_COUNT là loại số lượng nên chỉ nhận đơn vị số "
                          "lượng, không nhận %.")]


def test_it_refuses_unknown_codes(province_a):
    errors = refused(source=csv_file(HEADER, "91,2017,WIFI,xa,=,80,phantram,"))

    assert errors == [
        (2, "Không có chỉ tiêu mã “WIFI” trong danh mục."),
        (2, "Cấp không hợp lệ: 'xa'. Dùng province, department, district, commune, nối bằng "
            "dấu + hoặc all."),
        (2, "Cột comparator: “=” không hợp lệ; chỉ nhận >=, >, <=, <."),
        (2, "Cột unit: “phantram” không hợp lệ; chỉ nhận percent, count."),
    ]


def test_it_refuses_an_unknown_province(db):
    errors = refused(source=csv_file(HEADER, "96,2017,LAN,all,>=,80,percent,"))

    assert errors == [(2, "Không có tỉnh mã 96 trong hệ thống.")]
    assert not Plan.objects.exists()


def test_it_refuses_a_year_out_of_range(province_a):
    errors = refused(source=csv_file(HEADER, "91,1999,LAN,all,>=,80,percent,"))

    assert errors == [(2, "Cột year: năm 1999 nằm ngoài khoảng 2000–2100.")]


def test_it_refuses_a_province_the_caller_may_not_write(province_a, province_b):
    source = csv_file(HEADER,
                      "91,2017,LAN,all,>=,80,percent,", "33,2018,E_DOCUMENTS,all,>=,100,percent,")

    errors = refused(source=source, provinces=[province_a.pk])

    assert errors == [(3, "Tỉnh mã 33 không có trong hệ thống hoặc không thuộc các tỉnh bạn "
                          "được phân quyền.")]
    assert not Plan.objects.exists()


def test_it_refuses_a_change_to_a_closed_plan_but_accepts_it_unchanged(plan_a, indicator):
    Target.objects.create(plan=plan_a, indicator=indicator("LAN"), tiers="department", value=80)
    plan_a.status = Plan.Status.CLOSED
    plan_a.save()

    assert targets_import(source=csv_file(HEADER,
                                          "91,2017,LAN,department,>=,80,percent,")).unchanged == 1
    errors = refused(source=csv_file(HEADER, "91,2017,LAN,department,>=,90,percent,"))

    assert errors == [(2, "Kế hoạch năm 2017 của tỉnh Kiên Giang đã tổng kết, không thể sửa "
                          "chỉ tiêu.")]
    assert Target.objects.get().value == 80


def test_it_counts_but_writes_nothing_in_a_dry_run(province_a):
    report = targets_import(source=KIEN_GIANG_2017, dry_run=True)

    assert (report.created, report.dry_run) == (3, True)
    assert not Plan.objects.exists()
    assert not Change.objects.exists()


def test_the_command_imports_and_prints_a_summary(province_a, tmp_path, capsys):
    path = tmp_path / "targets.csv"
    path.write_bytes(KIEN_GIANG_2017)

    call_command("import_targets", str(path))

    assert capsys.readouterr().out == "Đã nhập 3 dòng: tạo 3, sửa 0, giữ nguyên 0.\n"
    assert Target.objects.count() == 3


def test_the_command_fails_and_writes_nothing_on_a_wrong_row(province_a, tmp_path, capsys):
    path = tmp_path / "targets.csv"
    path.write_bytes(csv_file(HEADER,
                              "91,2017,LAN,all,>=,80,percent,", "91,2017,LAN,all,>=,101,percent,"))

    with pytest.raises(CommandError):
        call_command("import_targets", str(path))

    assert capsys.readouterr().err == (
        "dòng 3: Chỉ tiêu phần trăm phải nằm trong khoảng 0–100 (nhận được 101). “Trên 100%” "
        "không thể đạt được: hãy ghi 100.\n"
    )
    assert not Plan.objects.exists()
