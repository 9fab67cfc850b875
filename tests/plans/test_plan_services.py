from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from plans.models import Change, Plan, Result, Target
from plans.services.plans import (
    plan_close,
    plan_copy_to_next_year,
    plan_reopen,
    plan_status_record,
    plans_copy_to_next_year,
    results_delete,
    target_changes_record,
    target_snapshot,
)


@pytest.fixture
def targets_a(plan_a, indicator):
    """K1 and K6 of the Kiên Giang 2017 plan."""
    return [
        Target.objects.create(
            plan=plan_a, indicator=indicator("SPECIALIZED_NETWORK"), tiers="department+district",
            comparator=">", value=Decimal("80"), unit="percent", note="K1", position=1,
        ),
        Target.objects.create(
            plan=plan_a, indicator=indicator("PUBLIC_SERVICES_L4"),
            tiers="province+department+district+commune",
            comparator=">=", value=Decimal("3"), unit="count", note="K6", position=6,
        ),
    ]


def test_it_copies_a_plan_and_its_targets_to_the_next_year_as_a_draft(
    plan_a, targets_a, admin_user, agencies_a, indicator
):
    plan_a.document_number = "123/KH-UBND"
    plan_a.tasks = "Xây dựng cơ sở dữ liệu dùng chung"
    plan_a.save()
    Result.objects.create(
        year=2017, agency=agencies_a["91-SNV"], indicator=indicator("SPECIALIZED_NETWORK"),
        value=1,
    )

    copy = plan_copy_to_next_year(plan=plan_a, user=admin_user)

    assert (copy.province, copy.year, copy.status) == (plan_a.province, 2018, Plan.Status.DRAFT)
    assert copy.document_number == ""
    assert copy.document_date is None
    assert copy.tasks == "Xây dựng cơ sở dữ liệu dùng chung"
    copied = list(copy.targets.order_by("position").values_list(
        "indicator__code", "tiers", "comparator", "value", "unit", "note", "position"
    ))
    # The notes spoke of last year's plan (issue 19): the copy's targets have none.
    assert copied == [
        ("SPECIALIZED_NETWORK", "department+district", ">", Decimal("80"), "percent", "", 1),
        ("PUBLIC_SERVICES_L4", "province+department+district+commune", ">=", Decimal("3"),
         "count", "", 6),
    ]
    assert plan_a.targets.exclude(note="").count() == 2
    assert not Result.objects.filter(year=2018).exists()
    # The original is untouched.
    assert plan_a.targets.count() == 2


def test_it_records_the_copy_in_the_history(plan_a, targets_a, admin_user):
    copy = plan_copy_to_next_year(plan=plan_a, user=admin_user)

    changes = Change.objects.filter(plan=copy)
    assert changes.count() == 3
    assert set(changes.values_list("channel", flat=True)) == {"admin"}
    assert set(changes.values_list("changed_by", flat=True)) == {admin_user.pk}
    plan_change = changes.get(target__isnull=True)
    assert plan_change.old is None
    assert plan_change.new == {"status": "draft", "copied_from": 2017}
    target_change = changes.get(target__indicator__code="SPECIALIZED_NETWORK")
    assert target_change.new["value"] == "80"
    assert target_change.new["comparator"] == ">"


def test_it_refuses_to_copy_when_the_next_year_has_a_plan(plan_a, targets_a, admin_user):
    Plan.objects.create(province=plan_a.province, year=2018)

    with pytest.raises(ValidationError) as excinfo:
        plan_copy_to_next_year(plan=plan_a, user=admin_user)

    assert excinfo.value.messages == [
        "Không sao chép được: tỉnh Kiên Giang đã có kế hoạch năm 2018."
    ]
    assert Target.objects.filter(plan__year=2018).count() == 0
    assert not Change.objects.exists()


def test_it_refuses_to_copy_beyond_the_last_year(province_a, admin_user):
    plan = Plan.objects.create(province=province_a, year=2100)

    with pytest.raises(ValidationError, match="vượt quá năm 2100"):
        plan_copy_to_next_year(plan=plan, user=admin_user)


def test_it_copies_several_plans_all_or_nothing(plan_a, plan_b, targets_a, admin_user):
    Plan.objects.create(province=plan_b.province, year=2018)

    with pytest.raises(ValidationError) as excinfo:
        plans_copy_to_next_year(plans=[plan_a, plan_b], user=admin_user)

    assert excinfo.value.messages == [
        "Không sao chép được: tỉnh Hưng Yên đã có kế hoạch năm 2018."
    ]
    # Kiên Giang's copy, made first, was undone.
    assert not Plan.objects.filter(province=plan_a.province, year=2018).exists()
    assert not Change.objects.exists()


def test_it_copies_several_plans(plan_a, plan_b, admin_user):
    copies = plans_copy_to_next_year(plans=[plan_a, plan_b], user=admin_user)

    assert sorted((c.province.code, c.year) for c in copies) == [("33", 2018), ("91", 2018)]


def test_it_closes_a_plan_and_records_who_and_when(plan_a, officer_a):
    plan_close(plan=plan_a, user=officer_a)

    plan_a.refresh_from_db()
    assert plan_a.status == Plan.Status.CLOSED
    assert plan_a.closed_by == officer_a
    assert plan_a.closed_at is not None
    change = Change.objects.get(plan=plan_a)
    assert change.changed_by == officer_a
    assert change.channel == "admin"
    assert change.old == {"status": "open", "closed_by": None, "closed_at": None}
    assert change.new["status"] == "closed"
    assert change.new["closed_by"] == "officer_a"


