"""Demo incoming documents: a few in each state of the handling, through the real services."""

from datetime import timedelta

from django.utils import timezone

from dangwu.accounts.models import User
from dangwu.core.demo import DemoContext
from dangwu.incoming import services
from dangwu.incoming.enums import Urgency

DOCUMENTS = [
    # (source, number, title, urgency, days ago, how far it gets)
    (
        "市委组织部",
        "市委组〔2026〕31号",
        "关于做好2026年度党员发展工作的通知",
        Urgency.NORMAL,
        2,
        0,
    ),
    (
        "市委宣传部",
        "市委宣〔2026〕18号",
        "关于开展理论学习中心组专题学习的通知",
        Urgency.URGENT,
        4,
        1,
    ),
    (
        "市纪委监委",
        "市纪〔2026〕9号",
        "关于重要节日期间严明纪律要求的通知",
        Urgency.VERY_URGENT,
        6,
        2,
    ),
    (
        "省委直属机关工委",
        "省直工〔2026〕22号",
        "关于开展模范机关创建评估的通知",
        Urgency.NORMAL,
        9,
        3,
    ),
    ("市委办公室", "市委办〔2026〕40号", "关于做好基层党组织换届工作的意见", Urgency.NORMAL, 20, 4),
    ("市委组织部", "市委组〔2026〕12号", "关于规范党费收缴使用管理的通知", Urgency.NORMAL, 40, 4),
]


def build_incoming(context: DemoContext) -> None:
    clerk = User.objects.get(username="demo-clerk")
    leader = User.objects.get(username="demo-leader")
    secretary = User.objects.get(username="demo-secretary")
    root = context.data["root"]
    today = timezone.localdate()
    completed = []
    for source, number, title, urgency, days_ago, reach in DOCUMENTS:
        received = today - timedelta(days=days_ago)
        document = services.incoming_register(
            actor=clerk,
            organization=root,
            source=source,
            source_number=number,
            title=title,
            document_date=received - timedelta(days=2),
            received_on=received,
            urgency=urgency,
        )
        if reach >= 1:
            services.incoming_propose(
                actor=clerk,
                document=document,
                proposal="拟请王建国同志阅示，由组织科承办。",
                leader=leader,
            )
        if reach >= 2:
            services.incoming_instruct(
                actor=leader, document=document, instruction="同意，请组织科抓好落实。"
            )
            services.incoming_circulate(actor=clerk, document=document, readers=[leader])
        if reach >= 3:
            services.incoming_assign(
                actor=clerk,
                document=document,
                people=[secretary],
                deadline=today + timedelta(days=10),
            )
        if reach >= 4:
            services.incoming_mark_read(actor=leader, document=document, comment="已阅。")
            services.incoming_complete(
                actor=clerk, document=document, result="已按要求部署落实，情况已报来文机关。"
            )
            completed.append(document)
    context.data["incoming_completed"] = completed


build_incoming.order = 40  # type: ignore[attr-defined]  # read by core.demo.build_demo
