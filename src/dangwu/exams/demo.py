# ruff: noqa: E501  (question texts are kept whole, as written)
"""Demo question bank (党章, 党史, 党规; written for the demo), the published 党章知识测试 and a
closed 党史 quiz with a few attempts, all made through the services as the school administrator.
"""

from datetime import timedelta
from typing import Any

from django.utils import timezone

from dangwu.accounts.models import User
from dangwu.core.demo import DemoContext
from dangwu.exams import selectors, services
from dangwu.exams.enums import QuestionKind
from dangwu.exams.models import Question

S, M, TF, F = (
    QuestionKind.SINGLE,
    QuestionKind.MULTIPLE,
    QuestionKind.TRUE_FALSE,
    QuestionKind.FILL,
)
# kind, tag, difficulty, stem, options, answer, explanation
QUESTIONS: list[tuple[str, str, str, str, list[str], str, str]] = [
    # ------------------------------------------------------------------ 党章
    (
        S,
        "党章",
        "easy",
        "中国共产党是中国工人阶级的先锋队，同时是（　）的先锋队。",
        ["中国人民和中华民族", "中国农民阶级", "全体劳动者", "知识分子"],
        "A",
        "党章总纲：中国共产党是中国工人阶级的先锋队，同时是中国人民和中华民族的先锋队。",
    ),
    (
        S,
        "党章",
        "easy",
        "党的最高理想和最终目标是（　）。",
        ["实现共产主义", "全面建成小康社会", "实现社会主义现代化", "发展社会生产力"],
        "A",
        "党章总纲：党的最高理想和最终目标是实现共产主义。",
    ),
    (
        S,
        "党章",
        "easy",
        "党的根本宗旨是（　）。",
        ["全心全意为人民服务", "实现共产主义", "以经济建设为中心", "坚持改革开放"],
        "A",
        "党章总纲：党除了工人阶级和最广大人民群众的利益，没有自己特殊的利益；根本宗旨是全心全意为人民服务。",
    ),
    (
        S,
        "党章",
        "easy",
        "预备党员的预备期为（　）。",
        ["半年", "一年", "两年", "三年"],
        "B",
        "党章第七条：预备党员的预备期为一年。",
    ),
    (
        S,
        "党章",
        "easy",
        "年满（　）岁的中国工人、农民、军人、知识分子和其他社会阶层的先进分子，可以申请加入中国共产党。",
        ["十六", "十八", "二十", "二十二"],
        "B",
        "党章第一条。",
    ),
    (
        S,
        "党章",
        "medium",
        "党的最高领导机关是（　）。",
        [
            "党的全国代表大会和它所产生的中央委员会",
            "中央政治局",
            "中央书记处",
            "中央纪律检查委员会",
        ],
        "A",
        "党章第十条：党的最高领导机关，是党的全国代表大会和它所产生的中央委员会。",
    ),
    (
        S,
        "党章",
        "medium",
        "党的全国代表大会每（　）年举行一次，由中央委员会召集。",
        ["三", "四", "五", "十"],
        "C",
        "党章第十九条。",
    ),
    (
        S,
        "党章",
        "medium",
        "党员如果没有正当理由，连续（　）个月不参加党的组织生活，或不交纳党费，或不做党所分配的工作，就被认为是自行脱党。",
        ["三", "六", "九", "十二"],
        "B",
        "党章第九条。",
    ),
    (
        S,
        "党章",
        "medium",
        "企业、农村、机关等基层单位，凡是有正式党员（　）人以上的，都应当成立党的基层组织。",
        ["二", "三", "五", "七"],
        "B",
        "党章第三十条。",
    ),
    (
        S,
        "党章",
        "medium",
        "发展党员，必须有（　）名正式党员作介绍人。",
        ["一", "两", "三", "四"],
        "B",
        "党章第五条。",
    ),
    (
        M,
        "党章",
        "medium",
        "党的纪律处分有哪些？（　）",
        ["警告", "严重警告", "撤销党内职务", "留党察看", "开除党籍"],
        "ABCDE",
        "党章第四十条：党的纪律处分有五种：警告、严重警告、撤销党内职务、留党察看、开除党籍。",
    ),
    (
        M,
        "党章",
        "hard",
        "党的思想路线是一切从实际出发，（　），在实践中检验真理和发展真理。",
        ["理论联系实际", "实事求是", "本本主义", "照搬照抄"],
        "AB",
        "党章总纲。",
    ),
    (
        TF,
        "党章",
        "medium",
        "预备党员的权利，除了没有表决权、选举权和被选举权以外，也同正式党员一样。",
        [],
        "T",
        "党章第七条。",
    ),
    (
        TF,
        "党章",
        "hard",
        "留党察看处分最长不超过一年。",
        [],
        "F",
        "党章第四十条：留党察看最长不超过两年。",
    ),
    (TF, "党章", "medium", "党员有退党的自由。", [], "T", "党章第九条：党员有退党的自由。"),
    (TF, "党章", "easy", "入党誓词中有“永不叛党”的誓言。", [], "T", "党章第六条规定的入党誓词。"),
    (
        F,
        "党章",
        "easy",
        "党是根据自己的纲领和章程，按照____原则组织起来的统一整体。",
        [],
        "民主集中制",
        "党章总纲：党是根据自己的纲领和章程，按照民主集中制组织起来的统一整体。",
    ),
    (
        F,
        "党章",
        "medium",
        "党在社会主义初级阶段的基本路线的核心内容是“一个中心、两个基本点”，其中“一个中心”是以____为中心。",
        [],
        "经济建设",
        "党章总纲。",
    ),
    # ------------------------------------------------------------------ 党史
    (
        S,
        "党史",
        "easy",
        "中国共产党第一次全国代表大会于（　）年召开。",
        ["1919", "1921", "1927", "1935"],
        "B",
        "1921年7月，中共一大在上海召开。",
    ),
    (
        S,
        "党史",
        "easy",
        "中共一大最后一天的会议转移到（　）的一艘游船上举行。",
        ["浙江嘉兴南湖", "杭州西湖", "上海黄浦江", "南京玄武湖"],
        "A",
        "",
    ),
    (
        S,
        "党史",
        "medium",
        "确立毛泽东在党中央和红军的领导地位，在极其危急的情况下挽救了党、挽救了红军的会议是（　）。",
        ["八七会议", "古田会议", "遵义会议", "洛川会议"],
        "C",
        "1935年1月的遵义会议。",
    ),
    (
        S,
        "党史",
        "easy",
        "1927年8月1日，（　）打响了武装反抗国民党反动派的第一枪。",
        ["秋收起义", "南昌起义", "广州起义", "百色起义"],
        "B",
        "",
    ),
    (
        S,
        "党史",
        "hard",
        "1929年12月召开的（　），确立了思想建党、政治建军的原则。",
        ["古田会议", "遵义会议", "瓦窑堡会议", "八七会议"],
        "A",
        "即中国共产党红军第四军第九次代表大会。",
    ),
    (
        S,
        "党史",
        "medium",
        "党的十一届三中全会于（　）年召开，实现了新中国成立以来党的历史上具有深远意义的伟大转折。",
        ["1976", "1978", "1980", "1982"],
        "B",
        "",
    ),
    (
        S,
        "党史",
        "easy",
        "中华人民共和国于（　）成立。",
        ["1945年8月15日", "1949年10月1日", "1950年10月1日", "1949年9月21日"],
        "B",
        "",
    ),
    (
        S,
        "党史",
        "medium",
        "1949年3月召开的（　）提出了“两个务必”。",
        ["党的七届二中全会", "党的八大", "党的七大", "遵义会议"],
        "A",
        "务必使同志们继续地保持谦虚、谨慎、不骄、不躁的作风，务必使同志们继续地保持艰苦奋斗的作风。",
    ),
    (
        M,
        "党史",
        "medium",
        "中国共产党在新民主主义革命时期战胜敌人的“三大法宝”是（　）。",
        ["统一战线", "武装斗争", "党的建设", "土地革命"],
        "ABC",
        "毛泽东《〈共产党人〉发刊词》。",
    ),
    (
        M,
        "党史",
        "hard",
        "中国共产党历史上的三个历史决议是（　）。",
        [
            "《关于若干历史问题的决议》",
            "《关于建国以来党的若干历史问题的决议》",
            "《中共中央关于党的百年奋斗重大成就和历史经验的决议》",
            "《论持久战》",
        ],
        "ABC",
        "分别于1945年、1981年、2021年通过。",
    ),
    (
        TF,
        "党史",
        "medium",
        "1936年10月，红军三大主力在甘肃会宁、宁夏将台堡会师，标志着长征胜利结束。",
        [],
        "T",
        "",
    ),
    (
        TF,
        "党史",
        "medium",
        "党的七大把毛泽东思想确立为党的指导思想。",
        [],
        "T",
        "1945年召开的党的七大。",
    ),
    (
        F,
        "党史",
        "easy",
        "1935年1月召开的____会议，是党的历史上一个生死攸关的转折点。",
        [],
        "遵义",
        "",
    ),
    (F, "党史", "easy", "中国共产党第一次全国代表大会在____开幕（填城市名）。", [], "上海", ""),
    # ------------------------------------------------------------------ 党规
    (
        S,
        "党规",
        "medium",
        "《中国共产党纪律处分条例》规定的党的纪律，包括政治纪律、组织纪律、廉洁纪律、群众纪律、工作纪律和（　）。",
        ["生活纪律", "财经纪律", "宣传纪律", "保密纪律"],
        "A",
        "",
    ),
    (
        S,
        "党规",
        "easy",
        "中央八项规定于（　）年12月由中央政治局会议审议通过。",
        ["2010", "2012", "2014", "2016"],
        "B",
        "",
    ),
    (
        S,
        "党规",
        "easy",
        "“三会一课”中的“一课”是指（　）。",
        ["党课", "团课", "业务课", "形势政策课"],
        "A",
        "",
    ),
    (
        S,
        "党规",
        "medium",
        "按照《中国共产党支部工作条例（试行）》，党员大会一般每（　）召开1次。",
        ["月", "季度", "半年", "年"],
        "B",
        "",
    ),
    (
        S,
        "党规",
        "medium",
        "按照《中国共产党支部工作条例（试行）》，支部委员会会议一般每（　）召开1次。",
        ["月", "季度", "半年", "年"],
        "A",
        "",
    ),
    (
        S,
        "党规",
        "medium",
        "党员领导干部民主生活会一般每（　）召开1次。",
        ["季度", "半年", "年", "两年"],
        "C",
        "",
    ),
    (
        M,
        "党规",
        "easy",
        "“三会一课”中的“三会”是指（　）。",
        ["支部党员大会", "支部委员会", "党小组会", "民主生活会"],
        "ABC",
        "",
    ),
    (
        M,
        "党规",
        "medium",
        "下列属于党的纪律处分的有（　）。",
        ["警告", "严重警告", "留党察看", "记过"],
        "ABC",
        "记过是政务处分，不是党纪处分。",
    ),
    (
        TF,
        "党规",
        "easy",
        "党员领导干部应当以普通党员身份参加所在党支部或者党小组的组织生活。",
        [],
        "T",
        "即“双重组织生活”制度。",
    ),
    (
        TF,
        "党规",
        "medium",
        "党员受到留党察看处分期间，没有表决权、选举权和被选举权。",
        [],
        "T",
        "党章第四十条。",
    ),
    (
        TF,
        "党规",
        "medium",
        "党支部组织生活会一般每半年召开1次。",
        [],
        "F",
        "《中国共产党支部工作条例（试行）》：组织生活会一般每年召开1次。",
    ),
    (
        F,
        "党规",
        "medium",
        "中央八项规定第一条要求改进____，深入基层，深入群众。",
        [],
        "调查研究",
        "",
    ),
]


