"""results_record_grid / result_record: all or nothing, versions, history."""

import datetime

import pytest
from django.utils import timezone, translation

from plans.models import Change, Plan, Profile, Result
from plans.services.results import (
    ResultEntry,
    ResultsRefused,
    result_record,
    results_record_grid,
)
from tests.conftest import make_user


def entry(agency, indicator, **figures):
    return ResultEntry(agency=agency, indicator=indicator, **figures)


def test_it_creates_results_and_records_each_change(plan_a, agencies_a, indicator, officer_a):
    snv, sttt = agencies_a["91-SNV"], agencies_a["91-STTTT"]
    written = results_record_grid(
        plan=plan_a,
        entries=[
            entry(snv, indicator("LAN"), value=1),
            entry(sttt, indicator("OFFICIAL_EMAIL"), numerator=412, denominator=430, note="x"),
        ],
        user=officer_a,
        channel=Change.Channel.GRID,
    )
    assert len(written) == 2
    email = Result.objects.get(agency=sttt, indicator=indicator("OFFICIAL_EMAIL"), year=2017)
    assert (email.numerator, email.denominator, email.note, email.version) == (412, 430, "x", 1)
    assert email.updated_by == officer_a
    change = Change.objects.get(result=email)
    assert change.old is None
    assert change.new == {"value": None, "numerator": 412, "denominator": 430, "note": "x"}
    assert change.channel == "grid"
    assert change.changed_by == officer_a
    assert change.plan == plan_a


def test_it_updates_with_the_version_seen_and_bumps_it(plan_a, agencies_a, indicator, officer_a):
    snv = agencies_a["91-SNV"]
    result = Result.objects.create(year=2017, agency=snv, indicator=indicator("LAN"), value=0)
    result_record(
        agency=snv, indicator=indicator("LAN"), year=2017, value=1, numerator=None,
        denominator=None, note=None, user=officer_a, channel="agency", expected_version=1,
    )
    result.refresh_from_db()
    assert (result.value, result.version) == (1, 2)
    change = Change.objects.get(result=result)
    assert change.old["value"] == 0
    assert change.new["value"] == 1
    assert change.channel == "agency"


def test_it_refuses_a_stale_version_with_their_value_and_yours(
    plan_a, agencies_a, indicator, officer_a, admin_user
):
    snv = agencies_a["91-SNV"]
    Result.objects.create(
        year=2017, agency=snv, indicator=indicator("OFFICIAL_EMAIL"), numerator=40,
        denominator=50, version=2, updated_by=admin_user,
    )
    with pytest.raises(ResultsRefused) as refused:
        results_record_grid(
            plan=plan_a,
            entries=[entry(snv, indicator("OFFICIAL_EMAIL"), numerator=30, denominator=50,
                           expected_version=1)],
            user=officer_a, channel="grid",
        )
    (message,) = refused.value.problems[(snv.pk, indicator("OFFICIAL_EMAIL").pk)]
    assert "admin" in message
    assert "40/50" in message
    assert "30/50" in message
    assert Result.objects.get(agency=snv).numerator == 40
    assert not Change.objects.exists()


def test_it_refuses_creating_a_result_someone_else_created(
    plan_a, agencies_a, indicator, officer_a
):
    snv = agencies_a["91-SNV"]
    Result.objects.create(year=2017, agency=snv, indicator=indicator("LAN"), value=0)
    with pytest.raises(ResultsRefused) as refused:
        results_record_grid(
            plan=plan_a, entries=[entry(snv, indicator("LAN"), value=1, expected_version=0)],
            user=officer_a, channel="grid",
        )
    assert "Không" in refused.value.problems[(snv.pk, indicator("LAN").pk)][0]


def test_it_accepts_a_stale_version_when_the_figures_already_agree(
    plan_a, agencies_a, indicator, officer_a
):
    snv = agencies_a["91-SNV"]
    Result.objects.create(year=2017, agency=snv, indicator=indicator("LAN"), value=1, version=3)
    written = results_record_grid(
        plan=plan_a, entries=[entry(snv, indicator("LAN"), value=1, expected_version=1)],
        user=officer_a, channel="grid",
    )
    assert written == []
    assert not Change.objects.exists()


def test_it_saves_nothing_when_one_entry_is_wrong(plan_a, agencies_a, indicator, officer_a):
    snv, sttt = agencies_a["91-SNV"], agencies_a["91-STTTT"]
    with pytest.raises(ResultsRefused) as refused:
        results_record_grid(
            plan=plan_a,
            entries=[
                entry(snv, indicator("LAN"), value=1),
                entry(sttt, indicator("OFFICIAL_EMAIL"), numerator=31, denominator=30),
                entry(sttt, indicator("LAN"), value=2),
            ],
            user=officer_a, channel="grid",
        )
    problems = refused.value.problems
    assert "Tử số (31) không được lớn hơn mẫu số (30)." in problems[
        (sttt.pk, indicator("OFFICIAL_EMAIL").pk)
    ]
    assert (sttt.pk, indicator("LAN").pk) in problems
    assert (snv.pk, indicator("LAN").pk) not in problems
    assert not Result.objects.exists()
    assert not Change.objects.exists()


