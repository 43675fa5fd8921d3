from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from haicap.accounts import services
from haicap.accounts.models import ApiToken, Membership, User
from haicap.core.admin import AuditedModelAdmin
from haicap.core.audit import record_change


@admin.register(User)
class UserAdmin(AuditedModelAdmin, DjangoUserAdmin):
    list_display = ("username", "full_name", "email", "is_active", "last_login")
    search_fields = ("username", "full_name", "email")
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (_("haicap"), {"fields": ("full_name",)}),
    )

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # accounts are deactivated, never deleted: the audit log names them

    def user_change_password(self, request: HttpRequest, id: str, form_url: str = "") -> Any:
        with transaction.atomic():
            response = super().user_change_password(request, id, form_url)
            if request.method == "POST" and response.status_code == 302:
                user = User.objects.get(pk=id)
                record_change("account.password_changed", user, actor=request.user)
        return response


@admin.register(Membership)
class MembershipAdmin(AuditedModelAdmin):
    list_display = ("user", "role", "position", "agency", "granted_at")
    list_filter = ("role", "agency__unit__tier")
    search_fields = ("user__username", "user__full_name", "agency__search_name", "agency__code")
    autocomplete_fields = ("user", "agency")


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("name", "user", "prefix", "created_at", "last_used_at", "revoked_at")
    list_filter = (("revoked_at", admin.EmptyFieldListFilter),)
    search_fields = ("name", "user__username", "prefix")
    readonly_fields = ("user", "name", "prefix", "created_at", "last_used_at", "revoked_at")
    actions = ["revoke"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # tokens are issued on the desk's account page or by the command

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        for token in queryset:
            services.revoke_api_token(request.user, token.pk)
        messages.success(request, _("The selected tokens were revoked."))
