"""load_demo: the demo the dashboards open on, its figures, its idempotence and its accounts."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Sum
from django.urls import reverse

from indicators.models import Indicator
from plans.demo import builder
from plans.models import Agency, Change, Plan, Profile, Province, Result, Target
from plans.rules.progress import Status
from plans.selectors.progress import plan_progress, targets_progress
from tests.factories import login


def load_demo(*args) -> str:
    out = io.StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def demo(db):
    return load_demo("--no-accounts")


def plan_of(code, year):
    return Plan.objects.select_related("province").get(province__code=code, year=year)


def by_key(progresses):
    return {(p.target.indicator.code, p.target.tiers): p.progress for p in progresses}


def snapshot():
    """Return the count of rows of every table and the values of every demo table."""
    counts = {model._meta.label: model.objects.count() for model in apps.get_models()}
    values = {
        model._meta.label: list(model.objects.order_by("pk").values())
        for model in (Province, Agency, Plan, Target, Result, Change, Indicator)
    }
    return counts, values


ALL = "province+department+district+commune"

# Kiên Giang 2017 as published (seeds/README.md): label, indicator, tiers, comparator, value, unit.
K_TARGETS = [
    ("K1", "SPECIALIZED_NETWORK", "department+district", ">", "80", "percent"),
    ("K2", "DIGITAL_SIGNATURE", "department+district", ">", "50", "percent"),
    ("K3", "ONE_STOP_SHOP", "department", ">=", "50", "percent"),
    ("K4", "ONE_STOP_SHOP", "district", ">=", "100", "percent"),
    ("K5", "PUBLIC_SERVICES_L3", ALL, ">=", "25", "percent"),
    ("K6", "PUBLIC_SERVICES_L4", ALL, ">=", "3", "count"),
    ("K7", "OFFICIAL_EMAIL", ALL, ">=", "100", "percent"),
    ("K8", "ONLINE_MEETINGS", "province", ">=", "60", "percent"),
    ("K9", "WEB_PORTAL", "province+department+district", ">=", "100", "percent"),
]


def test_it_loads_both_provinces_and_their_agencies(demo):
    assert dict(Province.objects.values_list("code", "name")) == {
        "91": "Kiên Giang",
        "33": "Hưng Yên",
        "89": "An Giang",
    }
    # The shared list of Kiên Giang and Hưng Yên, and An Giang's committee, 6 former and 12 new
    # communes (plans.demo.merger).
    assert Agency.objects.count() == 347 + 19
    active_2017 = Agency.objects.filter(Agency.active_in(2017))
    assert active_2017.filter(province__code="91", tier="department").count() == 20
    assert active_2017.filter(province__code="91", tier="district").count() == 15
    assert active_2017.filter(province__code="91", tier="commune").count() == 143
    assert active_2017.filter(province__code="33", tier="department").count() == 18
    assert active_2017.filter(province__code="33", tier="district").count() == 10
    assert active_2017.filter(province__code="33", tier="commune").count() == 139
    # The district tier was abolished on 1 July 2025.
    assert not Agency.objects.filter(Agency.active_in(2026), tier="district").exists()


def test_no_demo_agency_name_has_a_double_space(demo):
    # A browser collapses the spaces a page shows, so "UBND xã  Hòa Thuận" would read like the
    # name a person types, yet match nothing when searched or sorted.
    names = list(Agency.objects.values_list("name", flat=True))
    assert [name for name in names if name != " ".join(name.split())] == []


def test_it_prints_a_summary(demo):
    assert "Đơn vị: 347 dòng — tạo mới 347, cập nhật 0, giữ nguyên 0." in demo
    assert "Kết quả mẫu Kiên Giang 2017: 679 dòng — tạo mới 679" in demo
    assert "Tỉnh và sáp nhập: 2 dòng — tạo mới 0, cập nhật 2, giữ nguyên 0." in demo
    assert "Chương trình nhiều năm: 5 dòng — tạo mới 5" in demo
    # 1631 results of the four plans of the articles, 2432 of the merged An Giang's communes
    # (official e-mail, and online services at level 4 then fully online).
    assert "Dữ liệu mẫu: 3 tỉnh, 366 đơn vị, 5 kế hoạch, 16 chỉ tiêu, 4063 kết quả mẫu." in demo
    assert "Tài khoản demo" not in demo


def test_it_leaves_the_same_data_when_run_again(demo):
    before = snapshot()

    output = load_demo("--no-accounts")

    assert snapshot() == before
    assert "tạo mới 0, cập nhật 0, giữ nguyên 347." in output
    assert "Kết quả mẫu Kiên Giang 2017: 679 dòng — tạo mới 0, cập nhật 0, giữ nguyên 679." in (
        output
    )
    assert "Kế hoạch năm 2016 của tỉnh Kiên Giang đã tổng kết: giữ nguyên kết quả." in output


def test_it_puts_back_a_changed_sample_result_and_records_it(demo):
    result = Result.objects.get(
        year=2017, agency__code="91-SNV", indicator__code="SPECIALIZED_NETWORK"
    )
    Result.objects.filter(pk=result.pk).update(value=0)
    changes = Change.objects.count()

    output = load_demo("--no-accounts")

    result.refresh_from_db()
    assert result.value == 1
    assert result.version == 2
    assert Change.objects.count() == changes + 1
    assert "Kết quả mẫu Kiên Giang 2017: 679 dòng — tạo mới 0, cập nhật 1, giữ nguyên 678." in (
        output
    )


def test_it_keeps_the_results_of_a_closed_plan(demo):
    result = Result.objects.get(
        year=2016, agency__code="91-SNV", indicator__code="SPECIALIZED_NETWORK"
    )
    assert result.value == 1
    Result.objects.filter(pk=result.pk).update(value=0)

    output = load_demo("--no-accounts")

    result.refresh_from_db()
    assert result.value == 0
    assert "Kế hoạch năm 2016 của tỉnh Kiên Giang đã tổng kết: giữ nguyên kết quả." in output


def test_it_restores_and_closes_again_a_reopened_past_plan(demo):
    plan = plan_of("91", 2016)
    Plan.objects.filter(pk=plan.pk).update(status=Plan.Status.OPEN, closed_at=None)
    Result.objects.filter(
        year=2016, agency__code="91-SNV", indicator__code="SPECIALIZED_NETWORK"
    ).update(value=0)

    output = load_demo("--no-accounts")

    assert "Kết quả mẫu Kiên Giang 2016: 428 dòng — tạo mới 0, cập nhật 1, giữ nguyên 427." in (
        output
    )
    plan.refresh_from_db()
    assert plan.status == Plan.Status.CLOSED
    assert plan.closed_at is not None
    assert Change.objects.filter(plan=plan, new__status=Plan.Status.CLOSED).count() == 2


def test_it_refuses_to_load_over_a_conflicting_agency_and_writes_nothing(db):
    other = Province.objects.create(code="01", name="Hà Nội")
    Agency.objects.create(province=other, code="91-SNV", name="Sở Nội vụ", tier="department")

    with pytest.raises(CommandError) as excinfo:
        load_demo("--no-accounts")

    assert "91-SNV" in str(excinfo.value)
    assert "dòng 4:" in str(excinfo.value)
    assert Agency.objects.count() == 1
    assert not Plan.objects.exists()
    assert not Result.objects.exists()
    assert not Change.objects.exists()


def test_it_creates_k1_to_k9_as_published(demo):
    plan = plan_of("91", 2017)
    targets = {
        (t.indicator.code, t.tiers): t for t in plan.targets.select_related("indicator")
    }
    assert len(targets) == 9
    for _label, code, tiers, comparator, value, unit in K_TARGETS:
        target = targets[code, tiers]
        assert (target.comparator, target.value, target.unit) == (
            comparator, Decimal(value), unit
        )
        assert target.note.startswith("Kế hoạch ghi")
    # K7's "Trên 100%" cannot be reached: stored as ">= 100" with a note saying what was written.
    k7 = targets["OFFICIAL_EMAIL", ALL]
    assert "“Trên 100%”" in k7.note


def test_it_describes_the_kien_giang_2017_plan(demo):
    plan = plan_of("91", 2017)
    assert plan.title == (
        "Kế hoạch ứng dụng công nghệ thông tin trong hoạt động của cơ quan nhà nước năm 2017"
    )
    assert plan.status == Plan.Status.OPEN
    assert plan.is_sample is False
    # Adopted on 21 December 2016; the article gives no document number.
    assert plan.document_date == datetime.date(2016, 12, 21)
    assert plan.document_number == ""
    assert "Bảo đảm an toàn, an ninh thông tin." in plan.tasks.splitlines()
    assert len(plan.tasks.splitlines()) == 5
    # The targets are published; every result is sample data.
    assert not Result.objects.filter(is_sample=False).exists()


def test_it_gives_kien_giang_2017_the_statuses_it_promises(demo):
    progress = by_key(plan_progress(plan_of("91", 2017)))
    status = {label: progress[code, tiers].status for label, code, tiers, *_ in K_TARGETS}

    assert status == {
        "K1": Status.NOT_MET,
        "K2": Status.MET,
        "K3": Status.MET,
        "K4": Status.NOT_MET,
        "K5": Status.MET,
        "K6": Status.MET,
        "K7": Status.NOT_MET,
        "K8": Status.NOT_MET,
        "K9": Status.MET,
    }
    # Every agency in scope has reported.
    assert all(p.is_complete for p in progress.values())


def test_it_sets_k1_exactly_at_its_strict_threshold(demo):
    k1 = by_key(plan_progress(plan_of("91", 2017)))["SPECIALIZED_NETWORK", "department+district"]
    # 28 of the 35 departments and districts: exactly 80 %, which is not "trên 80%".
    assert (k1.numerator, k1.denominator) == (28, 35)
    assert k1.achieved == 80
    assert k1.status == Status.NOT_MET


def test_it_sets_k3_exactly_at_its_threshold(demo):
    k3 = by_key(plan_progress(plan_of("91", 2017)))["ONE_STOP_SHOP", "department"]
    assert (k3.numerator, k3.denominator) == (10, 20)
    assert k3.achieved == 50
    assert k3.status == Status.MET


# Kiên Giang 2017's other figures: indicator, tiers, numerator, denominator, as shown.
K_FIGURES = [
    ("DIGITAL_SIGNATURE", "department+district", 20, 35, "57.1"),
    ("ONE_STOP_SHOP", "district", 14, 15, "93.3"),
    ("PUBLIC_SERVICES_L3", ALL, 6256, 23171, "27.0"),
    ("PUBLIC_SERVICES_L4", ALL, 4, None, "4"),
    ("OFFICIAL_EMAIL", ALL, 6104, 6152, "99.2"),
    ("ONLINE_MEETINGS", "province", 14, 24, "58.3"),
    ("WEB_PORTAL", "province+department+district", 36, 36, "100.0"),
]


def test_it_gives_kien_giang_2017_its_figures(demo):
    progress = by_key(plan_progress(plan_of("91", 2017)))
    figures = [
        (code, tiers, progress[code, tiers].numerator, progress[code, tiers].denominator,
         str(progress[code, tiers].achieved_rounded))
        for code, tiers, *_ in K_FIGURES
    ]
    assert figures == K_FIGURES


def test_it_gives_kien_giang_a_closed_sample_2016_for_trends(demo):
    plan_2016 = plan_of("91", 2016)
    assert plan_2016.is_sample is True
    assert plan_2016.status == Plan.Status.CLOSED
    progress = by_key(plan_progress(plan_2016))
    # Each 2016 target repeats a 2017 one, so that the trend has two points.
    targets_2017 = set(by_key(plan_progress(plan_of("91", 2017))))
    assert set(progress) <= targets_2017
    assert len(progress) == 4
    assert {key: p.status for key, p in progress.items()} == {
        ("SPECIALIZED_NETWORK", "department+district"): Status.MET,
        ("DIGITAL_SIGNATURE", "department+district"): Status.NOT_MET,
        ("PUBLIC_SERVICES_L3", ALL): Status.NOT_MET,
        ("OFFICIAL_EMAIL", ALL): Status.MET,
    }
    assert all(p.is_complete for p in progress.values())
    assert all(
        t.note == builder.SAMPLE_TARGET_NOTE for t in plan_2016.targets.all()
    )


def published_figure(plan, code, tiers, unit):
    """Return the progress of a figure the article published, computed by the selectors."""
    target = Target(
        plan=plan,
        indicator=Indicator.objects.get(code=code),
        tiers=tiers,
        comparator=">=",
        value=Decimal(0),
        unit=unit,
    )
    return targets_progress([target])[0].progress


# The figures of the article: label, indicator, tiers, unit, numerator, denominator, achieved.
H_FIGURES = [
    ("H1", "LAN", "department+district", "percent", 28, 28, 100),
    ("H2", "FIBRE", "commune", "percent", 139, 139, 100),
    ("H3", "OFFICIAL_EMAIL", "department+district", "percent", 1928, 1928, 100),
    ("H4", "OFFICIAL_EMAIL", "commune", "percent", 2706, 3608, 75),
    ("H5", "DIGITAL_SIGNATURE", ALL, "count", 29, None, 29),
]


def test_it_reproduces_hung_yen_2017_exactly(demo):
    plan = plan_of("33", 2017)
    for label, code, tiers, unit, numerator, denominator, achieved in H_FIGURES:
        progress = published_figure(plan, code, tiers, unit)
        assert (label, progress.numerator, progress.denominator, progress.achieved) == (
            label, numerator, denominator, achieved
        )
        assert progress.is_complete, label


def test_it_varies_hung_yen_communes_while_keeping_75_percent(demo):
    shares = {
        (r.numerator, r.denominator)
        for r in Result.objects.filter(
            year=2017, indicator__code="OFFICIAL_EMAIL", agency__tier="commune"
        )
    }
    assert len(shares) > 4
    assert all(n <= d for n, d in shares)


def test_it_gives_hung_yen_2017_a_closed_plan_without_invented_targets(demo):
    plan = plan_of("33", 2017)
    assert plan.status == Plan.Status.CLOSED
    assert not plan.targets.exists()
    assert Result.objects.filter(year=2017, agency__province__code="33").count() == 502


def test_it_gives_hung_yen_2018_a_provisional_h7(demo):
    plan = plan_of("33", 2018)
    assert plan.status == Plan.Status.OPEN
    assert plan.is_sample is False
    assert "Tăng cường cung cấp dịch vụ công trực tuyến mức độ 3, 4." in plan.tasks
    [h7] = plan_progress(plan)
    assert (h7.target.indicator.code, h7.target.tiers) == ("E_DOCUMENTS", "department+district")
    assert (h7.target.comparator, h7.target.value, h7.target.unit) == (">=", 100, "percent")
    assert (h7.progress.agencies_reporting, h7.progress.agencies_in_scope) == (22, 28)
    assert h7.progress.is_provisional
    assert h7.progress.status == Status.NOT_MET


@pytest.fixture
def fast_hashing(settings):
    """Hash passwords quickly: these tests check who gets which password, not the hashing."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_it_creates_the_demo_accounts_and_prints_their_passwords_once(db, fast_hashing):
    output = load_demo()

    passwords = {}
    for line in output.splitlines():
        cells = line.split()
        if cells and cells[0] in {"admin", "canbo_kiengiang", "lanhdao_kiengiang",
                                   "canbo_hungyen", "lanhdao_hungyen", "baocao_kiengiang"}:
            passwords[cells[0]] = cells[-1]
    assert "Tài khoản demo" in output
    assert len(passwords) == 6
    assert all(len(password) >= 20 for password in passwords.values())
    assert len(set(passwords.values())) == 6
    assert "Cán bộ báo cáo của đơn vị" in output
    assert (
        "Tài khoản baocao_kiengiang báo cáo cho: Sở Nội vụ, UBND phường Vĩnh Thanh." in output
    )
    for username, password in passwords.items():
        assert authenticate(username=username, password=password) is not None

    admin = get_user_model().objects.get(username="admin")
    assert admin.is_superuser
    assert admin.is_staff
    profiles = {
        p.user.username: (p.role, sorted(p.provinces.values_list("code", flat=True)))
        for p in Profile.objects.select_related("user")
    }
    assert profiles["canbo_kiengiang"] == (Profile.Role.OFFICER, ["91"])
    assert profiles["lanhdao_kiengiang"] == (Profile.Role.LEADER, ["91"])
    assert profiles["canbo_hungyen"] == (Profile.Role.OFFICER, ["33"])
    assert profiles["lanhdao_hungyen"] == (Profile.Role.LEADER, ["33"])
    assert profiles["baocao_kiengiang"] == (Profile.Role.REPORTER, ["91"])
    # The merged An Giang (plans.demo.merger): its officer, and a leader who reads the former
    # Kiên Giang too.
    assert profiles["canbo_angiang"] == (Profile.Role.OFFICER, ["89"])
    assert profiles["lanhdao_angiang"] == (Profile.Role.LEADER, ["89", "91"])
    reporter = Profile.objects.get(user__username="baocao_kiengiang")
    assert sorted(reporter.agencies.values_list("code", "tier")) == [
        ("91-SNV", "department"), ("91-X30733", "commune"),
    ]

    # A second run resets every password: the old ones stop working.
    again = load_demo()
    # The six accounts of the articles' provinces and the merged An Giang's two, not twice.
    assert get_user_model().objects.count() == 8
    assert authenticate(username="canbo_kiengiang", password=passwords["canbo_kiengiang"]) is None
    assert passwords["canbo_kiengiang"] not in again


