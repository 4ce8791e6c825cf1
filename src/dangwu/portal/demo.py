"""Demo portal: the committee's columns and a dozen articles in every state of the workflow.

Columns follow the two websites the committee runs today; the articles are written for the demo
(no real persons). Everything goes through the portal's services, acting as the demo editor and
the demo secretary, so the revisions and the audit trail look as they would in real use.
"""

from datetime import timedelta

from django.utils import timezone

from dangwu.access import SYSTEM, Role
from dangwu.accounts.models import User
from dangwu.core.demo import DemoContext
from dangwu.core.visibility import Visibility
from dangwu.portal.enums import SourceKind
from dangwu.portal.models import Column
from dangwu.portal.services import (
    article_create,
    article_publish,
    article_return,
    article_submit,
    column_create,
)

COLUMNS = [
    # slug, name, visibility, description, link
    ("yaowen", "要闻要论", Visibility.PUBLIC, "党的理论和方针政策，重要评论文章", ""),
    ("dongtai", "机关党建动态", Visibility.PUBLIC, "市直机关各级党组织的工作动态", ""),
    ("luntan", "党建论坛", Visibility.PUBLIC, "机关党建工作的思考与交流", ""),
    ("liangxing", "两型机关建设", Visibility.PUBLIC, "资源节约型、环境友好型机关建设", ""),
    ("jianghua", "领导讲话", Visibility.INTERNAL, "工委领导在重要会议上的讲话", ""),
    ("tongzhi", "工委通知通告", Visibility.INTERNAL, "工委发布的通知和通告", ""),
    ("wenjian", "工委文件", Visibility.INTERNAL, "工委印发的文件", ""),
    ("jijian", "纪检监察信息", Visibility.INTERNAL, "纪检监察工作信息", ""),
    ("dangxiao", "网上党校", Visibility.INTERNAL, "在线学习课程与培训", "/school/"),
    ("jingdian", "经典名著", Visibility.INTERNAL, "马克思主义经典著作阅览室", "/library/classics/"),
]


def _body(*paragraphs: str) -> str:
    return "".join(f"<p>{p}</p>" for p in paragraphs)


