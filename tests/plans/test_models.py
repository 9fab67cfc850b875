from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from plans.models import Result, Target


def test_it_refuses_percent_target_above_100_in_the_database(plan_a, indicator):
    with pytest.raises(IntegrityError):
        Target.objects.create(
            plan=plan_a, indicator=indicator("OFFICIAL_EMAIL"), tiers="all",
            value=Decimal("101"), unit="percent",
        )


def test_it_refuses_fractional_count_target_in_the_database(plan_a, indicator):
    with pytest.raises(IntegrityError):
        Target.objects.create(
            plan=plan_a, indicator=indicator("PUBLIC_SERVICES_L4"), tiers="all",
            value=Decimal("2.5"), unit="count",
        )


def test_it_refuses_numerator_above_denominator_in_the_database(agencies_a, indicator):
    with pytest.raises(IntegrityError):
        Result.objects.create(
            year=2017, agency=agencies_a["91-SNV"], indicator=indicator("OFFICIAL_EMAIL"),
            numerator=31, denominator=30,
        )


def test_full_clean_explains_numerator_above_denominator(agencies_a, indicator):
    result = Result(
        year=2017, agency=agencies_a["91-SNV"], indicator=indicator("OFFICIAL_EMAIL"),
        numerator=31, denominator=30,
    )
    with pytest.raises(ValidationError) as excinfo:
        result.full_clean()
    assert "Tử số (31) không được lớn hơn mẫu số (30)." in excinfo.value.message_dict["numerator"]


def test_full_clean_refuses_result_of_inactive_agency(agencies_a, indicator):
    result = Result(year=2017, agency=agencies_a["91-X30736"], indicator=indicator("LAN"), value=1)
    with pytest.raises(ValidationError) as excinfo:
        result.full_clean()
    assert "không hoạt động trong năm 2017" in str(excinfo.value)


def test_target_clean_normalises_tiers(plan_a, indicator):
    target = Target(
        plan=plan_a, indicator=indicator("LAN"), tiers="district+department", value=80,
    )
    target.full_clean()
    assert target.tiers == "department+district"


def test_target_clean_refuses_percent_target_on_count_indicator(plan_a, indicator):
    from indicators.models import Indicator

    count_indicator = Indicator.objects.create(
        code="TRAINED_STAFF", name_vi="Số cán bộ được đào tạo", name_en="Staff trained",
        group="internal", kind="count",
    )
    target = Target(plan=plan_a, indicator=count_indicator, tiers="all", value=50, unit="percent")
    with pytest.raises(ValidationError) as excinfo:
        target.full_clean()
    assert "unit" in excinfo.value.message_dict
