"""Writes for organizations and member records. Views, API, imports and commands call these."""

from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext as _

from dangwu import access
from dangwu.audit.services import audit_record
from dangwu.core import crypto
from dangwu.core.errors import DomainError, ValidationFailed
from dangwu.core.personal import mask_id_number, mask_phone, normalize_id_number
from dangwu.orgs import permissions as perms
from dangwu.orgs.enums import MemberCategory, MemberStatus, NetworkAccess
from dangwu.orgs.models import Member, Organization
from dangwu.orgs.validation import member_problems, org_problems

ORG_FIELDS = (
    "name",
    "short_name",
    "kind",
    "founded_on",
    "contact_person",
    "contact_phone",
    "network_access",
    "secretary_computer_literate",
    "secretary",
)
MEMBER_FIELDS = (
    "name",
    "gender",
    "ethnicity",
    "birth_date",
    "education",
    "category",
    "joined_on",
    "full_member_on",
    "post",
    "status",
)


def _raise_problems(problems: list[tuple[str, str]]) -> None:
    if problems:
        raise ValidationFailed(problems[0][1], errors=problems)


def child_path(parent: Organization | None, code: str) -> str:
    """Return the materialized path of an organization with ``code`` under ``parent``."""
    return f"{parent.path if parent else '/'}{code}/"


@transaction.atomic
def organization_create(
    *,
    actor: Any,
    code: str,
    name: str,
    kind: str,
    parent: Organization | None,
    short_name: str = "",
    founded_on: date | None = None,
    contact_person: str = "",
    contact_phone: str = "",
    network_access: str = NetworkAccess.UNKNOWN,
    secretary_computer_literate: bool | None = None,
) -> Organization:
    """Create an organization under ``parent`` (the root only by the system)."""
    if parent is None:
        if actor is not access.SYSTEM:
            raise DomainError(_("Only the system can create the top of the tree."))
    else:
        access.require(actor, perms.ORG_MANAGE, parent)
    _raise_problems(
        org_problems(code=code, name=name, kind=kind, parent_kind=parent.kind if parent else None)
    )
    if Organization.objects.filter(code=code).exists():
        raise ValidationFailed(
            _("The code %(code)s is already used.") % {"code": code},
            errors=[("code", _("The code %(code)s is already used.") % {"code": code})],
        )
    org = Organization.objects.create(
        code=code,
        name=name.strip(),
        short_name=short_name.strip(),
        kind=kind,
        parent=parent,
        path=child_path(parent, code),
        depth=parent.depth + 1 if parent else 0,
        founded_on=founded_on,
        contact_person=contact_person,
        contact_phone=contact_phone,
        network_access=network_access,
        secretary_computer_literate=secretary_computer_literate,
    )
    audit_record(actor=actor, action="orgs.organization_created", target=org)
    return org


@transaction.atomic
def organization_update(
    *, actor: Any, organization: Organization, parent: Organization | None = None, **changes: Any
) -> Organization:
    """Change an organization's fields, or move it (and its subtree) under ``parent``."""
    access.require(actor, perms.ORG_MANAGE, organization)
    unknown = set(changes) - set(ORG_FIELDS)
    if unknown:
        raise TypeError(f"unknown organization fields: {sorted(unknown)}")
    new_parent = parent if parent is not None else organization.parent
    if parent is not None and parent.pk != organization.parent_id:
        access.require(actor, perms.ORG_MANAGE, parent)
        if parent.path.startswith(organization.path):
            raise ValidationFailed(
                _("An organization cannot be moved under itself or its own sub-organization."),
                errors=[("parent", _("This would make a cycle in the tree."))],
            )
    kind = changes.get("kind", organization.kind)
    _raise_problems(
        org_problems(
            code=organization.code,
            name=changes.get("name", organization.name),
            kind=kind,
            parent_kind=new_parent.kind if new_parent else None,
        )
    )
    before = {f: getattr(organization, f) for f in changes}
    for field, value in changes.items():
        setattr(organization, field, value)
    fields = [*changes, "updated_at"]
    if new_parent is not None and new_parent.pk != organization.parent_id:
        move_subtree(organization, new_parent)
        fields += ["parent", "path", "depth"]
    organization.save(update_fields=fields)
    audit_record(
        actor=actor,
        action="orgs.organization_updated",
        target=organization,
        details={
            "before": before,
            "after": changes,
            "parent": new_parent.code if new_parent else None,
        },
    )
    return organization


def move_subtree(organization: Organization, new_parent: Organization) -> None:
    """Re-root ``organization``'s subtree under ``new_parent`` (caller saves ``organization``)."""
    old_path = organization.path
    new_path = child_path(new_parent, organization.code)
    depth_delta = new_parent.depth + 1 - organization.depth
    # One statement rewrites every descendant's path, however deep the subtree.
    Organization.objects.filter(path__startswith=old_path).exclude(pk=organization.pk).update(
        path=Concat(Value(new_path), Substr("path", len(old_path) + 1)),
        depth=F("depth") + depth_delta,
    )
    organization.parent = new_parent
    organization.path = new_path
    organization.depth = new_parent.depth + 1