# slug, title, source kind, source name, author, body; the editor writes and publishes these.
PUBLISHED = [
    (
        "yaowen",
        "深入学习贯彻党的创新理论 推动机关党建高质量发展",
        SourceKind.COMMITTEE,
        "市直机关工委",
        "工委办公室",
        _body(
            "近日，市直机关工委召开理论学习中心组学习会，围绕推动机关党建高质量发展进行专题学习研讨。",
            "会议指出，机关党建工作要坚持以党的政治建设为统领，把学习贯彻党的创新理论作为首要政治任务，"
            "引导党员干部在学懂弄通做实上下功夫，切实把学习成果转化为推动工作的实际成效。",
            "会议要求，各机关党组织要落实“三会一课”、主题党日、组织生活会等基本制度，"
            "推动党建工作和业务工作同谋划、同部署、同落实、同检查。",
        ),
    ),
    (
        "yaowen",
        "以高质量机关党建引领保障中心工作",
        SourceKind.DIGEST,
        "《机关党建》杂志（摘编）",
        "",
        _body(
            "机关党建是党的建设的重要组成部分。做好新时代机关党建工作，关键在于找准服务中心、建设队伍的结合点。",
            "一是坚持围绕中心抓党建，把党建工作融入业务工作全过程；二是坚持问题导向，"
            "着力解决“两张皮”问题；三是坚持从严要求，把严的基调贯穿机关党建全过程。",
        ),
    ),
    (
        "dongtai",
        "市直机关举办2026年度党务干部培训班",
        SourceKind.COMMITTEE,
        "市直机关工委",
        "组织部",
        _body(
            "为提升基层党务干部的业务能力，市直机关工委举办2026年度党务干部培训班，"
            "各直属党组织书记、党务干事共120余人参加培训。",
            "培训围绕党员发展、党费收缴、组织生活、电子党务平台操作等内容进行专题辅导，"
            "并安排了上机实操环节，帮助年龄较大的同志熟练掌握平台的基本功能。",
            "参训同志表示，培训内容贴近实际、针对性强，回去后将把所学运用到日常工作中。",
        ),
    ),
    (
        "luntan",
        "浅谈新形势下机关党支部标准化规范化建设",
        SourceKind.GRASSROOTS,
        "基层来稿",
        "机关党委办公室",
        _body(
            "党支部是党的基础组织，是党的全部工作和战斗力的基础。推进党支部标准化规范化建设，"
            "是夯实机关党建基础的重要抓手。",
            "笔者认为，一要建强支部班子，选优配强支部书记；二要规范组织生活，做到有计划、有记录、有检查；"
            "三要严格党员教育管理，发挥党员先锋模范作用；四要完善工作台账，做到资料齐全、一目了然。",
        ),
    ),
    (
        "liangxing",
        "节约一度电、一张纸、一滴水——市直机关深入推进节约型机关建设",
        SourceKind.COMMITTEE,
        "市直机关工委",
        "",
        _body(
            "今年以来，市直机关广泛开展节约型机关创建活动，倡导党员干部从节约一度电、一张纸、一滴水做起。",
            "各单位推行无纸化办公，会议材料电子化率明显提高；公共区域照明实行分时控制，"
            "办公用电同比下降；食堂推行“光盘行动”，餐饮浪费现象明显减少。",
        ),
    ),
    (
        "jianghua",
        "在市直机关党建工作会议上的讲话（摘要）",
        SourceKind.SPEECH,
        "市直机关党建工作会议",
        "工委书记",
        _body(
            "同志们：这次会议的主要任务是，总结去年机关党建工作，部署今年重点任务。",
            "过去一年，市直机关各级党组织认真履行管党治党责任，基层组织建设持续加强，"
            "作风建设取得新成效。同时也要看到，一些党组织存在工作不平衡、创新不够等问题。",
            "今年要重点抓好三个方面：一是持续加强思想政治建设；二是推进基层党组织全面进步全面过硬；"
            "三是加快电子党务平台推广应用，年底前实现直属党组织全覆盖。",
        ),
    ),
    (
        "wenjian",
        "市直机关工委2026年工作要点",
        SourceKind.COMMITTEE,
        "市直机关工委",
        "工委办公室",
        _body(
            "2026年市直机关党的工作的总体要求是：坚持以党的政治建设为统领，全面加强机关党的建设，"
            "为全市经济社会发展提供坚强保证。",
            "一、加强理论武装。二、夯实基层基础。三、加强党员队伍建设。四、深化作风建设。"
            "五、推进党务工作信息化，推广应用电子党务平台。",
        ),
    ),
    (
        "jijian",
        "市直机关纪工委开展廉政警示教育月活动",
        SourceKind.COMMITTEE,
        "市直机关纪工委",
        "",
        _body(
            "为进一步筑牢党员干部拒腐防变的思想防线，市直机关纪工委在全市直机关开展廉政警示教育月活动。",
            "活动期间，各单位组织党员干部观看警示教育片、参观廉政教育基地、开展廉政谈话，"
            "引导党员干部知敬畏、存戒惧、守底线。",
        ),
    ),
]

PINNED_NOTICE = (
    "关于开展2026年度党费收缴情况自查的通知",
    _body(
        "各直属党组织：",
        "为进一步规范党费收缴、使用和管理，经研究，决定在市直机关开展2026年度党费收缴情况自查工作。",
        "请各党组织对照党费收缴标准，认真核对每名党员的交纳基数和交纳金额，"
        "于本月底前将自查情况报工委组织部。",
        "市直机关工委",
    ),
)

SCHEDULED_NOTICE = (
    "关于做好“七一”期间走访慰问困难党员工作的通知",
    _body(
        "各直属党组织：",
        "“七一”前夕，请各党组织认真摸排生活困难党员、老党员情况，组织开展走访慰问，"
        "把党组织的关怀送到党员心坎上。",
        "市直机关工委",
    ),
)


