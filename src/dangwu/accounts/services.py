"""Writes for accounts: users, role grants, passwords, care mode and API tokens."""

import secrets
from typing import Any

from axes.utils import reset as axes_reset
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


# Accounts the system administrator may not take over: resetting the password of (or
# disabling) the security or audit administrator would let one person hold two duties.
_WATCHERS = frozenset({Role.SECADMIN, Role.AUDITOR})


def user_manage_problem(*, actor: Any, user: User) -> str | None:
    """Return why ``actor`` may not deactivate ``user`` or set their password, or None.

    Forms validate with this; the services check it again.
    """
    if actor is access.SYSTEM:
        return None
    me = _user(actor)
    if me is not None and me.pk == user.pk:
        return _("Administrators cannot change their own account here.")
    if RoleAssignment.objects.filter(user=user, role__in=_WATCHERS).exists():
        return _(
            "This account belongs to the security or audit administrator; the system "
            "administrator may not change it."
        )
    return None


def _require_may_manage(actor: Any, user: User) -> None:
    access.require(actor, perms.ADMIN_USERS)
    problem = user_manage_problem(actor=actor, user=user)
    if problem is not None:
        raise DomainError(problem)


@transaction.atomic
def user_update(*, actor: Any, user: User, display_name: str, email: str) -> User:
    """Change an account's name and e-mail address (system administrator's job)."""
    access.require(actor, perms.ADMIN_USERS)
    changed = [
        field
        for field, value in (("display_name", display_name), ("email", email))
        if getattr(user, field) != value
    ]
    if changed:
        user.display_name, user.email = display_name, email
        user.save(update_fields=changed)
        audit_record(
            actor=actor, action="accounts.user_updated", target=user, details={"fields": changed}
        )
    return user


@transaction.atomic
def user_set_active(*, actor: Any, user: User, active: bool) -> User:
    """Activate or deactivate an account; a deactivated account cannot sign in or use tokens."""
    _require_may_manage(actor, user)
    if user.is_active != active:
        user.is_active = active
        user.save(update_fields=["is_active"])
        action = "accounts.user_activated" if active else "accounts.user_deactivated"
        audit_record(actor=actor, action=action, target=user)
    return user


@transaction.atomic
def user_set_password(*, actor: Any, user: User, password: str) -> User:
    """Set a new password for someone who forgot theirs; it must meet the rules."""
    _require_may_manage(actor, user)
    _check_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    audit_record(actor=actor, action="accounts.password_set", target=user)
    return user


@transaction.atomic
def user_unlock(*, actor: Any, user: User) -> User:
    """Lift the lockout that follows too many wrong passwords, before it expires by itself."""
    access.require(actor, perms.ADMIN_USERS)
    if axes_reset(username=user.username):
        audit_record(actor=actor, action="accounts.unlocked", target=user)
    return user


def role_grant_problem(*, user: User, role: str) -> str | None:
    """Return why ``user`` cannot be given ``role``, or None (forms validate with this).

    The three separated administrators (三员) are exclusive: whoever holds one holds no other
    role at all.
    """
    if role not in Role.values:
        return _("Unknown role.")
    held = set(RoleAssignment.objects.filter(user=user).values_list("role", flat=True))
    if held and (role in SEPARATED_ADMINS or held & SEPARATED_ADMINS) and held != {role}:
        return _(
            "The system, security and audit administrators are separate duties: "
            "such an account cannot hold any other role."
        )
    return None


@transaction.atomic
def role_grant(*, actor: Any, user: User, role: str, organization: Organization) -> RoleAssignment:
    """Grant ``role`` on ``organization``'s subtree (security administrator's job).

    Refused when :func:`role_grant_problem` finds a conflict with separation of duties.
    """
    access.require(actor, perms.ADMIN_ROLES)
    problem = role_grant_problem(user=user, role=role)
    if problem is not None:
        raise DomainError(problem, field="role")
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
def token_revoke(*, actor: Any, token_id: int) -> ApiToken:
    """Revoke a token: one's own, or anyone's for the security administrator.

    Someone else's token is 'not found' for everybody else.
    """
    access.require(actor, perms.PROFILE)
    tokens = ApiToken.objects.select_related("user").filter(pk=token_id, revoked_at__isnull=True)
    if not access.can(actor, perms.ADMIN_ROLES):
        tokens = tokens.filter(user=actor)
    token = tokens.first()
    if token is None:
        raise NotFound(_("No such token."))
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit_record(
        actor=actor,
        action="accounts.token_revoked",
        target=token,
        details={"owner": token.user.get_username()},
    )
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
