"""On a phone, the plan dashboard shows each target as a card: name, achieved and verdict on the
screen, never past its right edge; the verdict is a word, never a colour alone."""

import io

import pytest
from django.core.management import call_command

from plans.models import Profile, Province
from tests.browser.conftest import ARTIFACTS
from tests.browser.test_dashboard import ensure_catalogue
from tests.conftest import make_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

VERDICTS = {"Đạt", "Chưa đạt", "Chưa có số liệu"}


@pytest.fixture
def demo_leader():
    ensure_catalogue()
    call_command("load_demo", "--no-accounts", stdout=io.StringIO())
    return make_user("leader_kg", Profile.Role.LEADER, [Province.objects.get(code="91")])


def inside(box, width):
    return box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width


def test_it_shows_each_targets_name_achieved_and_verdict_on_a_phone(page, live_server, login,
                                                                    demo_leader):
    ARTIFACTS.mkdir(exist_ok=True)
    login(page, live_server, demo_leader)
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.goto(f"{live_server.url}/dashboard/91/2017/").status == 200
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    rows = page.locator("table.targets tr.target-row")
    assert rows.count() == 9
    for index in range(rows.count()):
        row = rows.nth(index)
        name, achieved, verdict = (
            row.locator("th.indicator"), row.locator("td.achieved"), row.locator(".status")
        )
        for element in (name, achieved, verdict):
            assert inside(element.bounding_box(), 390), row.inner_text()
        # The verdict in words (the colour only repeats it), with the column's name beside it.
        assert verdict.inner_text() in VERDICTS
        for cell, label in ((row.locator("td.verdict"), "Đánh giá"), (achieved, "Đạt được")):
            assert cell.evaluate("e => getComputedStyle(e, '::before').content") == f'"{label}"'
    # No table wider than the screen scrolls inside its box either.
    assert page.locator("table.targets").evaluate("t => t.scrollWidth <= t.clientWidth")
    page.screenshot(path=str(ARTIFACTS / "dashboard-plan-390.png"), full_page=True)

    # At a desk the same targets stay one table, a row each, with the progress bars.
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{live_server.url}/dashboard/91/2017/")
    assert page.locator("table.targets thead").is_visible()
    assert page.locator("table.targets td.bar-cell").first.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366
    page.screenshot(path=str(ARTIFACTS / "dashboard-plan-1366.png"), full_page=True)
