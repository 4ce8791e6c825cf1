"""Demo courses of the online Party school, written by us, and some study by the demo member.

党章学习: the Party Constitution chapter by chapter, summarized in our own words; 党史: a few
turning points. The computer-skills course belongs to the training app's demo. Everything goes
through the services acting as the demo school administrator; the member's study time is
credited with ``lesson_time_credit`` (as if measured), since no page was open.
"""

from decimal import Decimal

from dangwu.accounts.models import User
from dangwu.core.demo import DemoContext
from dangwu.school import services
from dangwu.school.enums import CourseCategory, LessonKind


def _body(*paragraphs: str) -> str:
    return "".join(p if p.startswith("<") else f"<p>{p}</p>" for p in paragraphs)


CHARTER_LESSONS = [
    (
        "总纲：党的性质、宗旨和指导思想",
        _body(
            "<h2>党的性质</h2>",
            "中国共产党是中国工人阶级的先锋队，同时是中国人民和中华民族的先锋队，是中国特色社会主义"
            "事业的领导核心。党的最高理想和最终目标是实现共产主义。",
            "<h2>党的宗旨</h2>",
            "党除了工人阶级和最广大人民群众的利益，没有自己特殊的利益。全心全意为人民服务是党的根本"
            "宗旨，党的一切工作都要坚持从群众中来、到群众中去。",
            "<h2>学习要点</h2>",
            "<ul><li>党章是党的根本大法，是全党必须共同遵守的根本行为规范。</li>"
            "<li>总纲阐明了党的性质、指导思想、奋斗目标和党的建设的基本要求。</li>"
            "<li>学习党章，要把党章的要求落实到日常工作和生活中。</li></ul>",
        ),
    ),
    (
        "第一章 党员：条件、义务和权利",
        _body(
            "<h2>谁可以申请入党</h2>",
            "年满十八岁的中国工人、农民、军人、知识分子和其他社会阶层的先进分子，承认党的纲领和章程，"
            "愿意参加党的一个组织并在其中积极工作、执行党的决议和按期交纳党费的，可以申请加入中国共产党。",
            "<h2>入党的程序</h2>",
            "申请入党，要有两名正式党员作介绍人，经过支部大会通过和上级党组织批准，并且经过预备期的考察。"
            "预备党员的预备期为一年。预备期满，支部大会讨论能否按期转为正式党员。",
            "<h2>义务和权利</h2>",
            "党章为党员规定了八项义务，例如认真学习、贯彻执行党的基本路线和各项方针政策、坚持党和人民的"
            "利益高于一切、自觉遵守党的纪律、密切联系群众等；同时规定了八项权利，例如参加党的有关会议、"
            "在党的会议上参加讨论、对党的工作提出建议、行使表决权选举权和被选举权等。",
            "<h2>组织生活</h2>",
            "每个党员都要编入党的一个支部、小组或其他特定组织，参加党的组织生活。党员没有正当理由，连续"
            "六个月不参加党的组织生活、不交纳党费、不做党所分配的工作，就被认为是自行脱党。",
        ),
    ),
    (
        "第二章至第五章 党的组织制度和各级组织",
        _body(
            "<h2>民主集中制</h2>",
            "党是根据自己的纲领和章程，按照民主集中制组织起来的统一整体。基本原则中最重要的是“四个服从”："
            "党员个人服从党的组织，少数服从多数，下级组织服从上级组织，全党各个组织和全体党员服从党的"
            "全国代表大会和中央委员会。",
            "<h2>中央组织</h2>",
            "党的全国代表大会每五年举行一次，由中央委员会召集。中央委员会每届任期五年，全体会议每年至少"
            "举行一次，由中央政治局召集。",
            "<h2>地方组织和基层组织</h2>",
            "党的省、市、县各级代表大会每五年举行一次。企业、农村、机关、学校、科研院所、街道社区、社会"
            "组织和其他基层单位，凡是有正式党员三人以上的，都应当成立党的基层组织。基层委员会、总支部"
            "委员会、支部委员会每届任期三年至五年。",
            "党支部是党的基础组织，担负直接教育党员、管理党员、监督党员和组织群众、宣传群众、凝聚群众、"
            "服务群众的职责。",
        ),
    ),
    (
        "第六章至第八章 党的干部和党的纪律",
        _body(
            "<h2>党的干部</h2>",
            "党的干部是党的事业的骨干，是人民的公仆，要做到忠诚干净担当。党坚持德才兼备、以德为先，"
            "坚持五湖四海、任人唯贤。",
            "<h2>党的纪律</h2>",
            "党的纪律是党的各级组织和全体党员必须遵守的行为规则。对党员的纪律处分有五种：警告、严重警告、"
            "撤销党内职务、留党察看、开除党籍。留党察看最长不超过两年。",
            "<h2>党的纪律检查机关</h2>",
            "党的中央纪律检查委员会在党的中央委员会领导下进行工作。党的地方各级纪律检查委员会和基层纪律"
            "检查委员会在同级党的委员会和上级纪律检查委员会双重领导下进行工作。",
        ),
    ),
    (
        "第九章至第十一章 党组、共青团、党徽党旗",
        _body(
            "<h2>党组</h2>",
            "在中央和地方国家机关、人民团体、经济组织、文化组织和其他非党组织的领导机关中，可以成立党组。"
            "党组发挥把方向、管大局、保落实的领导作用。",
            "<h2>党和共青团的关系</h2>",
            "中国共产主义青年团是中国共产党领导的先进青年的群众组织，是广大青年在实践中学习中国特色社会"
            "主义和共产主义的学校，是党的助手和后备军。",
            "<h2>党徽党旗</h2>",
            "中国共产党党徽为镰刀和锤头组成的图案。中国共产党党旗为旗面缀有金黄色党徽图案的红旗。党徽党旗"
            "是中国共产党的象征和标志，党的各级组织和每一个党员都要维护党徽党旗的尊严。",
        ),
    ),
]

