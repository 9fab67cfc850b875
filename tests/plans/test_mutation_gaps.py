"""Two gaps the mutation run left (issue 18, item 8): a ratio without a numerator has no figure
of its own, and the agencies a plan's figures still miss are looked up by the tiers its targets
ask, not over the whole province."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from plans.rules.progress import agency_achieved
from plans.selectors import figures as selectors
from tests.factories import make_target


@pytest.mark.parametrize(
    ("unit", "denominator"),
    [("percent", 430), ("count", 430), ("count", None)],
)
def test_a_ratio_without_a_numerator_has_no_figure(unit, denominator):
    assert agency_achieved(
        kind="ratio", unit=unit, value=None, numerator=None, denominator=denominator
    ) is None


def test_the_missing_agencies_are_counted_among_the_asked_tiers_only(
    plan_a, agencies_a, indicator
):
    target = make_target(plan_a, indicator("LAN"), "department", 100)
    with CaptureQueriesContext(connection) as queries:
        answer = selectors.figures_as_of(
            province_id=plan_a.province_id, year=plan_a.year, plan=plan_a, targets=[target]
        )
    # The two departments of Kiên Giang have not reported; its districts are not asked.
    assert answer.agencies_missing == 2
    [sql] = [q["sql"] for q in queries.captured_queries]
    # The count reads only the asked tiers' agencies (the (province, tier) index), rather than
    # every agency of the province and discarding the others row by row.
    assert re.search(r'"tier" IN \(\'department\'\)', sql)