def test_it_refuses_an_agency_inactive_in_the_year(agencies_a, indicator, officer_a, province_a):
    plan_2021 = Plan.objects.create(province=province_a, year=2021, status="open")
    gone = agencies_a["91-H900"]  # active until 2020
    with pytest.raises(ResultsRefused) as refused:
        results_record_grid(
            plan=plan_2021, entries=[entry(gone, indicator("LAN"), value=1)],
            user=officer_a, channel="grid",
        )
    (message,) = refused.value.problems[(gone.pk, indicator("LAN").pk)]
    assert "không hoạt động trong năm 2021" in message


def test_it_refuses_an_agency_of_another_province(plan_a, agencies_b, indicator, officer_a):
    outsider = agencies_b["33-SNV"]
    with pytest.raises(ResultsRefused) as refused:
        results_record_grid(
            plan=plan_a, entries=[entry(outsider, indicator("LAN"), value=1)],
            user=officer_a, channel="grid",
        )
    assert "không thuộc tỉnh" in refused.value.problems[(outsider.pk, indicator("LAN").pk)][0]
    assert not Result.objects.exists()


def test_it_refuses_any_write_to_a_closed_plan_saying_who_closed_it(
    plan_a, agencies_a, indicator, officer_a, admin_user
):
    Plan.objects.filter(pk=plan_a.pk).update(
        status="closed", closed_by=admin_user, closed_at=timezone.now()
    )
    with pytest.raises(ResultsRefused) as refused:
        results_record_grid(
            plan=plan_a, entries=[entry(agencies_a["91-SNV"], indicator("LAN"), value=1)],
            user=officer_a, channel="grid",
        )
    assert "đã được admin tổng kết" in refused.value.message
    assert not Result.objects.exists()


def test_it_keeps_the_stored_note_when_the_entry_has_none(plan_a, agencies_a, indicator, officer_a):
    snv = agencies_a["91-SNV"]
    Result.objects.create(year=2017, agency=snv, indicator=indicator("LAN"), value=0, note="cũ")
    results_record_grid(
        plan=plan_a, entries=[entry(snv, indicator("LAN"), value=1, note=None, expected_version=1)],
        user=officer_a, channel="grid",
    )
    assert Result.objects.get(agency=snv).note == "cũ"


def test_it_refuses_an_unknown_channel(plan_a, officer_a):
    with pytest.raises(ValueError):
        results_record_grid(plan=plan_a, entries=[], user=officer_a, channel="upload")


def test_result_record_refuses_a_year_without_plan(agencies_a, indicator, officer_a):
    with pytest.raises(ResultsRefused) as refused:
        result_record(
            agency=agencies_a["91-SNV"], indicator=indicator("LAN"), year=2019, value=1,
            numerator=None, denominator=None, note="", user=officer_a, channel="agency",
            expected_version=0,
        )
    assert "chưa có kế hoạch năm 2019" in refused.value.message


def test_it_refuses_a_save_that_races_another_between_read_and_write(
    plan_a, agencies_a, indicator, officer_a, admin_user, monkeypatch
):
    """The version check is in the UPDATE itself, not only in the read before it."""
    from plans.services import results as service

    snv, email = agencies_a["91-SNV"], indicator("OFFICIAL_EMAIL")
    stored = Result.objects.create(year=2017, agency=snv, indicator=email, numerator=1,
                                   denominator=2)
    checks = service._entry_problems

    def check_then_someone_saves(*args):
        Result.objects.filter(pk=stored.pk).update(numerator=2, version=2, updated_by=admin_user)
        return checks(*args)

    monkeypatch.setattr(service, "_entry_problems", check_then_someone_saves)
    with pytest.raises(ResultsRefused) as refused:
        results_record_grid(
            plan=plan_a,
            entries=[
                entry(snv, indicator("LAN"), value=1),
                entry(snv, email, numerator=0, denominator=2, expected_version=1),
            ],
            user=officer_a, channel="grid",
        )
    assert "Giá trị của họ: 2/2; giá trị của bạn: 0/2." in refused.value.problems[
        (snv.pk, email.pk)
    ][0]
    assert refused.value.current[(snv.pk, email.pk)].version == 2
    assert not Result.objects.filter(indicator=indicator("LAN")).exists()
    assert not Change.objects.exists()


