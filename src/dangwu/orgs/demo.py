"""Demo organizations and members: the committee, 47 organizations of a city's government
departments with 1–6 branches each, about 2,000 members with synthetic names.

Network access follows the committee's survey: 11 内网直连, 15 经办公室内网, 16 未接入, 5 未知;
20 secretaries can operate a computer. Everything goes through the spreadsheet imports.
"""

from dangwu.access import SYSTEM
from dangwu.core.demo import DemoContext
from dangwu.orgs.imports import MEMBER_COLUMNS, ORG_COLUMNS, members_import, organizations_import
from dangwu.orgs.models import Member, Organization
from dangwu.orgs.synthetic import GIVEN, SURNAMES, csv_bytes, member_row

ROOT_CODE = "GW"
ROOT_NAME = "中共江城市直属机关工作委员会"

DEPARTMENTS = [
    "市发展和改革委员会",
    "市财政局",
    "市教育局",
    "市科学技术局",
    "市工业和信息化局",
    "市公安局",
    "市民政局",
    "市司法局",
    "市人力资源和社会保障局",
    "市自然资源和规划局",
    "市生态环境局",
    "市住房和城乡建设局",
    "市交通运输局",
    "市水利局",
    "市农业农村局",
    "市商务局",
    "市文化旅游广电局",
    "市卫生健康委员会",
    "市退役军人事务局",
    "市应急管理局",
    "市审计局",
    "市国有资产监督管理委员会",
    "市市场监督管理局",
    "市体育局",
    "市统计局",
    "市医疗保障局",
    "市城市管理综合执法局",
    "市林业局",
    "市地方金融监督管理局",
    "市信访局",
    "市机关事务管理局",
    "市政务服务中心",
    "市人民防空办公室",
    "市档案馆",
    "市地方志编纂室",
    "市供销合作社",
    "市总工会",
    "共青团江城市委员会",
    "市妇女联合会",
    "市科学技术协会",
    "市文学艺术界联合会",
    "市社会科学界联合会",
    "市残疾人联合会",
    "市红十字会",
    "市委办公室",
    "市人民政府办公室",
    "市委政策研究室",
]
# The survey's figures for the 47 organizations, in order of the list above (shuffled by seed).
NETWORK_MIX = ["内网直连"] * 11 + ["经办公室内网"] * 15 + ["未接入"] * 16 + ["未知"] * 5
LITERATE_COUNT = 20
BRANCH_NAMES = [
    "机关第一党支部",
    "机关第二党支部",
    "机关第三党支部",
    "离退休干部党支部",
    "直属单位党支部",
    "机关第四党支部",
]


def _org_kind(index: int, branches: int) -> str:
    if branches >= 5:
        return "机关党委"
    return "党总支" if branches >= 3 else "机关党委" if index % 7 == 0 else "党总支"


def organization_rows(context: DemoContext) -> tuple[list[list[str]], dict[str, list[str]]]:
    """Return the organization rows and, per organization code, the codes of its branches."""
    rng = context.rng
    network = NETWORK_MIX[:]
    rng.shuffle(network)
    literate = set(rng.sample(range(len(DEPARTMENTS)), LITERATE_COUNT))
    rows = [
        [
            ROOT_CODE,
            ROOT_NAME,
            "市直机关工委",
            "工委",
            "",
            "1984-07-01",
            "办公室",
            "0731-88886666",
            "内网直连",
            "是",
        ]
    ]
    branches_of: dict[str, list[str]] = {}
    for i, department in enumerate(DEPARTMENTS):
        code = f"A{i + 1:02d}"
        branches = rng.randint(1, 6)
        kind = _org_kind(i, branches)
        short = department.removeprefix("市").removeprefix("共青团江城市")
        rows.append(
            [
                code,
                f"中共江城{department}{kind}",
                short or department,
                kind,
                ROOT_CODE,
                f"{rng.randint(1985, 2015)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}",
                f"{rng.choice(SURNAMES)}{rng.choice(GIVEN)}",
                f"0731-8{rng.randint(1000000, 9999999)}",
                network[i],
                "是" if i in literate else "否",
            ]
        )
        branches_of[code] = []
        for b in range(branches):
            branch_code = f"{code}{b + 1:02d}"
            branches_of[code].append(branch_code)
            rows.append(
                [
                    branch_code,
                    f"{department}{BRANCH_NAMES[b]}",
                    "",
                    "党支部",
                    code,
                    "",
                    "",
                    "",
                    network[i],
                    "",
                ]
            )
    return rows, branches_of


def member_rows(branches_of: dict[str, list[str]], total: int, rng) -> list[list[str]]:
    branch_codes = [b for codes in branches_of.values() for b in codes]
    used: set[str] = set()
    # The first rows go to the first organization so its demo accounts have colleagues.
    return [
        member_row(
            rng, branches_of["A01"][0] if n < 30 else branch_codes[n % len(branch_codes)], used
        )
        for n in range(total)
    ]


def build_organizations(context: DemoContext, total_members: int = 2000) -> None:
    org_rows, branches_of = organization_rows(context)
    organizations_import(
        actor=SYSTEM, data=csv_bytes(list(ORG_COLUMNS), org_rows), filename="orgs.csv"
    )
    members_import(
        actor=SYSTEM,
        data=csv_bytes(list(MEMBER_COLUMNS), member_rows(branches_of, total_members, context.rng)),
        filename="members.csv",
    )
    context.data["root"] = Organization.objects.get(code=ROOT_CODE)
    context.data["first_org"] = Organization.objects.get(code="A01")
    context.data["other_org"] = Organization.objects.get(code="A02")
    context.data["first_branch"] = Organization.objects.get(code=branches_of["A01"][0])
    context.data["first_org_members"] = list(
        Member.objects.filter(organization__path__startswith="/GW/A01/").order_by("id")[:2]
    )


build_organizations.order = 10  # type: ignore[attr-defined]  # read by core.demo.build_demo
