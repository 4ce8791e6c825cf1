"""Writes for accounts: users, role grants, passwords, care mode and API tokens."""

import secrets
from typing import Any

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangwu import access
from dangwu.access import SEPARATED_ADMINS, Role
from dangwu.accounts import permissions as perms
from dangwu.accounts.models import ApiToken, RoleAssignment, User
from dangwu.audit.services import audit_record
from dangwu.core import crypto
from dangwu.core.errors import DomainError, NotFound, ValidationFailed
from dangwu.orgs.models import Organization

TOKEN_PREFIX = "dw_"  # noqa: S105  (a marker, not a secret)


def _check_password(password: str, user: User | None) -> None:
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        messages = list(exc.messages)
        raise ValidationFailed(messages[0], errors=[("password", m) for m in messages]) from None


@transaction.atomic
def user_create(
    *, actor: Any, username: str, password: str, display_name: str = "", email: str = ""
) -> User:
    """Create an account (system administrator's job); the password must meet the rules."""
    access.require(actor, perms.ADMIN_USERS)
    if User.objects.filter(username=username).exists():
        raise ValidationFailed(
            _("The user name %(name)s is taken.") % {"name": username},
            errors=[("username", _("The user name %(name)s is taken.") % {"name": username})],
        )
    user = User(username=username, display_name=display_name, email=email)
    _check_password(password, user)
    user.set_password(password)
    user.save()
    audit_record(actor=actor, action="accounts.user_created", target=user)
    return user


@transaction.atomic
def role_grant(*, actor: Any, user: User, role: str, organization: Organization) -> RoleAssignment:
    """Grant ``role`` on ``organization``'s subtree (security administrator's job).

    The three separated administrators (三员) are exclusive: whoever holds one holds no other
    role at all.
    """
    access.require(actor, perms.ADMIN_ROLES)
    if role not in Role.values:
        raise DomainError(_("Unknown role."))
    held = set(RoleAssignment.objects.filter(user=user).values_list("role", flat=True))
    if held and (role in SEPARATED_ADMINS or held & SEPARATED_ADMINS) and held != {role}:
        raise DomainError(
            _(
                "The system, security and audit administrators are separate duties: "
                "such an account cannot hold any other role."
            )
        )
    grant, created = RoleAssignment.objects.get_or_create(
        user=user, role=role, organization=organization, defaults={"granted_by": _user(actor)}
    )
    if created:
        access.forget_grants(user)
        audit_record(
            actor=actor,
            action="accounts.role_granted",
            target=user,
            details={"role": role, "organization": organization.code},
        )
    return grant


@transaction.atomic
def role_revoke(*, actor: Any, grant: RoleAssignment) -> None:
    """Take a role grant away."""
    access.require(actor, perms.ADMIN_ROLES)
    details = {"role": grant.role, "organization": grant.organization.code}
    user = grant.user
    grant.delete()
    access.forget_grants(user)
    audit_record(actor=actor, action="accounts.role_revoked", target=user, details=details)


@transaction.atomic
def password_change(*, actor: User, old_password: str, new_password: str) -> None:
    """Change one's own password after proving the old one."""
    access.require(actor, perms.PROFILE)
    if not actor.check_password(old_password):
        raise ValidationFailed(
            _("The current password is not correct."),
            errors=[("old_password", _("The current password is not correct."))],
        )
    _check_password(new_password, actor)
    actor.set_password(new_password)
    actor.save(update_fields=["password"])
    audit_record(actor=actor, action="accounts.password_changed", target=actor)


@transaction.atomic
def care_mode_set(*, actor: User, enabled: bool) -> None:
    """Remember the person's care-mode (关怀模式) choice."""
    access.require(actor, perms.PROFILE)
    actor.care_mode = enabled
    actor.save(update_fields=["care_mode"])
    audit_record(actor=actor, action="accounts.care_mode_set", details={"enabled": enabled})


@transaction.atomic
def token_issue(*, actor: User, name: str = "API") -> tuple[ApiToken, str]:
    """Create a personal API token; return it with the secret, which is shown only once."""
    access.require(actor, perms.PROFILE)
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=actor,
        name=name[:60] or "API",
        digest=crypto.token_digest(secret),
        prefix=secret[:10],
    )
    audit_record(actor=actor, action="accounts.token_issued", target=token)
    return token, secret


@transaction.atomic
def token_revoke(*, actor: User, token_id: int) -> ApiToken:
    """Revoke one of one's own tokens (someone else's is 'not found')."""
    access.require(actor, perms.PROFILE)
    token = ApiToken.objects.filter(pk=token_id, user=actor, revoked_at__isnull=True).first()
    if token is None:
        raise NotFound(_("No such token."))
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit_record(actor=actor, action="accounts.token_revoked", target=token)
    return token


def token_authenticate(secret: str) -> User | None:
    """Return the active user owning an unrevoked token, or None for anything else."""
    if not secret.startswith(TOKEN_PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=crypto.token_digest(secret), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    # Touch at most once a minute so API reads do not turn into writes.
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def _user(actor: Any) -> User | None:
    return actor if isinstance(actor, User) else None
