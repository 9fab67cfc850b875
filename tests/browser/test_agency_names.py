"""An officer of Kiên Giang opens the demo's commune grid: namesakes told apart, Vietnamese order.

The screenshot goes to ``test-artifacts/commune-grid-names.png`` for people to look at.
"""

import io

import pytest
from django.core.management import call_command

from plans.models import Agency, Profile, Province
from plans.selectors.naming import name_agencies
from plans.words.collation import sorted_vietnamese
from tests.browser.conftest import ARTIFACTS
from tests.browser.test_dashboard import ensure_catalogue
from tests.conftest import make_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def demo_officer():
    ensure_catalogue()
    call_command("load_demo", "--no-accounts", stdout=io.StringIO())
    return make_user("officer_kg", Profile.Role.OFFICER, [Province.objects.get(code="91")])


def test_the_commune_grid_tells_namesakes_apart_in_vietnamese_order(
    page, live_server, login, demo_officer
):
    ARTIFACTS.mkdir(exist_ok=True)
    login(page, live_server, demo_officer)
    # The demo's 143 communes come in two pages of the grid, in one order across them.
    names = []
    for number in (2, 1):
        response = page.goto(f"{live_server.url}/entry/91/2017/commune/?page={number}")
        assert response.status == 200
        names[:0] = [name.strip() for name in page.locator("th.agency-col a").all_inner_texts()]
    assert "UBND xã Bình An – huyện Châu Thành" in names
    assert "UBND xã Bình An – huyện Kiên Lương" in names
    assert len([n for n in names if n.startswith("UBND xã Thạnh Lộc – ")]) == 2
    assert len([n for n in names if n.startswith("UBND xã Vĩnh Phú – ")]) == 2
    assert len(set(names)) == len(names)
    # In the order of the collation.
    communes = Province.objects.get(code="91").agencies.filter(tier="commune")
    expected = name_agencies(
        communes.filter(Agency.active_in(2017)), province_id=communes[0].province_id
    )
    assert names == [agency.display_name for agency in expected]
    shown = [agency.display_name for agency in expected]
    assert shown == sorted_vietnamese(shown)
    page.set_viewport_size({"width": 1280, "height": 900})
    row = page.locator("th.agency-col", has_text="UBND xã Bình An – huyện Châu Thành")
    row.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "commune-grid-names.png"))
