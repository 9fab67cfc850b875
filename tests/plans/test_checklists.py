"""Checklist targets: the model, the progress rule, the imports, the service and the pages."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, transaction
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from plans.models import Change, Plan, Target, TargetItem
from plans.rules import progress
from plans.services.checklists import (
    ItemsRefused,
    ItemTick,
    item_version,
    parse_item_names,
    target_items_save,
    target_items_update,
)
from plans.services.imports import ImportRefused, items_import, targets_import
from tests.factories import csv_file, login, make_target

TARGETS_HEADER = "province_code,year,indicator_code,tiers,comparator,value,unit,note,items"
ITEMS_HEADER = "province_code,year,indicator_code,tiers,item,done,done_on,note"
SERVICES = "Cấp giấy phép xây dựng|Đăng ký kinh doanh|Cấp phiếu lý lịch tư pháp"


@pytest.fixture
def checklist(plan_a, indicator):
    """A target of plan_a met when 2 of its 3 named services are fully online."""
    target = make_target(plan_a, indicator("PUBLIC_SERVICES_L4"), "province", "2", unit="count")
    for position, name in enumerate(SERVICES.split("|"), start=1):
        TargetItem.objects.create(target=target, name=name, position=position)
    return target


def items_state():
    return list(
        TargetItem.objects.order_by("target_id", "position").values_list(
            "name", "position", "done", "done_on", "note"
        )
    )


# The progress rule ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("comparator", "value", "done", "total", "status"),
    [
        (">=", 2, 2, 3, progress.Status.MET),
        (">=", 2, 1, 3, progress.Status.NOT_MET),
        (">=", 3, 3, 3, progress.Status.MET),
        (">=", 0, 0, 3, progress.Status.MET),
        (">", 2, 2, 3, progress.Status.NOT_MET),
        (">", 2, 3, 3, progress.Status.MET),
        ("<=", 1, 1, 3, progress.Status.MET),
        ("<", 1, 1, 3, progress.Status.NOT_MET),
        (">=", 2, 0, 0, progress.Status.NO_DATA),
    ],
)
def test_it_decides_a_checklist_by_the_items_done(comparator, value, done, total, status):
    result = progress.checklist(comparator=comparator, target=Decimal(value), done=done,
                                total=total)
    assert result.status == status
    assert result.checklist
    assert result.unit == progress.COUNT
    if total:
        assert result.achieved == done
        assert (result.agencies_reporting, result.agencies_in_scope) == (total, total)
        assert not result.is_provisional
    else:
        assert result.achieved is None


@pytest.mark.parametrize(("done", "total"), [(-1, 3), (4, 3)])
def test_it_refuses_impossible_counts(done, total):
    with pytest.raises(ValueError):
        progress.checklist(comparator=">=", target=1, done=done, total=total)


def test_it_refuses_an_unknown_comparator():
    with pytest.raises(ValueError):
        progress.checklist(comparator="==", target=1, done=1, total=1)


# The model --------------------------------------------------------------------------------------


def test_it_keeps_one_item_of_a_name_per_target(checklist):
    with pytest.raises(IntegrityError), transaction.atomic():
        TargetItem.objects.create(target=checklist, name="Đăng ký kinh doanh")


def test_it_refuses_a_date_for_an_item_not_done(checklist):
    item = checklist.items.first()
    item.done_on = datetime.date(2017, 6, 30)
    with pytest.raises(ValidationError, match="không ghi ngày hoàn thành"):
        item.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        item.save()


def test_it_refuses_a_blank_name(checklist):
    with pytest.raises(ValidationError):
        TargetItem(target=checklist, name="").full_clean()


# Reading progress: the dashboard's selector -----------------------------------------------------


def test_it_counts_the_items_in_the_plan_progress(checklist, django_assert_num_queries):
    from plans.selectors.progress import plan_progress

    TargetItem.objects.filter(name="Đăng ký kinh doanh").update(done=True)
    # agency counts and result sums; the targets with their items counted
    with django_assert_num_queries(3):
        [row] = plan_progress(checklist.plan)
    assert (row.progress.numerator, row.progress.status) == (1, progress.Status.NOT_MET)
    TargetItem.objects.filter(name="Cấp giấy phép xây dựng").update(done=True)
    [row] = plan_progress(checklist.plan)
    assert (row.progress.numerator, row.progress.status) == (2, progress.Status.MET)


def test_it_counts_the_items_of_targets_given_as_a_list(checklist, django_assert_num_queries):
    from plans.selectors.progress import targets_progress

    targets = list(Target.objects.select_related("plan", "indicator"))
    # agency counts, result sums, the items counted
    with django_assert_num_queries(3):
        [row] = targets_progress(targets)
    assert row.progress.checklist and row.progress.numerator == 0


# parse_item_names -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "names"),
    [("", ()), ("  ", ()), ("A", ("A",)), (" A | B ", ("A", "B"))],
)
def test_it_reads_item_names(text, names):
    assert parse_item_names(text) == names


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("A||B", "để trống"),
        ("A|B|A", "ghi hai lần"),
        ("A|" + "x" * 201, "tối đa 200"),
        ("|".join(str(n) for n in range(101)), "tối đa 100"),
    ],
)
def test_it_refuses_bad_item_names(text, message):
    with pytest.raises(ValueError, match=message):
        parse_item_names(text)


# targets.csv's items column ---------------------------------------------------------------------


def test_it_imports_a_checklist_target_with_its_items(province_a, officer_a):
    source = csv_file(
        TARGETS_HEADER,
        f"91,2017,PUBLIC_SERVICES_L4,province,>=,2,count,3 dịch vụ mức độ 4,{SERVICES}",
        "91,2017,ONE_STOP_SHOP,department,>=,50,percent,,",
    )
    report = targets_import(source=source, user=officer_a)

    assert (report.created, report.updated) == (2, 0)
    target = Target.objects.get(indicator__code="PUBLIC_SERVICES_L4")
    assert items_state() == [
        ("Cấp giấy phép xây dựng", 1, False, None, ""),
        ("Đăng ký kinh doanh", 2, False, None, ""),
        ("Cấp phiếu lý lịch tư pháp", 3, False, None, ""),
    ]
    # The target's creation and each item's, all on the target.
    assert Change.objects.filter(target=target).count() == 4
    assert Change.objects.filter(target=target, new__item="Đăng ký kinh doanh").get().old is None

    again = targets_import(source=source)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)


def test_it_sets_the_items_to_those_named_keeping_their_state(checklist):
    TargetItem.objects.filter(name="Đăng ký kinh doanh").update(
        done=True, done_on=datetime.date(2017, 5, 2)
    )
    source = csv_file(
        TARGETS_HEADER,
        "91,2017,PUBLIC_SERVICES_L4,province,>=,2,count,,Đăng ký kinh doanh|Cấp giấy phép xây "
        "dựng|Cấp mã số thuế",
    )
    report = targets_import(source=source)

    assert (report.created, report.updated) == (0, 1)
    assert items_state() == [
        ("Đăng ký kinh doanh", 1, True, datetime.date(2017, 5, 2), ""),
        ("Cấp giấy phép xây dựng", 2, False, None, ""),
        ("Cấp mã số thuế", 3, False, None, ""),
    ]
    removed = Change.objects.get(target=checklist, old__item="Cấp phiếu lý lịch tư pháp")
    assert removed.new is None
    # The target's own fields did not change: no entry of the target's own.
    assert not Change.objects.filter(target=checklist, new__indicator__isnull=False).exists()


def test_it_leaves_the_items_of_a_row_without_items(checklist):
    source = csv_file(TARGETS_HEADER, "91,2017,PUBLIC_SERVICES_L4,province,>=,3,count,,")
    targets_import(source=source)
    assert len(items_state()) == 3
    checklist.refresh_from_db()
    assert checklist.value == 3


def test_it_reads_a_targets_file_without_the_items_column(plan_a):
    source = csv_file(
        "province_code,year,indicator_code,tiers,comparator,value,unit,note",
        "91,2017,ONE_STOP_SHOP,department,>=,50,percent,",
    )
    assert targets_import(source=source).created == 1


def test_it_refuses_bad_checklist_rows_by_line_and_writes_nothing(checklist):
    before = items_state()
    source = csv_file(
        TARGETS_HEADER,
        "91,2017,ONE_STOP_SHOP,department,>=,50,percent,,",
        "91,2017,PUBLIC_SERVICES_L3,province,>=,50,percent,,A|B",
        "91,2017,PUBLIC_SERVICES_FULL,province,>=,3,count,,A|B",
        "91,2017,PUBLIC_SERVICES_PARTIAL,province,>=,1,count,,A||B",
        "91,2017,PUBLIC_SERVICES_L4,province,>=,4,count,,",
    )
    with pytest.raises(ImportRefused) as excinfo:
        targets_import(source=source)

    errors = [(error.line, error.message) for error in excinfo.value.report.errors]
    assert [line for line, _message in errors] == [3, 4, 5, 6]
    assert "phải có đơn vị count" in errors[0][1]
    assert "cần 3 hạng mục hoàn thành nhưng cột items chỉ có 2" in errors[1][1]
    assert "để trống" in errors[2][1]
    assert "có 3 hạng mục" in errors[3][1]
    assert items_state() == before
    assert Target.objects.count() == 1


# items.csv --------------------------------------------------------------------------------------


def test_it_imports_which_items_are_done(checklist, officer_a):
    source = csv_file(
        ITEMS_HEADER,
        "91,2017,PUBLIC_SERVICES_L4,province,Cấp giấy phép xây dựng,có,2017-06-30,Đã kết nối",
        "91,2017,PUBLIC_SERVICES_L4,province,Đăng ký kinh doanh,yes,,",
        "91,2017,PUBLIC_SERVICES_L4,province,Cấp phiếu lý lịch tư pháp,0,,",
    )
    report = items_import(source=source, user=officer_a, channel="upload")

    assert (report.kind, report.rows, report.updated, report.unchanged) == ("items", 3, 2, 1)
    assert items_state() == [
        ("Cấp giấy phép xây dựng", 1, True, datetime.date(2017, 6, 30), "Đã kết nối"),
        ("Đăng ký kinh doanh", 2, True, None, ""),
        ("Cấp phiếu lý lịch tư pháp", 3, False, None, ""),
    ]
    change = Change.objects.get(target=checklist, new__item="Cấp giấy phép xây dựng")
    assert (change.plan, change.changed_by, change.channel) == (checklist.plan, officer_a, "upload")
    assert change.old["done"] is False and change.new["done_on"] == "2017-06-30"

    again = items_import(source=source)
    assert (again.updated, again.unchanged) == (0, 3)


def test_it_refuses_bad_item_rows_by_line_and_writes_nothing(checklist, plan_b, province_a):
    source = csv_file(
        ITEMS_HEADER,
        "91,2017,PUBLIC_SERVICES_L4,province,Cấp giấy phép xây dựng,có,2017-06-30,",
        "91,2017,PUBLIC_SERVICES_L4,province,Đăng ký kinh doanh,maybe,,",
        "91,2017,PUBLIC_SERVICES_L4,province,Đăng ký kinh doanh,1,30/06/2017,",
        "91,2017,PUBLIC_SERVICES_L4,province,Đăng ký kinh doanh,0,2017-06-30,",
        "91,2017,PUBLIC_SERVICES_L4,province,Cấp mã số thuế,1,,",
        "91,2017,PUBLIC_SERVICES_L4,province,Cấp giấy phép xây dựng,1,,",
        "99,2017,PUBLIC_SERVICES_L4,province,Cấp giấy phép xây dựng,1,,",
        "91,2017,PUBLIC_SERVICES_L4,nowhere,Cấp giấy phép xây dựng,1,,",
        "91,2017,PUBLIC_SERVICES_L4,province,Cấp phiếu lý lịch tư pháp,1,2017-02-30,",
    )
    with pytest.raises(ImportRefused) as excinfo:
        items_import(source=source)

    errors = dict((error.line, error.message) for error in excinfo.value.report.errors)
    assert sorted(errors) == [3, 4, 5, 6, 7, 8, 9, 10]
    assert "không phải câu trả lời có/không" in errors[3]
    assert "không phải ngày" in errors[4]
    assert "không ghi ngày hoàn thành" in errors[5]
    assert "không có hạng mục “Cấp mã số thuế”" in errors[6]
    assert "đã có ở dòng 2" in errors[7]
    assert "Tỉnh mã 99" in errors[8]
    assert "không phải ngày" in errors[10]
    assert not any(done for _n, _p, done, _d, _note in items_state())
    assert not Change.objects.exists()


def test_it_refuses_the_items_of_a_closed_plan(checklist):
    Plan.objects.filter(pk=checklist.plan_id).update(status=Plan.Status.CLOSED)
    source = csv_file(ITEMS_HEADER, "91,2017,PUBLIC_SERVICES_L4,province,Đăng ký kinh doanh,1,,")
    with pytest.raises(ImportRefused) as excinfo:
        items_import(source=source)
    assert [error.line for error in excinfo.value.report.errors] == [2]
    assert "đã tổng kết" in excinfo.value.report.errors[0].message


def test_it_refuses_provinces_outside_the_callers(checklist, province_b):
    source = csv_file(ITEMS_HEADER, "91,2017,PUBLIC_SERVICES_L4,province,Đăng ký kinh doanh,1,,")
    with pytest.raises(ImportRefused):
        items_import(source=source, provinces=[province_b.pk])


def test_the_command_imports_items_and_reports_lines(checklist, tmp_path, capsys):
    good = tmp_path / "items.csv"
    good.write_bytes(
        csv_file(ITEMS_HEADER, "91,2017,PUBLIC_SERVICES_L4,province,Đăng ký kinh doanh,1,,")
    )
    call_command("import_items", str(good))
    assert "sửa 1" in capsys.readouterr().out

    bad = tmp_path / "bad.csv"
    bad.write_bytes(
        csv_file(ITEMS_HEADER, "91,2017,PUBLIC_SERVICES_L4,province,Đăng ký kinh doanh,x,,")
    )
    with pytest.raises(CommandError, match="1 lỗi"):
        call_command("import_items", str(bad))
    assert "dòng 2:" in capsys.readouterr().err


# The service ------------------------------------------------------------------------------------


def ticks_for(target, **done_on):
    """Return a tick per item of ``target``: done (with the date given) for the names given."""
    return [
        ItemTick(item_id=item.pk, done=item.name in done_on, done_on=done_on.get(item.name),
                 note="", seen=item_version(item))
        for item in target.items.select_related("agency")
    ]


def test_it_ticks_items_with_history(checklist, officer_a):
    day = datetime.date(2017, 7, 1)
    changed = target_items_update(
        target=checklist, ticks=ticks_for(checklist, **{"Đăng ký kinh doanh": day}),
        user=officer_a, channel="grid",
    )
    assert [item.name for item in changed] == ["Đăng ký kinh doanh"]
    assert TargetItem.objects.get(done=True).done_on == day
    change = Change.objects.get(target=checklist)
    assert (change.changed_by, change.channel, change.plan_id) == (officer_a, "grid",
                                                                    checklist.plan_id)


def test_it_refuses_an_item_changed_since_it_was_seen(checklist, officer_a):
    ticks = ticks_for(checklist, **{"Đăng ký kinh doanh": None})
    TargetItem.objects.filter(name="Đăng ký kinh doanh").update(note="sửa ở nơi khác")
    with pytest.raises(ItemsRefused, match="vừa được người khác sửa"):
        target_items_update(target=checklist, ticks=ticks, user=officer_a, channel="grid")
    assert not TargetItem.objects.filter(done=True).exists()


def test_it_refuses_ticks_of_a_closed_plan_and_of_other_targets(checklist, officer_a, plan_b,
                                                                indicator):
    other = make_target(plan_b, indicator("PUBLIC_SERVICES_L4"), "province", "1", unit="count")
    stranger = TargetItem.objects.create(target=other, name="X")
    with pytest.raises(ItemsRefused, match="không thuộc chỉ tiêu này"):
        target_items_update(
            target=checklist, ticks=[ItemTick(item_id=stranger.pk, done=True, done_on=None,
                                              note="")],
            user=officer_a, channel="grid",
        )
    # Closed after the page read its plan: the service reads the plan again, under a lock.
    Plan.objects.filter(pk=checklist.plan_id).update(status=Plan.Status.CLOSED)
    assert not checklist.plan.is_closed
    with pytest.raises(ItemsRefused, match="tổng kết"):
        target_items_update(target=checklist, ticks=ticks_for(checklist), user=officer_a,
                            channel="grid")
    assert not Change.objects.exists()


def test_it_saves_the_admins_items_with_history(checklist, admin_user):
    item = checklist.items.get(name="Đăng ký kinh doanh")
    item.done = True
    gone = checklist.items.get(name="Cấp phiếu lý lịch tư pháp")
    added = TargetItem(name="Cấp mã số thuế", position=4)
    target_items_save(target=checklist, saved=[item, added], deleted=[gone], user=admin_user)
    assert [name for name, *_rest in items_state()] == [
        "Cấp giấy phép xây dựng", "Đăng ký kinh doanh", "Cấp mã số thuế",
    ]
    entries = {(c.old or {}).get("item") or c.new["item"]: c for c in Change.objects.all()}
    assert set(entries) == {"Đăng ký kinh doanh", "Cấp phiếu lý lịch tư pháp", "Cấp mã số thuế"}
    assert entries["Cấp phiếu lý lịch tư pháp"].new is None
    assert entries["Cấp mã số thuế"].old is None


# The pages --------------------------------------------------------------------------------------


def checklist_url(target):
    return reverse("plans:entry_checklist", args=["91", 2017, target.pk])


def test_the_target_page_lists_the_items(client, leader_a, checklist, django_assert_num_queries):
    TargetItem.objects.filter(name="Đăng ký kinh doanh").update(
        done=True, done_on=datetime.date(2017, 6, 30), note="Liên thông với quốc gia"
    )
    login(client, leader_a)
    url = reverse("plans:dashboard_target", args=["91", 2017, checklist.pk])
    # session, user, profile, province, plan, target, the same target over the years (items
    # counted with it), agency counts, result sums, the agencies in scope and their results (the
    # target page reads them for every target, then shows a checklist's items instead), the
    # items, when the figures last changed
    with django_assert_num_queries(13):
        response = client.get(url)
    html = response.content.decode()
    assert "Đăng ký kinh doanh" in html and "30/06/2017" in html
    assert "Liên thông với quốc gia" in html
    assert "1/3 hạng mục đã hoàn thành" in html
    assert "1 trên 3 hạng mục đã hoàn thành" in html
    for position in range(4, 30):
        TargetItem.objects.create(target=checklist, name=f"Dịch vụ {position}", position=position)
    with django_assert_num_queries(13):
        response = client.get(url)
    assert "Dịch vụ 29" in response.content.decode()


def test_the_year_page_links_each_checklist(client, officer_a, checklist):
    login(client, officer_a)
    response = client.get(reverse("plans:entry_year", args=["91", 2017]))
    assert checklist_url(checklist) in response.content.decode()


def test_an_officer_ticks_items_on_the_checklist_page(client, officer_a, checklist,
                                                     django_assert_num_queries):
    login(client, officer_a)
    # session, user, profile, province, plan, target, items, the year's evidence files
    with django_assert_num_queries(8):
        response = client.get(checklist_url(checklist))
    assert response.status_code == 200
    for position in range(4, 30):
        TargetItem.objects.create(target=checklist, name=f"Dịch vụ {position}", position=position)
    with django_assert_num_queries(8):
        response = client.get(checklist_url(checklist))
    rows = response.context["rows"]
    item = next(item for item, _version in rows if item.name == "Đăng ký kinh doanh")
    data = {f"seen-{row.pk}": version for row, version in rows}
    data |= {f"done-{item.pk}": "on", f"done_on-{item.pk}": "2017-06-30",
             f"note-{item.pk}": "xong"}
    response = client.post(checklist_url(checklist), data)
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.done, item.done_on, item.note) == (True, datetime.date(2017, 6, 30), "xong")
    assert Change.objects.get(target=checklist).changed_by == officer_a


def test_the_checklist_page_says_what_is_wrong_and_writes_nothing(client, officer_a, checklist):
    login(client, officer_a)
    item = checklist.items.get(name="Đăng ký kinh doanh")
    response = client.post(checklist_url(checklist), {f"done_on-{item.pk}": "2017-06-30"})
    assert response.status_code == 400
    assert "không ghi ngày hoàn thành" in response.content.decode()
    response = client.post(checklist_url(checklist), {f"done-{item.pk}": "on",
                                                      f"done_on-{item.pk}": "30/06"})
    assert response.status_code == 400
    assert "không đọc được" in response.content.decode()
    assert not TargetItem.objects.filter(done=True).exists()


def test_the_checklist_page_of_a_closed_plan_is_read_only(client, officer_a, checklist):
    Plan.objects.filter(pk=checklist.plan_id).update(status=Plan.Status.CLOSED)
    login(client, officer_a)
    item = checklist.items.first()
    response = client.post(checklist_url(checklist), {f"done-{item.pk}": "on"})
    assert response.status_code == 409
    assert not TargetItem.objects.filter(done=True).exists()
    assert "Lưu các hạng mục" not in client.get(checklist_url(checklist)).content.decode()


def test_the_checklist_page_answers_strangers_and_leaders(client, officer_b, leader_a, checklist,
                                                          plan_a, indicator, admin_user):
    login(client, officer_b)
    assert client.get(checklist_url(checklist)).status_code == 404
    login(client, leader_a)
    assert client.get(checklist_url(checklist)).status_code == 403
    client.logout()
    assert client.get(checklist_url(checklist)).status_code == 302
    plain = make_target(plan_a, indicator("ONE_STOP_SHOP"), "department", "50")
    login(client, admin_user)
    assert client.get(checklist_url(plain)).status_code == 404


def test_the_admin_keeps_a_targets_items(client, admin_user, checklist):
    login(client, admin_user)
    url = reverse("admin:plans_target_change", args=[checklist.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert "Đăng ký kinh doanh" in response.content.decode()
    plan_page = client.get(reverse("admin:plans_plan_change", args=[checklist.plan_id]))
    assert url in plan_page.content.decode()


# The backup round trip --------------------------------------------------------------------------


def test_the_backup_brings_the_checklists_back(checklist, tmp_path):
    TargetItem.objects.filter(name="Đăng ký kinh doanh").update(
        done=True, done_on=datetime.date(2017, 6, 30), note="Liên thông, quốc gia"
    )
    before = items_state()
    call_command("export_data", str(tmp_path), "--province", "91", stdout=io.StringIO())
    targets = (tmp_path / "targets.csv").read_text(encoding="utf-8").splitlines()
    assert targets[1].endswith(f",{SERVICES}")
    assert (tmp_path / "items.csv").read_text(encoding="utf-8").splitlines()[2] == (
        "91,2017,PUBLIC_SERVICES_L4,province,Đăng ký kinh doanh,yes,2017-06-30,"
        '"Liên thông, quốc gia"'
    )
    Target.objects.all().delete()
    call_command("import_targets", str(tmp_path / "targets.csv"), stdout=io.StringIO())
    call_command("import_items", str(tmp_path / "items.csv"), stdout=io.StringIO())
    assert items_state() == before


# The plan's dashboard, its printed report and progress.csv ---------------------------------------


def test_the_plan_pages_and_export_give_the_items_done(client, leader_a, checklist, capsys):
    TargetItem.objects.filter(name__in=SERVICES.split("|")[:2]).update(done=True)
    login(client, leader_a)
    for name in ("plans:dashboard_plan", "plans:dashboard_report"):
        html = client.get(reverse(name, args=["91", 2017])).content.decode()
        assert "2/3 hạng mục đã hoàn thành" in html, name
        assert "3/3" not in html, name
    call_command("export_progress", "--province", "91", "--year", "2017")
    assert capsys.readouterr().out.splitlines()[1] == (
        "91,2017,PUBLIC_SERVICES_L4,province,>=,2,count,2,2,,3,3,met"
    )


# Evidence ---------------------------------------------------------------------------------------


@pytest.fixture
def files(settings, tmp_path, agencies_a, agencies_b, plan_b, officer_a):
    """Evidence files of 2017: two agencies of province A, one of province B."""
    from plans.services.evidence import evidence_add
    from tests import evidence_files

    settings.MEDIA_ROOT = tmp_path / "media"

    def add(agency, name):
        return evidence_add(agency=agency, year=2017, indicator=None,
                            file=io.BytesIO(evidence_files.PDF), original_name=name,
                            description="", user=officer_a)

    return {
        "snv": add(agencies_a["91-SNV"], "snv.pdf"),
        "stttt": add(agencies_a["91-STTTT"], "stttt.pdf"),
        "other": add(agencies_b["33-SNV"], "hung-yen.pdf"),
    }


def test_an_item_points_to_an_evidence_file_of_its_agency(client, officer_a, leader_a, checklist,
                                                          agencies_a, files):
    item = checklist.items.get(name="Đăng ký kinh doanh")
    item.agency = agencies_a["91-SNV"]
    item.save()

    def tick(evidence):
        item.refresh_from_db()
        return [ItemTick(item_id=item.pk, done=True, done_on=None, note="",
                         seen=item_version(item), evidence_id=evidence.pk)]

    for stranger in (files["stttt"], files["other"]):
        with pytest.raises(ItemsRefused, match="tài liệu minh chứng phải là tệp năm 2017"):
            target_items_update(target=checklist, ticks=tick(stranger), user=officer_a,
                                channel="grid")
    target_items_update(target=checklist, ticks=tick(files["snv"]), user=officer_a,
                        channel="grid")
    item.refresh_from_db()
    assert item.evidence == files["snv"]
    assert Change.objects.get(target=checklist).new["evidence"] == files["snv"].pk

    login(client, officer_a)
    html = client.get(checklist_url(checklist)).content.decode()
    # The item of an agency offers that agency's files only.
    assert "snv.pdf" in html and "stttt.pdf" in html and "hung-yen.pdf" not in html
    login(client, leader_a)
    html = client.get(reverse("plans:dashboard_target", args=["91", 2017, checklist.pk])
                      ).content.decode()
    link = reverse("plans:entry_evidence", args=["91", 2017, "91-SNV", files["snv"].pk])
    assert link in html
    assert client.get(link).status_code == 200


def test_the_checklist_form_refuses_an_unreadable_evidence_choice(client, officer_a, checklist):
    login(client, officer_a)
    item = checklist.items.first()
    response = client.post(checklist_url(checklist), {f"evidence-{item.pk}": "x"})
    assert response.status_code == 400
    assert "tài liệu minh chứng phải là tệp" in response.content.decode()


def test_the_model_refuses_an_agency_or_evidence_of_another_province(checklist, agencies_b,
                                                                     files):
    item = checklist.items.first()
    item.agency = agencies_b["33-SNV"]
    with pytest.raises(ValidationError) as excinfo:
        item.full_clean()
    assert set(excinfo.value.message_dict) == {"agency"}
    item.agency = None
    item.evidence = files["other"]
    with pytest.raises(ValidationError) as excinfo:
        item.full_clean()
    assert set(excinfo.value.message_dict) == {"evidence"}
    item.evidence = files["snv"]
    item.full_clean()


def test_the_admin_history_names_the_item_that_changed(checklist, officer_a):
    from django.contrib import admin as django_admin

    from plans.admin import ChangeAdmin

    item = checklist.items.get(name="Đăng ký kinh doanh")
    target_items_update(
        target=checklist,
        ticks=[ItemTick(item_id=item.pk, done=True, done_on=datetime.date(2017, 6, 30),
                        note="", seen=item_version(item))],
        user=officer_a, channel="grid",
    )
    change = Change.objects.get(target=checklist)
    text = str(ChangeAdmin(Change, django_admin.site).difference(change))
    assert text.startswith("hạng mục: Đăng ký kinh doanh<br>")
    assert "đã hoàn thành: không → có" in text
    assert "ngày hoàn thành: (trống) → 2017-06-30" in text


def test_the_admin_shows_a_closed_plans_items_read_only(client, admin_user, checklist):
    login(client, admin_user)
    url = reverse("admin:plans_target_change", args=[checklist.pk])
    assert 'name="items-0-name"' in client.get(url).content.decode()
    Plan.objects.filter(pk=checklist.plan_id).update(status=Plan.Status.CLOSED)
    html = client.get(url).content.decode()
    assert 'name="items-0-name"' not in html
    assert "Đăng ký kinh doanh" in html


def test_the_admin_saves_items_through_the_service(client, admin_user, checklist):
    login(client, admin_user)
    url = reverse("admin:plans_target_change", args=[checklist.pk])
    items = list(checklist.items.order_by("position"))
    data = {"items-TOTAL_FORMS": "4", "items-INITIAL_FORMS": "3", "items-MIN_NUM_FORMS": "0",
            "items-MAX_NUM_FORMS": "1000", "_save": "1"}
    for index, item in enumerate(items):
        data |= {f"items-{index}-id": str(item.pk), f"items-{index}-target": str(checklist.pk),
                 f"items-{index}-name": item.name, f"items-{index}-position": str(item.position),
                 f"items-{index}-note": ""}
    data |= {"items-1-done": "on", "items-1-done_on": "30/06/2017",
             "items-3-target": str(checklist.pk), "items-3-name": "Cấp mã số thuế",
             "items-3-position": "4", "items-3-note": ""}
    response = client.post(url, data)
    assert response.status_code == 302, response.context and response.context["errors"]
    assert items_state()[1] == ("Đăng ký kinh doanh", 2, True, datetime.date(2017, 6, 30), "")
    assert items_state()[3][0] == "Cấp mã số thuế"
    assert {(c.channel, (c.new or {}).get("item")) for c in Change.objects.all()} == {
        ("admin", "Đăng ký kinh doanh"), ("admin", "Cấp mã số thuế"),
    }


@given(
    comparator=st.sampled_from([">=", ">", "<=", "<"]),
    total=st.integers(min_value=1, max_value=50),
    data=st.data(),
)
def test_a_checklist_is_met_exactly_when_its_count_of_items_done_is(comparator, total, data):
    done = data.draw(st.integers(min_value=0, max_value=total))
    value = data.draw(st.integers(min_value=0, max_value=total))
    result = progress.checklist(comparator=comparator, target=Decimal(value), done=done,
                                total=total)
    holds = {">=": done >= value, ">": done > value, "<=": done <= value, "<": done < value}
    assert result.is_met == holds[comparator]
    assert result.achieved_rounded == done
