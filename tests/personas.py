"""The cast every test uses: the same personas as the demo accounts, on a small tree.

    GW  工委 (root)
    ├── A01 第一机关党委 ── A0101 第一支部 ── A010101 第一党小组
    │                   └── A0102 第二支部
    └── A02 第二机关党委 ── A0201 第一支部

Built through the real services, acting as the system.
"""

from dataclasses import dataclass, field
from datetime import date

from dangwu.access import SYSTEM, Role
from dangwu.accounts.models import User
from dangwu.accounts.services import role_grant, user_create
from dangwu.core.personal import id_check_char
from dangwu.orgs.enums import MemberCategory, NetworkAccess, OrgKind
from dangwu.orgs.models import Member, Organization
from dangwu.orgs.services import member_create, member_link_account, organization_create

PASSWORD = "Test@Pass2026"

PERSONAS = {
    "leader": ("demo-leader", Role.LEADER, "root"),
    "editor": ("demo-editor", Role.EDITOR, "root"),
    "clerk": ("demo-clerk", Role.DOC_CLERK, "root"),
    "orgclerk": ("demo-orgclerk", Role.ORG_CLERK, "root"),
    "secretary": ("demo-secretary", Role.SECRETARY, "org1"),
    "member": ("demo-member", Role.MEMBER, "branch1"),
    "other_secretary": ("demo-other-secretary", Role.SECRETARY, "org2"),
    "schooladmin": ("demo-schooladmin", Role.SCHOOL_ADMIN, "root"),
    "sysadmin": ("demo-sysadmin", Role.SYSADMIN, "root"),
    "secadmin": ("demo-secadmin", Role.SECADMIN, "root"),
    "auditor": ("demo-auditor", Role.AUDITOR, "root"),
}


def make_id_number(birth: date, serial: int, area: str = "430102") -> str:
    """Return a valid 18-character ID number for ``birth`` (serial keeps it unique)."""
    body = f"{area}{birth:%Y%m%d}{serial % 1000:03d}"
    return body + id_check_char(body)


@dataclass
class World:
    orgs: dict[str, Organization] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    members: dict[str, Member] = field(default_factory=dict)

    def user(self, persona: str) -> User:
        return self.users[persona]


def add_member(org: Organization, name: str, serial: int, **extra) -> Member:
    birth = extra.pop("birth_date", date(1970 + serial % 30, 1 + serial % 12, 1 + serial % 28))
    return member_create(
        actor=SYSTEM,
        organization=org,
        name=name,
        gender=extra.pop("gender", "1"),
        birth_date=birth,
        id_number=extra.pop("id_number", make_id_number(birth, serial)),
        joined_on=extra.pop("joined_on", date(2000, 7, 1)),
        full_member_on=extra.pop("full_member_on", date(2001, 7, 1)),
        category=extra.pop("category", MemberCategory.FULL),
        phone=extra.pop("phone", f"139{serial:08d}"),
        **extra,
    )


def build_world() -> World:
    world = World()
    o = world.orgs
    o["root"] = organization_create(
        actor=SYSTEM, code="GW", name="市直机关工委", kind=OrgKind.COMMITTEE, parent=None
    )
    o["org1"] = organization_create(
        actor=SYSTEM,
        code="A01",
        name="第一机关党委",
        kind=OrgKind.PARTY_COMMITTEE,
        parent=o["root"],
        network_access=NetworkAccess.DIRECT,
    )
    o["branch1"] = organization_create(
        actor=SYSTEM,
        code="A0101",
        name="第一机关党委第一支部",
        kind=OrgKind.BRANCH,
        parent=o["org1"],
    )
    o["group1"] = organization_create(
        actor=SYSTEM, code="A010101", name="第一党小组", kind=OrgKind.GROUP, parent=o["branch1"]
    )
    o["branch2"] = organization_create(
        actor=SYSTEM,
        code="A0102",
        name="第一机关党委第二支部",
        kind=OrgKind.BRANCH,
        parent=o["org1"],
    )
    o["org2"] = organization_create(
        actor=SYSTEM,
        code="A02",
        name="第二机关党委",
        kind=OrgKind.PARTY_COMMITTEE,
        parent=o["root"],
        network_access=NetworkAccess.NONE,
    )
    o["branch3"] = organization_create(
        actor=SYSTEM,
        code="A0201",
        name="第二机关党委第一支部",
        kind=OrgKind.BRANCH,
        parent=o["org2"],
    )
    m = world.members
    m["secretary"] = add_member(o["org1"], "书记甲", 1)
    m["member"] = add_member(o["branch1"], "党员乙", 2)
    m["colleague"] = add_member(o["branch2"], "党员丙", 3)
    m["other"] = add_member(o["branch3"], "党员丁", 4)
    m["other_secretary"] = add_member(o["org2"], "书记戊", 5)
    for key, (username, role, org_key) in PERSONAS.items():
        user = user_create(actor=SYSTEM, username=username, password=PASSWORD, display_name=key)
        role_grant(actor=SYSTEM, user=user, role=role, organization=o[org_key])
        world.users[key] = user
        if key in m:
            member_link_account(actor=SYSTEM, member=m[key], user=user)
    return world
