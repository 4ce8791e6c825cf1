"""Accounts in the admin: users (system administrator), role grants and API tokens (security
administrator). Nothing here shows Party data about a person: that lives in ``orgs.Member``,
which is not registered at all.
"""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import password_validation
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dangwu.accounts import permissions as perms
from dangwu.accounts import services
from dangwu.accounts.models import ApiToken, RoleAssignment, User
from dangwu.core.admin_site import PolicyAdmin, admin_site
from dangwu.core.errors import DomainError, ValidationFailed
from dangwu.core.forms import apply_problems
from dangwu.orgs.models import Organization


def _check_passwords_match(form: forms.BaseForm, data: dict[str, Any]) -> None:
    if data.get("new_password") and data.get("new_password") != data.get("new_password_again"):
        form.add_error("new_password_again", _("The two new passwords are not the same."))


def _new_password_field() -> forms.CharField:
    return forms.CharField(
        label=_("New password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_(
            "At least 8 characters, using at least three of: capital letters, small letters, "
            "digits and symbols."
        ),
    )


def _new_password_again_field() -> forms.CharField:
    return forms.CharField(
        label=_("New password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )


class SetPasswordForm(forms.Form):
    new_password = _new_password_field()
    new_password_again = _new_password_again_field()

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        _check_passwords_match(self, data)
        return data


class UserAddForm(forms.ModelForm):
    """A new account: name and a first password that meets the rules."""

    new_password = _new_password_field()
    new_password_again = _new_password_again_field()

    class Meta:
        model = User
        fields = ["username", "display_name", "email"]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        _check_passwords_match(self, data)
        password = data.get("new_password")
        if password:
            user = User(
                username=data.get("username", ""), display_name=data.get("display_name", "")
            )
            try:
                password_validation.validate_password(password, user)
            except ValidationError as exc:
                self.add_error("new_password", exc)
        return data


class UserChangeForm(forms.ModelForm):
    """An existing account: name, e-mail and whether it may sign in."""

    actor = None  # the administrator, set per request by UserAdmin.get_form

    class Meta:
        model = User
        fields = ["display_name", "email", "is_active"]

    def clean_is_active(self):
        active = self.cleaned_data["is_active"]
        if active != self.instance.is_active:
            problem = services.user_manage_problem(actor=self.actor, user=self.instance)
            if problem is not None:
                raise ValidationError(problem)
        return active


@admin.register(User, site=admin_site)
class UserAdmin(PolicyAdmin):
    policy = perms.ADMIN_USERS
    read_policies = (perms.ADMIN_ROLES,)
    list_display = ["username", "display_name", "email", "is_active", "last_login", "date_joined"]
    list_filter = ["is_active"]
    search_fields = ["username", "display_name", "email"]
    ordering = ["username"]
    actions = ["deactivate_selected", "unlock_selected"]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["username", "display_name", "email", "new_password", "new_password_again"]
        fields = ["username", "display_name", "email", "is_active", "last_login"]
        if self.has_change_permission(request, obj):
            fields.append("password_link")
        return fields

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return ["username", "password_link", "last_login"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["form"] = UserAddForm if obj is None else UserChangeForm
        form = super().get_form(request, obj, change=change, **kwargs)
        # get_form returns a subclass made for this request, so the attribute stays with it.
        form.actor = request.user  # type: ignore[attr-defined]
        return form

    @admin.display(description=_("Password"))
    def password_link(self, obj: User) -> str:
        url = reverse("admin:accounts_user_password", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, gettext("Set a new password"))

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if not change:
            user = services.user_create(
                actor=request.user,
                username=data["username"],
                password=data["new_password"],
                display_name=data["display_name"],
                email=data["email"],
            )
            obj.pk = user.pk
            obj.refresh_from_db()
            return
        current = User.objects.get(pk=obj.pk)
        if {"display_name", "email"} & set(form.changed_data):
            services.user_update(
                actor=request.user,
                user=current,
                display_name=data["display_name"],
                email=data["email"],
            )
        if "is_active" in form.changed_data:
            services.user_set_active(actor=request.user, user=current, active=data["is_active"])

    def get_urls(self):
        return [
            path(
                "<path:object_id>/password/",
                self.admin_site.admin_view(self.set_password_view),
                name="accounts_user_password",
            ),
            *super().get_urls(),
        ]

    def set_password_view(self, request, object_id):
        """Give an account a new password (for someone who forgot theirs)."""
        if not self.has_change_permission(request):
            raise PermissionDenied
        user = get_object_or_404(User, pk=object_id)
        form = SetPasswordForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.user_set_password(
                    actor=request.user, user=user, password=form.cleaned_data["new_password"]
                )
            except ValidationFailed as exc:
                apply_problems(form, exc, default_field="new_password")
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                self.message_user(request, gettext("The new password is set."), messages.SUCCESS)
                return redirect("admin:accounts_user_change", user.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Set a new password for %(name)s") % {"name": user.get_username()},
            "form": form,
            "opts": self.opts,
            "original": user,
        }
        return TemplateResponse(request, "admin/accounts/user/set_password.html", context)

    @admin.action(description=_("Deactivate the selected accounts"), permissions=["change"])
    def deactivate_selected(self, request, queryset):
        for user in queryset:
            try:
                services.user_set_active(actor=request.user, user=user, active=False)
            except DomainError as exc:
                self.message_user(request, f"{user.get_username()}: {exc.message}", messages.ERROR)

    @admin.action(description=_("Unlock the selected accounts"), permissions=["change"])
    def unlock_selected(self, request, queryset):
        for user in queryset:
            services.user_unlock(actor=request.user, user=user)


class RoleGrantForm(forms.ModelForm):
    class Meta:
        model = RoleAssignment
        fields = ["user", "role", "organization"]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("user") and data.get("role"):
            problem = services.role_grant_problem(user=data["user"], role=data["role"])
            if problem is not None:
                self.add_error("role", problem)
        return data


@admin.register(RoleAssignment, site=admin_site)
class RoleAssignmentAdmin(PolicyAdmin):
    """Grant and revoke roles; a grant is never edited, only revoked and granted anew."""

    policy = perms.ADMIN_ROLES
    can_change = False
    can_delete = True
    form = RoleGrantForm
    list_display = ["user", "role", "organization", "granted_at", "granted_by"]
    list_filter = ["role"]
    list_select_related = ["user", "organization", "granted_by"]
    search_fields = ["user__username", "user__display_name", "organization__name"]
    autocomplete_fields = ["user"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "organization":
            kwargs["queryset"] = Organization.objects.order_by("path")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        grant = services.role_grant(
            actor=request.user,
            user=data["user"],
            role=data["role"],
            organization=data["organization"],
        )
        obj.pk = grant.pk
        obj.refresh_from_db()

    def delete_model(self, request, obj):
        services.role_revoke(actor=request.user, grant=obj)

    def delete_queryset(self, request, queryset):
        for grant in queryset.select_related("user", "organization"):
            services.role_revoke(actor=request.user, grant=grant)


@admin.register(ApiToken, site=admin_site)
class ApiTokenAdmin(PolicyAdmin):
    """See and revoke personal API tokens (their secrets are never stored)."""

    policy = perms.ADMIN_ROLES
    can_add = False
    can_change = False
    list_display = ["prefix", "user", "name", "created_at", "last_used_at", "revoked_at"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]
    list_select_related = ["user"]
    search_fields = ["user__username", "name", "prefix"]
    exclude = ["digest"]
    actions = ["revoke_selected"]

    def has_revoke_permission(self, request) -> bool:
        return self._may(request, self.policy)

    @admin.action(description=_("Revoke the selected tokens"), permissions=["revoke"])
    def revoke_selected(self, request, queryset):
        for token in queryset.filter(revoked_at__isnull=True):
            services.token_revoke(actor=request.user, token_id=token.pk)
