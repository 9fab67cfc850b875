"""One form for accounts (issue 18, item 6): the admin's profile inline and create_account
check a person's role and scope with the same form (plans.forms.accounts)."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.utils import translation

from plans.admin.accounts import ProfileInline
from plans.forms.accounts import AccountForm, ProfileForm

STRONG = "Kiên-Giang-2017-một-cửa"


def test_the_admin_and_create_account_share_the_form():
    assert ProfileInline.form is ProfileForm
    assert issubclass(AccountForm, ProfileForm)
    assert ProfileInline in admin.site._registry[get_user_model()].inlines


def test_the_admins_form_holds_a_reporter_to_one_province_and_its_agencies(
    province_a, agencies_a, agencies_b
):
    def errors(**data):
        form = ProfileForm(data={"role": "reporter", **data})
        with translation.override("vi"):
            form.is_valid()
            return {field: list(messages) for field, messages in form.errors.items()}

    assert errors(provinces=[province_a.pk], agencies=[agencies_b["33-SNV"].pk]) == {
        "agencies": ["Không có đơn vị mã 33-SNV thuộc tỉnh Kiên Giang."]
    }
    assert errors(provinces=[province_a.pk], all_provinces="on") == {
        "provinces": ["Cán bộ báo cáo của đơn vị cần đúng một tỉnh, không phải nhiều tỉnh hay "
                      "tất cả các tỉnh."]
    }
    assert errors(provinces=[province_a.pk], agencies=[agencies_a["91-SNV"].pk]) == {}


def test_the_commands_form_says_the_same_by_code(province_a, agencies_a, agencies_b):
    form = AccountForm.from_codes(username="baocao", role="reporter", province_codes=["91"],
                                  agency_codes=["33-SNV", "91-NOPE"], password=STRONG)
    with translation.override("vi"):
        assert not form.is_valid()
        assert form.messages() == ["Không có đơn vị mã 33-SNV, 91-NOPE thuộc tỉnh Kiên Giang."]


def test_an_officer_needs_a_province_in_both(province_a):
    with translation.override("vi"):
        admin_form = ProfileForm(data={"role": "officer"})
        command_form = AccountForm.from_codes(username="canbo", role="officer")
        assert not admin_form.is_valid() and not command_form.is_valid()
        assert admin_form.errors["provinces"] == command_form.errors["provinces"] == [
            "Vai trò Cán bộ nhập liệu cần ít nhất một tỉnh."
        ]