def member_values(*, id_number: str, phone: str = "") -> dict[str, str]:
    """Return the stored forms of the personal fields: encrypted, indexed and masked."""
    id_number = normalize_id_number(id_number)
    phone = (phone or "").strip()
    return {
        "id_number": id_number,
        "id_number_index": crypto.blind_index(id_number),
        "id_number_masked": mask_id_number(id_number),
        "phone": phone,
        "phone_masked": mask_phone(phone),
    }


def find_member_by_id_number(id_number: str) -> Member | None:
    """Return the member with this ID number (looked up by its blind index), if any."""
    return Member.objects.filter(
        id_number_index=crypto.blind_index(normalize_id_number(id_number))
    ).first()


@transaction.atomic
def member_create(
    *,
    actor: Any,
    organization: Organization,
    name: str,
    gender: str,
    birth_date: date,
    id_number: str,
    joined_on: date,
    ethnicity: str = "汉族",
    education: str = "",
    category: str = MemberCategory.FULL,
    full_member_on: date | None = None,
    post: str = "",
    phone: str = "",
    status: str = MemberStatus.ACTIVE,
) -> Member:
    """Create a member record in ``organization``; the ID number must be new and valid."""
    access.require(actor, perms.MEMBER_MANAGE, organization)
    problems = member_problems(
        id_number=id_number,
        phone=phone,
        birth_date=birth_date,
        joined_on=joined_on,
        full_member_on=full_member_on,
        category=category,
    )
    if not name.strip():
        problems.append(("name", _("The name is required.")))
    _raise_problems(problems)
    if find_member_by_id_number(id_number) is not None:
        raise ValidationFailed(
            _("A member with this ID number already exists."),
            errors=[("id_number", _("A member with this ID number already exists."))],
        )
    member = Member.objects.create(
        organization=organization,
        name=name.strip(),
        gender=gender,
        ethnicity=ethnicity,
        birth_date=birth_date,
        education=education,
        category=category,
        joined_on=joined_on,
        full_member_on=full_member_on,
        post=post,
        status=status,
        **member_values(id_number=id_number, phone=phone),
    )
    audit_record(actor=actor, action="orgs.member_created", target=member)
    return member


@transaction.atomic
def member_update(*, actor: Any, member: Member, **changes: Any) -> Member:
    """Change a member's record; ``organization`` moves it (both ends must be in scope)."""
    access.require(actor, perms.MEMBER_MANAGE, member)
    allowed = set(MEMBER_FIELDS) | {"organization", "phone", "id_number"}
    unknown = set(changes) - allowed
    if unknown:
        raise TypeError(f"unknown member fields: {sorted(unknown)}")
    if "organization" in changes:
        access.require(actor, perms.MEMBER_MANAGE, changes["organization"])
    merged = {f: changes.get(f, getattr(member, f)) for f in allowed}
    _raise_problems(
        member_problems(
            id_number=merged["id_number"],
            phone=merged["phone"],
            birth_date=merged["birth_date"],
            joined_on=merged["joined_on"],
            full_member_on=merged["full_member_on"],
            category=merged["category"],
        )
    )
    personal = member_values(id_number=merged["id_number"], phone=merged["phone"])
    if (
        personal["id_number_index"] != member.id_number_index
        and Member.objects.filter(id_number_index=personal["id_number_index"]).exists()
    ):
        raise ValidationFailed(
            _("A member with this ID number already exists."),
            errors=[("id_number", _("A member with this ID number already exists."))],
        )
    changed = sorted(f for f in changes if changes[f] != getattr(member, f))
    for field, value in changes.items():
        if field not in ("id_number", "phone"):
            setattr(member, field, value)
    for field, value in personal.items():
        setattr(member, field, value)
    member.save()
    # Personal values never go into the audit details, only the names of changed fields.
    audit_record(
        actor=actor, action="orgs.member_updated", target=member, details={"fields": changed}
    )
    return member


def member_reveal(*, actor: Any, member: Member, reason: str = "") -> dict[str, str]:
    """Return the full ID number and phone of ``member``; every call is audited."""
    access.require(actor, perms.MEMBER_REVEAL, member)
    audit_record(
        actor=actor, action="orgs.member_revealed", target=member, details={"reason": reason}
    )
    return {"id_number": member.id_number, "phone": member.phone}


@transaction.atomic
def member_link_account(*, actor: Any, member: Member, user: Any) -> Member:
    """Link a member record to the account the person signs in with."""
    access.require(actor, perms.MEMBER_MANAGE, member)
    if Member.objects.filter(user=user).exclude(pk=member.pk).exists():
        raise DomainError(_("This account already belongs to another member record."))
    member.user = user
    member.save(update_fields=["user", "updated_at"])
    audit_record(actor=actor, action="orgs.member_account_linked", target=member)
    return member