def test_it_refuses_creating_a_result_created_meanwhile(
    plan_a, agencies_a, indicator, officer_a, monkeypatch
):
    from plans.services import results as service

    snv = agencies_a["91-SNV"]
    # Called after the stored results were read, before any is written.
    checks = service.frozen_agencies_locked

    def check_then_someone_creates(**kwargs):
        Result.objects.get_or_create(year=2017, agency=snv, indicator=indicator("LAN"),
                                     defaults={"value": 0})
        return checks(**kwargs)

    monkeypatch.setattr(service, "frozen_agencies_locked", check_then_someone_creates)
    with pytest.raises(ResultsRefused) as refused:
        results_record_grid(
            plan=plan_a, entries=[entry(snv, indicator("LAN"), value=1)],
            user=officer_a, channel="grid",
        )
    assert "người khác đã lưu kết quả" in refused.value.message
    assert not Change.objects.exists()


# Times and names in the refusals -------------------------------------------------------------


def _stale_email(agency, indicator, *, by, at):
    """Store a result saved by ``by`` at ``at`` (version 2), as if after the page was opened."""
    result = Result.objects.create(
        year=2017, agency=agency, indicator=indicator("OFFICIAL_EMAIL"), numerator=40,
        denominator=50, version=2, updated_by=by,
    )
    Result.objects.filter(pk=result.pk).update(updated_at=at)
    return result


def _refusal(plan, agency, indicator, user):
    with pytest.raises(ResultsRefused) as refused:
        results_record_grid(
            plan=plan,
            entries=[entry(agency, indicator("OFFICIAL_EMAIL"), numerator=30, denominator=50,
                           expected_version=1)],
            user=user, channel="grid",
        )
    (message,) = refused.value.problems[(agency.pk, indicator("OFFICIAL_EMAIL").pk)]
    return message


def test_it_moves_updated_at_on_every_update(plan_a, agencies_a, indicator, officer_a):
    snv = agencies_a["91-SNV"]
    long_ago = timezone.now() - datetime.timedelta(days=30)
    result = Result.objects.create(year=2017, agency=snv, indicator=indicator("LAN"), value=0)
    Result.objects.filter(pk=result.pk).update(updated_at=long_ago)
    before = timezone.now()
    result_record(
        agency=snv, indicator=indicator("LAN"), year=2017, value=1, numerator=None,
        denominator=None, note=None, user=officer_a, channel="agency", expected_version=1,
    )
    result.refresh_from_db()
    assert result.updated_at >= before


def test_it_says_when_they_saved_in_vietnam_time(plan_a, agencies_a, indicator, officer_a):
    other = make_user("nguyen.lan", Profile.Role.OFFICER, [plan_a.province],
                      first_name="Lan", last_name="Nguyễn Thị")
    at = datetime.datetime(2024, 11, 29, 23, 30, tzinfo=datetime.UTC)
    _stale_email(agencies_a["91-SNV"], indicator, by=other, at=at)
    with translation.override("vi"):
        message = _refusal(plan_a, agencies_a["91-SNV"], indicator, officer_a)
    assert "lúc 06:30 30/11/2024" in message
    assert "23:30" not in message
    assert message.startswith(other.get_full_name())


def test_it_names_the_other_officer_by_username_without_a_full_name(
    plan_a, agencies_a, indicator, officer_a, officer_b
):
    _stale_email(agencies_a["91-SNV"], indicator, by=officer_b, at=timezone.now())
    with translation.override("vi"):
        message = _refusal(plan_a, agencies_a["91-SNV"], indicator, officer_a)
    assert message.startswith("officer_b đã lưu ô này")


def test_it_says_bạn_when_the_reader_saved_it_himself(plan_a, agencies_a, indicator, officer_a):
    _stale_email(agencies_a["91-SNV"], indicator, by=officer_a,
                 at=datetime.datetime(2024, 11, 29, 23, 30, tzinfo=datetime.UTC))
    with translation.override("vi"):
        message = _refusal(plan_a, agencies_a["91-SNV"], indicator, officer_a)
    assert message.startswith("Bạn đã lưu ô này lúc 06:30 30/11/2024")
    assert "officer_a" not in message
    assert "họ" not in message
    with translation.override("en"):
        message = _refusal(plan_a, agencies_a["91-SNV"], indicator, officer_a)
    assert message.startswith("You saved this cell at 2024-11-30 06:30")


def test_it_says_when_the_plan_was_closed_in_vietnam_time(
    plan_a, agencies_a, indicator, officer_a, admin_user
):
    Plan.objects.filter(pk=plan_a.pk).update(
        status=Plan.Status.CLOSED, closed_by=admin_user,
        closed_at=datetime.datetime(2024, 11, 29, 23, 30, tzinfo=datetime.UTC),
    )
    with translation.override("vi"), pytest.raises(ResultsRefused) as refused:
        results_record_grid(
            plan=plan_a, entries=[entry(agencies_a["91-SNV"], indicator("LAN"), value=1)],
            user=officer_a, channel="grid",
        )
    assert "tổng kết lúc 06:30 30/11/2024" in refused.value.message