def test_it_restores_a_demo_accounts_role(db, fast_hashing):
    load_demo()
    leader = Profile.objects.get(user__username="lanhdao_hungyen")
    leader.role = Profile.Role.OFFICER
    leader.save()
    leader.provinces.clear()

    load_demo()

    leader.refresh_from_db()
    assert leader.role == Profile.Role.LEADER
    assert list(leader.provinces.values_list("code", flat=True)) == ["33"]


def test_it_restores_the_demo_reporters_agencies(db, fast_hashing):
    load_demo()
    reporter = Profile.objects.get(user__username="baocao_kiengiang")
    reporter.agencies.clear()

    load_demo()

    assert sorted(reporter.agencies.values_list("code", flat=True)) == ["91-SNV", "91-X30733"]


def test_it_creates_no_account_with_no_accounts(demo):
    assert not get_user_model().objects.exists()


def test_the_builder_writes_the_formats_columns():
    targets = list(csv.reader(io.StringIO(builder.targets_csv())))
    assert targets[0] == ["province_code", "year", "indicator_code", "tiers", "comparator",
                          "value", "unit", "note"]
    assert len(targets) == 1 + 14
    results = builder.demo_results()
    text = builder.results_csv(results["91", 2017][:1] + results["91", 2017][-1:])
    rows = list(csv.DictReader(io.StringIO(text)))
    # A yes/no result has a value alone; a ratio has a numerator and a denominator alone.
    assert rows[0] == {"year": "2017", "agency_code": "91-BDT",
                       "indicator_code": "SPECIALIZED_NETWORK", "value": "1", "numerator": "",
                       "denominator": "", "note": ""}
    assert rows[1]["indicator_code"] == "WEB_PORTAL"
    ratio = builder.results_csv([builder.DemoResult(2017, "91-UBND", "ONLINE_MEETINGS",
                                                    numerator=14, denominator=24)])
    assert ratio.splitlines()[1] == "2017,91-UBND,ONLINE_MEETINGS,,14,24,"


