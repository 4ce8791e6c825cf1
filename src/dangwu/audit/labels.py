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
    "orgs.members_exported": _("Member records exported"),
    "audit.exported": _("Audit log exported"),
}


def action_label(action: str) -> str:
    """Return the readable label of ``action``, or the action name itself when unknown."""
    label = ACTION_LABELS.get(action)
    return str(label) if label is not None else action


def action_choices() -> list[tuple[str, str]]:
    """Return ``(action, label)`` pairs for a select, ordered by label."""
    return sorted(((name, str(label)) for name, label in ACTION_LABELS.items()), key=lambda c: c[1])


DETAIL_LABELS: dict[str, Promise] = {
    "permission": _("permission"),
    "role": _("role"),
    "organization": _("organization"),
    "reason": _("reason"),
    "fields": _("fields changed"),
    "count": _("records"),
    "revealed": _("with full numbers"),
    "filters": _("filters"),
    "file": _("file"),
    "created": _("added"),
    "updated": _("changed"),
    "unchanged": _("unchanged"),
    "enabled": _("on"),
    "owner": _("owner"),
    "before": _("before"),
    "after": _("after"),
    "parent": _("parent organization"),
    "secretary": _("secretary"),
    "name": _("name"),
    "short_name": _("short name"),
    "kind": _("kind"),
    "network_access": _("network access"),
    "contact_person": _("contact person"),
    "contact_phone": _("contact phone"),
}


def _detail_value(key: str, value: object) -> str:
    if key == "role" and isinstance(value, str):
        from dangwu.access import Role

        return str(Role(value).label) if value in Role.values else value
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    if isinstance(value, dict):
        shown = [f"{_detail_key(k)}：{_detail_value(k, v)}" for k, v in value.items() if v]
        return "，".join(shown) or "—"
    if value is None or value == "":
        return "—"
    return str(value)


def _detail_key(key: str) -> str:
    label = DETAIL_LABELS.get(key)
    return str(label) if label is not None else key


def details_text(details: dict) -> str:
    """Return a record's details as one readable line, keys translated, in a stable order."""
    return "；".join(
        f"{_detail_key(key)}：{_detail_value(key, details[key])}" for key in sorted(details)
    )