def test_it_records_the_channel_given(plan_a, officer_a):
    plan_close(plan=plan_a, user=officer_a, channel=Change.Channel.GRID)

    assert Change.objects.get(plan=plan_a).channel == "grid"


def test_it_refuses_to_close_a_closed_plan(plan_a, admin_user, officer_a):
    plan_close(plan=plan_a, user=officer_a)

    with pytest.raises(ValidationError, match="đã được tổng kết từ trước, bởi officer_a"):
        plan_close(plan=plan_a, user=admin_user)
    assert Change.objects.count() == 1


@pytest.mark.parametrize("who", ["leader_a", "officer_b"])
def test_it_refuses_closing_to_leaders_and_other_provinces(plan_a, who, request):
    user = request.getfixturevalue(who)

    with pytest.raises(PermissionDenied):
        plan_close(plan=plan_a, user=user)

    plan_a.refresh_from_db()
    assert plan_a.status == Plan.Status.OPEN
    assert not Change.objects.exists()


def test_it_reopens_a_closed_plan_for_an_admin(plan_a, officer_a, admin_user):
    plan_close(plan=plan_a, user=officer_a)

    plan_reopen(plan=plan_a, user=admin_user)

    plan_a.refresh_from_db()
    assert plan_a.status == Plan.Status.OPEN
    assert plan_a.closed_by is None
    assert plan_a.closed_at is None
    change = Change.objects.filter(plan=plan_a).first()
    assert change.changed_by == admin_user
    assert change.old["status"] == "closed"
    assert change.old["closed_by"] == "officer_a"
    assert change.new == {"status": "open", "closed_by": None, "closed_at": None}


@pytest.mark.parametrize("who", ["officer_a", "leader_a"])
def test_it_refuses_reopening_to_anyone_but_an_admin(plan_a, admin_user, who, request):
    plan_close(plan=plan_a, user=admin_user)

    with pytest.raises(PermissionDenied):
        plan_reopen(plan=plan_a, user=request.getfixturevalue(who))

    plan_a.refresh_from_db()
    assert plan_a.status == Plan.Status.CLOSED
    assert Change.objects.count() == 1


def test_it_refuses_to_reopen_a_plan_that_is_not_closed(plan_a, admin_user):
    with pytest.raises(ValidationError, match="chưa tổng kết"):
        plan_reopen(plan=plan_a, user=admin_user)


def test_it_records_a_status_set_directly_and_stamps_closing(plan_a, admin_user):
    plan_a.status = Plan.Status.CLOSED

    plan_status_record(plan=plan_a, old_status="open", user=admin_user)

    plan_a.refresh_from_db()
    assert plan_a.closed_by == admin_user
    assert plan_a.closed_at is not None
    change = Change.objects.get(plan=plan_a)
    assert change.old == {"status": "open"}
    assert change.new["status"] == "closed"


def test_it_records_nothing_when_the_status_is_unchanged(plan_a, admin_user):
    plan_status_record(plan=plan_a, old_status="open", user=admin_user)

    assert not Change.objects.exists()


def test_it_refuses_a_direct_reopen_to_an_officer(plan_a, officer_a):
    plan_close(plan=plan_a, user=officer_a)
    plan_a.status = Plan.Status.OPEN

    with pytest.raises(PermissionDenied):
        plan_status_record(plan=plan_a, old_status="closed", user=officer_a)


def test_it_records_target_changes_but_not_untouched_targets(plan_a, targets_a, admin_user):
    k1, k6 = targets_a
    before_k1, before_k6 = target_snapshot(k1), target_snapshot(k6)
    k1.value = Decimal("85")
    k1.save()

    target_changes_record(
        plan=plan_a,
        changed=[(k1, before_k1), (k6, before_k6)],
        deleted=[{"indicator": "LAN", "tiers": "commune"}],
        user=admin_user,
    )

    changes = Change.objects.filter(plan=plan_a)
    assert changes.count() == 2
    change = changes.get(target=k1)
    assert (change.old["value"], change.new["value"]) == ("80", "85")
    assert changes.get(target__isnull=True).old == {"indicator": "LAN", "tiers": "commune"}


def test_it_deletes_results_and_keeps_their_history_on_the_plan(
    plan_a, agencies_a, indicator, admin_user
):
    result = Result.objects.create(year=2017, agency=agencies_a["91-SNV"],
                                   indicator=indicator("LAN"), value=1)
    earlier = Change.objects.create(result=result, channel="grid", new=result.as_dict())

    assert results_delete(results=[result], user=admin_user) == 1

    assert not Result.objects.exists()
    earlier.refresh_from_db()
    assert earlier.result is None
    assert earlier.plan == plan_a
    last = Change.objects.get(new__isnull=True)
    assert last.old["agency"] == "91-SNV"
    assert last.old["value"] == 1
    assert last.changed_by == admin_user
    assert last.plan == plan_a


def test_it_refuses_to_delete_results_of_a_closed_plan(plan_a, agencies_a, indicator,
                                                       admin_user):
    result = Result.objects.create(year=2017, agency=agencies_a["91-SNV"],
                                   indicator=indicator("LAN"), value=1)
    plan_close(plan=plan_a, user=admin_user)

    with pytest.raises(ValidationError, match="đã tổng kết"):
        results_delete(results=[result], user=admin_user)

    assert Result.objects.exists()


def test_it_refuses_to_delete_results_without_a_plan(agencies_a, indicator, admin_user):
    result = Result.objects.create(year=2019, agency=agencies_a["91-SNV"],
                                   indicator=indicator("LAN"), value=1)

    with pytest.raises(ValidationError, match="chưa có kế hoạch năm 2019"):
        results_delete(results=[result], user=admin_user)

    assert Result.objects.exists()
