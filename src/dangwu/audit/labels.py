"""Readable names for audit actions, shown on the audit page and in its export.

Apps namespace their actions (``orgs.member_revealed``); an action missing here is shown by its
name, so a new action is never hidden, only less readable until it is added.
"""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

ACTION_LABELS: dict[str, Promise] = {
    "access.denied": _("Access denied"),
    "accounts.signed_in": _("Signed in"),
    "accounts.signed_out": _("Signed out"),
    "accounts.sign_in_failed": _("Sign-in failed"),
    "accounts.locked_out": _("Account locked after failed sign-ins"),
    "accounts.unlocked": _("Account unlocked"),
    "accounts.user_created": _("Account created"),
    "accounts.user_updated": _("Account changed"),
    "accounts.user_activated": _("Account activated"),
    "accounts.user_deactivated": _("Account deactivated"),
    "accounts.password_changed": _("Own password changed"),
    "accounts.password_set": _("Password set by the administrator"),
    "accounts.role_granted": _("Role granted"),
    "accounts.role_revoked": _("Role revoked"),
    "accounts.care_mode_set": _("Care mode switched"),
    "accounts.token_issued": _("API token created"),
    "accounts.token_revoked": _("API token revoked"),
    "orgs.organization_created": _("Organization created"),
    "orgs.organization_updated": _("Organization changed"),
    "orgs.organizations_imported": _("Organizations imported"),
    "orgs.member_created": _("Member record created"),
    "orgs.member_updated": _("Member record changed"),
    "orgs.member_revealed": _("Full personal data viewed"),
    "orgs.member_account_linked": _("Member record linked to an account"),
    "orgs.members_imported": _("Member records imported"),
    "audit.exported": _("Audit log exported"),
}


def action_label(action: str) -> str:
    """Return the readable label of ``action``, or the action name itself when unknown."""
    label = ACTION_LABELS.get(action)
    return str(label) if label is not None else action


def action_choices() -> list[tuple[str, str]]:
    """Return ``(action, label)`` pairs for a select, ordered by label."""
    return sorted(((name, str(label)) for name, label in ACTION_LABELS.items()), key=lambda c: c[1])


def details_text(details: dict) -> str:
    """Return a record's details as one line of ``key: value`` pairs, in a stable order."""
    return "; ".join(f"{key}: {details[key]}" for key in sorted(details))
