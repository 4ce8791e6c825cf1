"""The Django admin, for the system and security administrators only, limited to configuration.

Party content (members, documents, articles) is not registered here at all.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from dangwu import access


class DangwuAdminSite(admin.AdminSite):
    site_header = _("Dangwu configuration")
    site_title = _("Dangwu configuration")
    index_title = _("Configuration")

    def has_permission(self, request) -> bool:
        user = request.user
        return bool(
            user.is_active
            and (
                access.can(user, "accounts.admin_users") or access.can(user, "accounts.admin_roles")
            )
        )


admin_site = DangwuAdminSite(name="admin")


class PolicyAdmin(admin.ModelAdmin):
    """A ModelAdmin whose every permission is one access-policy rule."""

    policy: str = ""

    def _allowed(self, request) -> bool:
        return access.can(request.user, self.policy)

    def has_module_permission(self, request) -> bool:
        return self._allowed(request)

    def has_view_permission(self, request, obj=None) -> bool:
        return self._allowed(request)

    def has_add_permission(self, request) -> bool:
        return self._allowed(request)

    def has_change_permission(self, request, obj=None) -> bool:
        return self._allowed(request)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
