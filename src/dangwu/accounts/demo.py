"""Demo accounts: one per persona, each with the role the README lists."""

from dangwu.access import SYSTEM, Role
from dangwu.accounts.services import role_grant, user_create
from dangwu.core.demo import DemoContext
from dangwu.orgs.services import member_link_account, organization_update

PERSONAS = [
    # username, display name, role, organization key in the demo context, description
    ("demo-leader", "王建国", Role.LEADER, "root", "工委领导"),
    ("demo-editor", "李文静", Role.EDITOR, "root", "工委编辑"),
    ("demo-clerk", "张秀英", Role.DOC_CLERK, "root", "工委公文管理员"),
    ("demo-orgclerk", "赵立新", Role.ORG_CLERK, "root", "工委组织干事（可导入组织和党员）"),
    ("demo-secretary", None, Role.SECRETARY, "first_org", "第一个党组织的书记"),
    ("demo-member", None, Role.MEMBER, "first_branch", "第一个党组织某支部的党员"),
    ("demo-other-secretary", "周海燕", Role.SECRETARY, "other_org", "另一个党组织的书记"),
    ("demo-schooladmin", "孙丽华", Role.SCHOOL_ADMIN, "root", "网上党校管理员"),
    ("demo-sysadmin", "系统管理员", Role.SYSADMIN, "root", "系统管理员（三员）"),
    ("demo-secadmin", "安全管理员", Role.SECADMIN, "root", "安全管理员（三员）"),
    ("demo-auditor", "安全审计员", Role.AUDITOR, "root", "审计管理员（三员）"),
]


def build_accounts(context: DemoContext) -> None:
    secretary_record, member_record = context.data["first_org_members"]
    records = {"demo-secretary": secretary_record, "demo-member": member_record}
    for username, display_name, role, org_key, description in PERSONAS:
        record = records.get(username)
        user = user_create(
            actor=SYSTEM,
            username=username,
            password=context.password,
            display_name=display_name or records[username].name,
        )
        role_grant(actor=SYSTEM, user=user, role=role, organization=context.data[org_key])
        if record is not None:
            member_link_account(actor=SYSTEM, member=record, user=user)
        context.accounts.append((username, description))
    organization_update(
        actor=SYSTEM, organization=context.data["first_org"], secretary=secretary_record
    )


build_accounts.order = 20  # type: ignore[attr-defined]  # read by core.demo.build_demo