def _user(username: str) -> User:
    return User.objects.get(username=username)


def build_portal(context: DemoContext) -> None:
    columns: dict[str, Column] = {}
    for order, (slug, name, visibility, description, link) in enumerate(COLUMNS, start=1):
        columns[slug] = column_create(
            actor=SYSTEM,
            slug=slug,
            name=name,
            visibility=visibility,
            order=order * 10,
            description=description,
            link=link,
            publisher_roles=[Role.EDITOR, Role.REVIEWER],
        )
    editor, secretary = _user("demo-editor"), _user("demo-secretary")
    root, first_org = context.data["root"], context.data["first_org"]
    now = timezone.now()

    def written_by_editor(slug: str, title: str, body: str, **extra):
        article = article_create(
            actor=editor,
            organization=root,
            column=columns[slug],
            title=title,
            body=body,
            source_kind=extra.pop("source_kind", SourceKind.COMMITTEE),
            **extra,
        )
        return article_submit(actor=editor, article=article)

    for days_ago, (slug, title, kind, source, author, body) in enumerate(PUBLISHED):
        article = written_by_editor(
            slug, title, body, source_kind=kind, source_name=source, author=author
        )
        article_publish(
            actor=editor, article=article, publish_at=now - timedelta(days=days_ago + 1)
        )

    notice = written_by_editor(
        "tongzhi", PINNED_NOTICE[0], PINNED_NOTICE[1], source_name="市直机关工委", pinned=True
    )
    article_publish(actor=editor, article=notice, publish_at=now - timedelta(hours=2))
    scheduled = written_by_editor(
        "tongzhi", SCHEDULED_NOTICE[0], SCHEDULED_NOTICE[1], source_name="市直机关工委"
    )
    article_publish(actor=editor, article=scheduled, publish_at=now + timedelta(days=7))

    # Contributions of the first organization: one published, one still a draft, one returned.
    org_name = first_org.short_name or first_org.name
    contribution = article_create(
        actor=secretary,
        organization=first_org,
        column=columns["dongtai"],
        title=f"{org_name}机关党组织开展“学思想、强党性”主题党日活动",
        source_kind=SourceKind.GRASSROOTS,
        source_name=first_org.name,
        author="机关党委办公室",
        body=_body(
            f"近日，{org_name}机关各党支部组织开展“学思想、强党性”主题党日活动。",
            "活动中，党员们重温入党誓词，集中学习党章党规，并结合岗位实际交流学习体会。",
            "大家表示，要把学习成果转化为做好本职工作的强大动力，在服务群众中践行初心使命。",
        ),
    )
    article_submit(actor=secretary, article=contribution)
    article_publish(actor=editor, article=contribution, publish_at=now - timedelta(hours=5))

    article_create(
        actor=secretary,
        organization=first_org,
        column=columns["dongtai"],
        title=f"{org_name}机关第二党支部开展读书分享会",
        source_kind=SourceKind.GRASSROOTS,
        source_name=first_org.name,
        body=_body("（草稿）本月支部读书分享会围绕党史学习展开，待补充活动照片和参加人数。"),
    )
    returned = article_create(
        actor=secretary,
        organization=first_org,
        column=columns["luntan"],
        title="关于基层党组织按期换届工作的几点体会",
        source_kind=SourceKind.GRASSROOTS,
        source_name=first_org.name,
        body=_body(
            "按期换届是党内政治生活的重要内容。我们在换届工作中，坚持提前谋划、严格程序。",
            "一是提前三个月摸底；二是严格按照程序请示报告；三是做好候选人考察工作。",
        ),
    )
    article_submit(actor=secretary, article=returned)
    article_return(
        actor=editor,
        article=returned,
        comment="内容较好，请补充换届工作中遇到的具体问题和解决办法，并注明作者姓名后再提交。",
    )
    context.data["portal_columns"] = columns


build_portal.order = 30  # type: ignore[attr-defined]  # read by core.demo.build_demo