def test_the_builder_is_deterministic():
    assert builder.demo_results() == builder.demo_results()
    assert builder.targets_csv() == builder.targets_csv()


def test_the_2017_comparison_shows_the_merged_an_giang_over_its_territory(demo, client,
                                                                          admin_user):
    # An Giang (89) took over Kiên Giang (91) in 2025 (plans.demo.merger): in 2017 its column
    # shows, under what its own former communes achieved, the official e-mail over both
    # provinces' agencies in the row's scope, summed.
    login(client, admin_user)
    response = client.get(reverse("plans:dashboard_compare", args=[2017]))

    codes = [header["province"].code for header in response.context["headers"]]
    (line,) = [line for line in response.context["table"]
               if (line["target"].indicator.code, line["target"].tiers) == ("OFFICIAL_EMAIL", ALL)]
    cells = dict(zip(codes, line["cells"], strict=True))
    own = Result.objects.filter(agency__province__code="89", year=2017,
                                indicator__code="OFFICIAL_EMAIL").aggregate(
        n=Sum("numerator"), d=Sum("denominator"))
    assert (own["n"], own["d"]) == (87, 123)
    assert (cells["89"].achieved, cells["91"].achieved) == ("70,7 %", "99,2 %")
    # (6104 + 87) / (6152 + 123): 98.7 %, not the average of 99.2 % and 70.7 %.
    assert cells["89"].territory == "98,7 %"
    assert cells["91"].territory == ""
    assert "gồm số liệu của tỉnh trước sáp nhập (Kiên Giang)" in response.content.decode()
