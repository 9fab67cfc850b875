import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.urls import reverse

from plans.forms.accounts import AccountForm
from plans.models import Profile
from plans.services.accounts import account_create
from tests.conftest import PASSWORD

User = get_user_model()
STRONG = "Kiên-Giang-2017-một-cửa"


def run(*args, stdin=None):
    out = io.StringIO()
    call_command("create_account", *args, stdout=out, stdin=stdin)
    return out.getvalue()


def test_it_creates_an_officer_with_a_generated_password_shown_once(province_a):
    output = run("canbo_kg", "--role", "officer", "--province", "91")

    user = User.objects.get(username="canbo_kg")
    assert user.profile.role == Profile.Role.OFFICER
    assert list(user.profile.provinces.values_list("code", flat=True)) == ["91"]
    assert not user.is_staff
    assert not user.is_superuser
    assert "Đã tạo tài khoản canbo_kg, vai trò Cán bộ nhập liệu, tỉnh: 91." in output
    password = output.split("hãy lưu lại): ")[1].strip()
    assert len(password) >= 20
    assert user.check_password(password)


def test_it_creates_a_leader_of_two_provinces(province_a, province_b):
    run("lanhdao", "--role", "leader", "--province", "91", "--province", "33",
        "--password-stdin", stdin=io.StringIO(STRONG + "\n"))

    profile = User.objects.get(username="lanhdao").profile
    assert profile.role == Profile.Role.LEADER
    assert sorted(profile.provinces.values_list("code", flat=True)) == ["33", "91"]


def test_it_creates_an_admin_as_staff_and_superuser_without_a_province(db):
    run("quantri", "--role", "admin", "--password-stdin", stdin=io.StringIO(STRONG + "\n"))

    user = User.objects.get(username="quantri")
    assert user.is_staff
    assert user.is_superuser
    assert user.profile.role == Profile.Role.ADMIN


def test_it_reads_the_password_from_stdin_and_prints_none(province_a):
    output = run("canbo_kg", "--role", "officer", "--province", "91", "--password-stdin",
                 stdin=io.StringIO(STRONG + "\n"))

    assert User.objects.get(username="canbo_kg").check_password(STRONG)
    assert "Mật khẩu" not in output
    assert STRONG not in output


def test_it_refuses_an_empty_password_on_stdin(province_a):
    with pytest.raises(CommandError, match="dòng trống"):
        run("canbo_kg", "--role", "officer", "--province", "91", "--password-stdin",
            stdin=io.StringIO("\n"))
    assert not User.objects.filter(username="canbo_kg").exists()


@pytest.mark.parametrize(
    "password, message",
    [
        ("12345", "quá ngắn"),
        ("1234567890123", "hoàn toàn là số"),
        ("password123", "quá phổ biến"),
    ],
)
def test_it_refuses_a_weak_password(province_a, password, message):
    with pytest.raises(CommandError, match=message):
        run("canbo_kg", "--role", "officer", "--province", "91", "--password-stdin",
            stdin=io.StringIO(password + "\n"))
    assert not User.objects.filter(username="canbo_kg").exists()


def test_it_refuses_an_unknown_province(province_a):
    with pytest.raises(CommandError, match="Không có tỉnh nào mang mã 99"):
        run("canbo", "--role", "officer", "--province", "91", "--province", "99")
    assert not User.objects.filter(username="canbo").exists()


@pytest.mark.parametrize("role", ["officer", "leader"])
def test_it_refuses_an_officer_or_leader_without_a_province(db, role):
    with pytest.raises(CommandError, match="cần ít nhất một tỉnh"):
        run("canbo", "--role", role)
    assert not User.objects.exists()


def test_it_refuses_a_username_taken(officer_a, province_a):
    with pytest.raises(CommandError, match="“OFFICER_A” đã có người dùng"):
        run("OFFICER_A", "--role", "officer", "--province", "91")
    assert User.objects.count() == 1


def test_it_refuses_an_unknown_role(db):
    with pytest.raises(CommandError, match="invalid choice"):
        run("canbo", "--role", "boss")


def test_account_create_lists_every_problem_at_once(officer_a):
    # The checks are the account form's (plans.forms.accounts), the one create_account uses.
    form = AccountForm.from_codes(
        username="officer_a", role="leader", province_codes=["77"], password="123"
    )
    assert not form.is_valid()
    errors = form.errors
    assert set(errors) == {"username", "provinces", "password"}


def test_account_create_refuses_a_username_with_spaces(db):
    form = AccountForm.from_codes(username="can bo", role="admin", password=STRONG)
    assert not form.is_valid()
    assert "chỉ được gồm chữ" in " ".join(form.messages())


def test_account_create_returns_no_password_when_given_one(province_a):
    user, generated = account_create(
        username="canbo", role="officer", province_codes=[" 91 "], password=STRONG
    )
    assert generated is None
    assert user.profile.provinces.get().code == "91"


def test_the_login_page_is_vietnamese(client, db):
    response = client.get(reverse("login"))

    assert response.status_code == 200
    assert "Tên đăng nhập" in response.content.decode()
    assert "Mật khẩu" in response.content.decode()


def test_it_logs_in_through_the_form_and_goes_home(client, officer_a):
    response = client.post(
        reverse("login"), {"username": "officer_a", "password": PASSWORD}, follow=True
    )

    assert response.redirect_chain[-1][0] == reverse("plans:home")
    assert response.context["user"] == officer_a


def test_it_refuses_a_wrong_password_with_a_message(client, officer_a):
    response = client.post(reverse("login"), {"username": "officer_a", "password": "sai"})

    assert response.status_code == 200
    assert not response.context["user"].is_authenticated
    assert 'role="alert"' in response.content.decode()


def test_it_changes_the_password_in_vietnamese(client, officer_a):
    client.force_login(officer_a)
    page = client.get(reverse("password_change"))
    assert "Mật khẩu hiện tại" in page.content.decode()

    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": STRONG, "new_password2": STRONG},
        follow=True,
    )

    assert "Đã đổi mật khẩu" in response.content.decode()
    officer_a.refresh_from_db()
    assert officer_a.check_password(STRONG)


def test_it_refuses_a_password_change_with_a_wrong_old_password(client, officer_a):
    client.force_login(officer_a)

    response = client.post(
        reverse("password_change"),
        {"old_password": "sai-mat-khau", "new_password1": STRONG, "new_password2": STRONG},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["old_password"]
    officer_a.refresh_from_db()
    assert officer_a.check_password(PASSWORD)


def test_it_logs_out_by_post(client, officer_a):
    client.force_login(officer_a)

    response = client.post(reverse("logout"), follow=True)

    assert not response.context["user"].is_authenticated


def test_the_admin_password_change_uses_the_vietnamese_page(client, admin_user):
    client.force_login(admin_user)

    response = client.get(reverse("admin:password_change"))

    assert response.status_code == 200
    assert "Mật khẩu hiện tại" in response.content.decode()