def build_exams(context: DemoContext) -> None:
    admin = User.objects.get(username="demo-schooladmin")
    root = context.data["root"]
    questions = [
        services.question_create(
            actor=admin,
            kind=kind,
            tags=[tag],
            difficulty=difficulty,
            stem=stem,
            options=options,
            answer=answer,
            explanation=explanation,
            organization=root,
        )
        for kind, tag, difficulty, stem, options, answer, explanation in QUESTIONS
    ]
    now = timezone.now()
    charter = services.exam_create(
        actor=admin,
        title="党章知识测试",
        description="从题库中按规则抽题：单选8题、多选2题、判断4题、填空2题，满分100分，60分合格。",
        organization=root,
        time_limit_minutes=30,
        attempts_allowed=3,
        pass_mark=60,
        shuffle_options=True,
        closes_at=now + timedelta(days=60),
        rules=[
            services.RuleSpec(kind=S, count=8, tag="党章", points=5),
            services.RuleSpec(kind=M, count=2, tag="党章", points=10),
            services.RuleSpec(kind=TF, count=4, tag="党章", points=5),
            services.RuleSpec(kind=F, count=2, tag="党章", points=10),
        ],
    )
    services.exam_publish(actor=admin, exam=charter)
    for username, right in (
        ("demo-secretary", 0.9),
        ("demo-orgclerk", 0.75),
        ("demo-other-secretary", 0.4),
    ):
        _take(context, User.objects.get(username=username), charter, right)

    history = [q for q in questions if "党史" in q.tag_list]
    quiz = services.exam_create(
        actor=admin,
        title="党史知识小测验（第一期）",
        description="固定试卷，已结束，可查看正确答案和解析。",
        organization=root,
        time_limit_minutes=20,
        attempts_allowed=1,
        pass_mark=60,
        questions=history,
        points=10,
    )
    services.exam_publish(actor=admin, exam=quiz)
    _take(context, User.objects.get(username="demo-member"), quiz, 0.85)
    _take(context, User.objects.get(username="demo-secretary"), quiz, 0.5)
    services.exam_close(actor=admin, exam=quiz)
    context.data["exams"] = {"charter": charter, "history_quiz": quiz}


def _take(context: DemoContext, user: User, exam: Any, right: float) -> None:
    attempt = services.attempt_start(actor=user, exam=exam)
    for item in selectors.attempt_paper(attempt):
        question: Question = item.question
        response = question.answer.split("|")[0]
        if context.rng.random() > right:
            response = _wrong(question)
        services.answer_save(
            actor=user, attempt=attempt, question_id=question.pk, response=response
        )
    services.attempt_submit(actor=user, attempt=attempt)


def _wrong(question: Question) -> str:
    if question.kind == TF:
        return "F" if question.answer == "T" else "T"
    if question.kind in (S, M):
        return "B" if question.answer != "B" else "A"
    return "不知道"


build_exams.order = 55  # type: ignore[attr-defined]  # read by core.demo.build_demo
