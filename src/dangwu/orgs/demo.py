"""Demo organizations and members: the committee, 47 organizations of a city's government
departments with 1–6 branches each, about 2,000 members with synthetic names.

Network access follows the committee's survey: 11 内网直连, 15 经办公室内网, 16 未接入, 5 未知;
20 secretaries can operate a computer. Everything goes through the spreadsheet imports.
"""

import csv
import io
from datetime import date, timedelta

from dangwu.access import SYSTEM
from dangwu.core.demo import DemoContext
from dangwu.core.personal import id_check_char
from dangwu.orgs.imports import MEMBER_COLUMNS, ORG_COLUMNS, members_import, organizations_import
from dangwu.orgs.models import Member, Organization

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

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余"
    "杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙"
    "史黎贺顾毛郝龚邵万钱覃武戴孔汤庞"
)
GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国红梅文斌辉鹏飞宇晨浩然欣怡子"
    "涵思远志诚海燕春兰立新振华卫东晓光建平玉兰德明永红雪松"
)
POSTS = ["", "", "", "", "组织委员", "宣传委员", "纪检委员"]
EDUCATIONS = ["研究生", "大学本科", "大学本科", "大学本科", "大专", "中专及高中"]
AREA_CODES = ["430102", "430103", "430104", "430105", "430111", "430121"]


def _csv(columns: dict[str, str], rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(list(columns))
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


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


def _id_number(rng, birth: date, index: int, male: bool) -> str:
    # The 17th digit is odd for men and even for women (GB 11643).
    serial = (index % 500) * 2 + (1 if male else 0)
    body = f"{rng.choice(AREA_CODES)}{birth:%Y%m%d}{serial:03d}"
    return body + id_check_char(body)


def member_rows(
    context: DemoContext, branches_of: dict[str, list[str]], total: int
) -> list[list[str]]:
    rng = context.rng
    branch_codes = [b for codes in branches_of.values() for b in codes]
    rows = []
    for n in range(total):
        birth = date(1955, 1, 1) + timedelta(days=rng.randint(0, 365 * 44))
        joined = birth + timedelta(days=365 * rng.randint(19, 35) + rng.randint(0, 300))
        joined = min(joined, date(2025, 6, 1))
        probationary = joined > date(2024, 12, 1) or rng.random() < 0.03
        full = "" if probationary else (joined + timedelta(days=366)).isoformat()
        # The first rows go to the first organization so its demo accounts have colleagues.
        branch = branches_of["A01"][0] if n < 30 else branch_codes[n % len(branch_codes)]
        male = rng.random() < 0.58
        rows.append(
            [
                rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, rng.choice((1, 2)))),
                "男" if male else "女",
                "汉族" if rng.random() < 0.92 else rng.choice(["回族", "土家族", "苗族", "侗族"]),
                birth.isoformat(),
                _id_number(rng, birth, n, male),
                rng.choice(EDUCATIONS),
                "预备党员" if probationary else "正式党员",
                joined.isoformat(),
                full,
                branch,
                rng.choice(POSTS),
                f"1{rng.choice('3578')}{rng.randint(100000000, 999999999)}",
                "正常",
            ]
        )
    return rows


def build_organizations(context: DemoContext, total_members: int = 2000) -> None:
    org_rows, branches_of = organization_rows(context)
    organizations_import(actor=SYSTEM, data=_csv(ORG_COLUMNS, org_rows), filename="orgs.csv")
    members_import(
        actor=SYSTEM,
        data=_csv(MEMBER_COLUMNS, member_rows(context, branches_of, total_members)),
        filename="members.csv",
    )
    context.data["root"] = Organization.objects.get(code=ROOT_CODE)
    context.data["first_org"] = Organization.objects.get(code="A01")
    context.data["other_org"] = Organization.objects.get(code="A02")
    context.data["first_branch"] = Organization.objects.get(code=branches_of["A01"][0])
    context.data["first_org_members"] = list(
        Member.objects.filter(organization__path__startswith="/GW/A01/").order_by("id")[:2]
    )


build_organizations.order = 10
