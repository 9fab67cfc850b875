"""A province-year with something on every page: a target, a result with its history.

Built from the standing fixtures of ``tests/conftest.py``: province A (91 Kiên Giang) with its
2017 plan and agencies, province B (33 Hưng Yên) with its own plan, and the visitors of the
matrix (anonymous, officer_a, officer_b, leader_a, reporter_a, admin_user).
"""

import io
from decimal import Decimal

import pytest

from plans.models import (
    Change,
    Evidence,
    Plan,
    Programme,
    Result,
    Submission,
    Target,
    TargetItem,
)
from plans.services.evidence import evidence_add
from tests.evidence_files import PDF

TARGET_INDICATOR = "OFFICIAL_EMAIL"


@pytest.fixture
def world(plan_a, plan_b, agencies_a, agencies_b, indicator, officer_a, settings, tmp_path):
    """Return province A's 2017 plan with one target, one result (and its Change) and one
    evidence file of its agency 91-SNV, stored in a temporary MEDIA_ROOT."""
    target = Target.objects.create(
        plan=plan_a,
        indicator=indicator(TARGET_INDICATOR),
        tiers="department",
        comparator=">=",
        value=Decimal("80"),
        unit="percent",
    )
    result = Result.objects.create(
        year=2017,
        agency=agencies_a["91-SNV"],
        indicator=indicator(TARGET_INDICATOR),
        numerator=40,
        denominator=50,
        updated_by=officer_a,
    )
    Change.objects.create(
        result=result, plan=plan_a, changed_by=officer_a, channel=Change.Channel.GRID,
        old=None, new=result.as_dict(),
    )
    settings.MEDIA_ROOT = tmp_path / "media"
    evidence = evidence_add(
        agency=agencies_a["91-SNV"], year=2017, indicator=indicator(TARGET_INDICATOR),
        file=io.BytesIO(PDF), original_name="minh chứng.pdf", description="", user=officer_a,
    )
    # A programme, for its page (plans:dashboard_programme).
    Programme.objects.create(province=plan_a.province, code="KH-2021-2025",
                             name="Chuyển đổi số 2021–2025", first_year=2021, last_year=2025)
    # A checklist target with one item not done, for its entry page (plans:entry_checklist).
    checklist = Target.objects.create(
        plan=plan_a, indicator=indicator("PUBLIC_SERVICES_L4"), tiers="province",
        comparator=">=", value=Decimal("1"), unit="count",
    )
    TargetItem.objects.create(target=checklist, name="Cấp giấy phép xây dựng", position=1)
    plan_a.target = target
    plan_a.checklist = checklist
    plan_a.result = result
    plan_a.evidence = evidence
    return plan_a


def row_counts() -> dict[str, int]:
    """Return how many rows each written table holds: what a refused request must not change."""
    return {
        model.__name__: model.objects.count()
        for model in (Plan, Target, TargetItem, Result, Change, Submission, Evidence)
    }
