"""An admin signs in to the admin through its real login form, edits a plan's target, and finds
the plan on the home page, styled by the site's stylesheet.

Screenshots of the admin and of the home page go to ``test-artifacts/`` for people to look at.
"""

from decimal import Decimal

import pytest

from plans.models import Change, Target
from tests.browser.conftest import ARTIFACTS
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# .site-header's background in static/css/app.css (--brand: #9b1c1c); the browser's default
# would be transparent, so this proves the stylesheet was served and applied.
BRAND_RED = "rgb(155, 28, 28)"


@pytest.fixture
def target_k1(plan_a, agencies_a, indicator):
    """K1 of the Kiên Giang 2017 plan: more than 80 % of departments and districts connected."""
    return Target.objects.create(
        plan=plan_a,
        indicator=indicator("SPECIALIZED_NETWORK"),
        tiers="department+district",
        comparator=Target.Comparator.GT,
        value=Decimal("80"),
        unit=Target.Unit.PERCENT,
        note="trên 80% sở, ngành tỉnh và UBND cấp huyện",
    )


def admin_sign_in(page, live_server, username, password):
    """Open the admin, which sends a stranger to its login form, and submit the form."""
    page.goto(f"{live_server.url}/admin/")
    page.wait_for_url("**/admin/login/?next=/admin/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    with page.expect_navigation() as navigation:
        page.locator("#login-form [type=submit]").click()
    return navigation.value


def open_plan_in_admin(page, plan_title):
    page.get_by_role("link", name="Kế hoạch năm", exact=True).first.click()
    page.wait_for_url("**/admin/plans/plan/")
    page.get_by_role("link", name=plan_title, exact=True).click()
    page.wait_for_url("**/admin/plans/plan/*/change/")


def test_it_lets_an_admin_change_a_target_and_shows_the_plan_at_home(
    page, live_server, admin_user, target_k1, plan_a
):
    ARTIFACTS.mkdir(exist_ok=True)
    response = admin_sign_in(page, live_server, "admin", PASSWORD)

    assert response.status == 200
    assert page.locator("#site-name").inner_text() == "Quản trị – Chỉ tiêu ứng dụng CNTT"

    open_plan_in_admin(page, "Kế hoạch ứng dụng CNTT năm 2017")
    value = page.locator("#id_targets-0-value")
    assert Decimal(value.input_value().replace(",", ".")) == Decimal("80")
    value.fill("85")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.screenshot(path=str(ARTIFACTS / "admin-plan-edit.png"), full_page=True)
    with page.expect_navigation() as navigation:
        page.locator("input[name=_save]").click()

    assert navigation.value.status == 200
    success = page.locator(".messagelist .success")
    assert "đã được thay đổi thành công" in success.inner_text()
    assert "Kế hoạch ứng dụng CNTT năm 2017" in success.inner_text()
    page.screenshot(path=str(ARTIFACTS / "admin-plan-saved.png"), full_page=True)
    target_k1.refresh_from_db()
    assert target_k1.value == Decimal("85")
    change = Change.objects.get(target=target_k1)
    assert (change.channel, change.changed_by) == (Change.Channel.ADMIN, admin_user)

    response = page.goto(f"{live_server.url}/")

    assert response.status == 200
    section = page.locator("section", has_text="Tỉnh Kiên Giang (mã 91)")
    row = section.locator("tbody tr", has_text="Kế hoạch ứng dụng CNTT năm 2017")
    assert row.locator("td").first.inner_text() == "2017"
    assert "123/KH-UBND" in row.inner_text()
    assert row.get_by_role("link", name="Tiến độ thực hiện").count() == 1
    header_background = page.eval_on_selector(
        ".site-header", "element => getComputedStyle(element).backgroundColor"
    )
    assert header_background == BRAND_RED
    page.screenshot(path=str(ARTIFACTS / "home-admin.png"), full_page=True)


def test_it_refuses_a_percent_target_above_100_and_keeps_the_old_value(
    page, live_server, admin_user, target_k1
):
    admin_sign_in(page, live_server, "admin", PASSWORD)
    open_plan_in_admin(page, "Kế hoạch ứng dụng CNTT năm 2017")

    page.locator("#id_targets-0-value").fill("101")
    page.locator("input[name=_save]").click()

    page.locator(".errorlist").first.wait_for()
    form_text = page.locator("#plan_form").inner_text()
    assert "Chỉ tiêu phần trăm phải nằm trong khoảng 0–100" in form_text
    assert page.locator(".messagelist .success").count() == 0
    target_k1.refresh_from_db()
    assert target_k1.value == Decimal("80")
    assert not Change.objects.filter(target=target_k1).exists()


def test_it_keeps_a_wrong_password_out_of_the_admin(page, live_server, admin_user):
    response = admin_sign_in(page, live_server, "admin", "not-the-password")

    assert response.status == 200
    assert "/admin/login/" in page.url
    assert "Bạn hãy nhập đúng Tên đăng nhập và mật khẩu" in page.locator(".errornote").inner_text()
    assert page.locator("#site-name").count() == 1
    assert page.get_by_role("link", name="Kế hoạch năm", exact=True).count() == 0


def test_it_keeps_officers_out_of_the_admin(page, live_server, officer_a):
    response = admin_sign_in(page, live_server, "officer_a", PASSWORD)

    assert response.status == 200
    assert "/admin/login/" in page.url
    assert page.get_by_role("link", name="Kế hoạch năm", exact=True).count() == 0


def test_it_signs_an_officer_in_by_cookie_and_shows_only_their_province(
    page, live_server, login, officer_a, plan_a, plan_b
):
    login(page, live_server, officer_a)

    response = page.goto(f"{live_server.url}/")

    assert response.status == 200
    assert "Đăng xuất (officer_a)" in page.locator(".site-header").inner_text()
    assert page.locator("h2", has_text="Tỉnh Kiên Giang (mã 91)").count() == 1
    assert page.locator("h2", has_text="Hưng Yên").count() == 0
    assert page.get_by_role("link", name="Sửa trong trang quản trị").count() == 0


def test_it_signs_a_leader_in_through_the_login_form(
    page, live_server, login_with_form, leader_a, plan_a
):
    login_with_form(page, live_server, leader_a)

    assert page.url == f"{live_server.url}/"
    assert "Đăng xuất (leader_a)" in page.locator(".site-header").inner_text()
    assert page.locator("h2", has_text="Tỉnh Kiên Giang (mã 91)").count() == 1
    stylesheet = page.request.get(f"{live_server.url}/static/css/app.css")
    assert stylesheet.status == 200
    assert ".site-header" in stylesheet.text()
