"""The admin of accounts: the user page with its profile (plans.forms.accounts)."""


from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from plans.forms.accounts import ProfileForm
from plans.forms.admin_choices import (
    AgencyChoicesMixin,
    VietnameseChoicesMixin,
    limit_agency_field,
)
from plans.models import Profile
from plans.words.collation import collated


class ProfileInline(AgencyChoicesMixin, VietnameseChoicesMixin, admin.StackedInline):
    model = Profile
    form = ProfileForm
    can_delete = False
    # A province has hundreds of agencies: search them (AgencyAdmin.search_fields).
    autocomplete_fields = ["agencies"]
    verbose_name_plural = pgettext_lazy("plural", "phân quyền")

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        profile = getattr(obj, "profile", None) if obj is not None else None
        if profile is not None and "agencies" in formset.form.base_fields:
            # A reporter's agencies are of its province: offer those only.
            limit_agency_field(
                formset.form.base_fields["agencies"],
                profile.provinces.values_list("code", flat=True),
            )
        return formset


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class AccountAdmin(UserAdmin):
    inlines = [ProfileInline]
    list_display = ["username", "full_name", "role", "email", "is_staff", "is_active"]
    list_filter = ["profile__role", "is_staff", "is_superuser", "is_active"]
    list_select_related = ["profile"]

    @admin.display(description=_("họ và tên"), ordering=collated("last_name"))
    def full_name(self, user):
        return user.get_full_name()

    @admin.display(description=_("vai trò"), ordering="profile__role")
    def role(self, user):
        profile = getattr(user, "profile", None)
        return profile.get_role_display() if profile else "—"
