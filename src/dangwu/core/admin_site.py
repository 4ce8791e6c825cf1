"""The Django admin, for the system and security administrators only, limited to configuration.

Party content (members, documents, articles) is not registered here at all. Every permission is
an access-policy rule and every save goes through a service, so the admin behaves exactly like
the pages and the API (policy checks, audit records).
"""

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from dangwu import access

# The rules that open the admin: the system administrator (accounts) and the security
# administrator (roles and tokens). The audit administrator has no admin at all.
ADMIN_POLICIES = ("accounts.admin_users", "accounts.admin_roles")


class DangwuAdminSite(admin.AdminSite):
    site_header = _("Dangwu configuration")
    site_title = _("Dangwu configuration")
    index_title = _("Configuration")

    def has_permission(self, request) -> bool:
        user = request.user
        return bool(user.is_active and any(access.can(user, name) for name in ADMIN_POLICIES))

    def login(self, request, extra_context=None):
        """Send visitors to the one sign-in page (lockout, audit); refuse other signed-in users.

        Django's admin form would also demand ``is_staff``, which Dangwu does not use.
        """
        if self.has_permission(request):
            return HttpResponseRedirect(reverse("admin:index", current_app=self.name))
        if request.user.is_authenticated:
            from dangwu.audit.services import audit_record

            audit_record(
                actor=request.user,
                action="access.denied",
                success=False,
                details={"permission": "admin"},
            )
            raise PermissionDenied
        next_url = request.GET.get(REDIRECT_FIELD_NAME) or reverse(
            "admin:index", current_app=self.name
        )
        return redirect_to_login(next_url, reverse(settings.LOGIN_URL))

    def password_change(self, request, extra_context=None):
        """One's own password is changed on the platform's page, under the password rules."""
        return HttpResponseRedirect(reverse("accounts:password_change"))


admin_site = DangwuAdminSite(name="admin")


class PolicyAdmin(admin.ModelAdmin):
    """A ModelAdmin whose every permission is an access-policy rule.

    ``policy`` allows adding and changing (and deleting, when ``can_delete``); holders of any of
    ``read_policies`` may look without changing. Subclasses save through services by overriding
    :meth:`save_model` (and the delete methods when deleting is allowed).
    """

    policy: str = ""
    read_policies: tuple[str, ...] = ()
    can_add = True
    can_change = True
    can_delete = False

    def _may(self, request, *names: str) -> bool:
        return any(access.can(request.user, name) for name in names if name)

    def has_module_permission(self, request) -> bool:
        return self._may(request, self.policy, *self.read_policies)

    def has_view_permission(self, request, obj=None) -> bool:
        return self._may(request, self.policy, *self.read_policies)

    def has_add_permission(self, request) -> bool:
        return self.can_add and self._may(request, self.policy)

    def has_change_permission(self, request, obj=None) -> bool:
        return self.can_change and self._may(request, self.policy)

    def has_delete_permission(self, request, obj=None) -> bool:
        return self.can_delete and self._may(request, self.policy)

    def save_model(self, request, obj, form, change):
        raise NotImplementedError("admin saves go through a service: override save_model")

    def delete_model(self, request, obj):
        raise NotImplementedError("admin deletions go through a service: override delete_model")

    def delete_queryset(self, request, queryset):
        raise NotImplementedError("admin deletions go through a service")

    # The audit trail, written by the services, is the one record of changes; the admin's own
    # log would be a second one, written outside them.
    def log_addition(self, request, obj, message):
        return None

    def log_change(self, request, obj, message):
        return None

    def log_deletion(self, request, obj, object_repr):
        return None

    def log_deletions(self, request, queryset):
        return None