HISTORY_LESSONS = [
    (
        "开天辟地：中国共产党的诞生",
        _body(
            "1921年7月，中国共产党第一次全国代表大会在上海召开，最后一天的会议转移到浙江嘉兴南湖的一条"
            "游船上举行。大会通过了党的第一个纲领，宣告中国共产党正式成立。",
            "中国共产党的诞生，是近代中国社会进步和革命发展的客观要求，是开天辟地的大事变。",
        ),
    ),
    (
        "伟大转折：遵义会议",
        _body(
            "1935年1月，中共中央政治局在贵州遵义召开扩大会议，集中解决当时具有决定意义的军事和组织问题。",
            "遵义会议在最危急的关头挽救了党、挽救了红军、挽救了中国革命，是党的历史上一个生死攸关的转折点。",
        ),
    ),
    (
        "新中国的成立",
        _body(
            "1949年10月1日，中华人民共和国中央人民政府成立典礼在北京天安门广场隆重举行。",
            "新中国的成立，标志着中国人民从此站起来了，中国发展从此开启了新纪元。",
        ),
    ),
    (
        "改革开放的伟大决策",
        _body(
            "1978年12月，党的十一届三中全会在北京召开，重新确立了解放思想、实事求是的思想路线，作出把党"
            "和国家工作中心转移到经济建设上来、实行改革开放的历史性决策。",
            "这次全会开启了改革开放和社会主义现代化建设的伟大征程。",
        ),
    ),
]


def build_school(context: DemoContext) -> None:
    admin = User.objects.get(username="demo-schooladmin")
    member = User.objects.get(username="demo-member")
    root = context.data["root"]
    charter = services.course_create(
        actor=admin,
        title="党章学习",
        category=CourseCategory.CHARTER,
        organization=root,
        description="逐章学习《中国共产党章程》的主要内容：党的性质和宗旨、党员、组织制度、干部和纪律。",
    )
    charter_lessons = [
        services.lesson_create(
            actor=admin,
            course=charter,
            title=title,
            kind=LessonKind.TEXT,
            hours=Decimal("1.0"),
            required_minutes=20,
            body=body,
        )
        for title, body in CHARTER_LESSONS
    ]
    services.course_publish(actor=admin, course=charter)
    history = services.course_create(
        actor=admin,
        title="党史上的重要时刻",
        category=CourseCategory.HISTORY,
        organization=root,
        description="从建党到改革开放，用几个短课回顾党的历史上的重要时刻。",
        prerequisites=[charter],
    )
    for title, body in HISTORY_LESSONS:
        services.lesson_create(
            actor=admin,
            course=history,
            title=title,
            kind=LessonKind.TEXT,
            hours=Decimal("0.5"),
            required_minutes=10,
            body=body,
        )
    services.course_publish(actor=admin, course=history)
    # The demo member has finished two lessons of 党章学习 and is half-way through the third.
    for lesson in charter_lessons[:2]:
        services.lesson_time_credit(actor=member, lesson=lesson, seconds=lesson.required_seconds)
    services.lesson_time_credit(actor=member, lesson=charter_lessons[2], seconds=9 * 60)
    context.data["school_courses"] = {"charter": charter, "history": history}


build_school.order = 80  # type: ignore[attr-defined]  # read by core.demo.build_demo
