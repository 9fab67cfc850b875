"""The API tokens in the admin: listed with owner and dates, revoked by an action.

A token is created by ``manage.py create_api_token`` only (it is shown once, and the admin
never sees it): the admin adds none and edits only the label.
"""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from plans.models import ApiToken
from plans.services.api_tokens import api_tokens_revoke


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("prefix", "label", "owner", "created_at", "last_used_at", "expires_at",
                    "revoked_at")
    list_select_related = ("owner",)
    list_filter = (("revoked_at", admin.EmptyFieldListFilter),)
    search_fields = ("label", "prefix", "owner__username")
    fields = ("prefix", "label", "owner", "created_at", "last_used_at", "expires_at",
              "revoked_at")
    readonly_fields = ("prefix", "owner", "created_at", "last_used_at", "expires_at",
                       "revoked_at")
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Thu hồi các mã đã chọn"), permissions=["change"])
    def revoke(self, request, queryset):
        count = api_tokens_revoke(tokens=queryset)
        self.message_user(
            request,
            ngettext("Đã thu hồi %(count)s mã.", "Đã thu hồi %(count)s mã.", count)
            % {"count": count},
            messages.SUCCESS,
        )
