"""Demo documents: saved groups and a few documents in every state, receipts partly signed.

Everything goes through the services, acting as the demo clerk, leader and secretary, so the
steps and the audit trail look as in real use.
"""

from datetime import timedelta

from django.utils import timezone

from dangwu.access import SYSTEM
from dangwu.accounts.models import User
from dangwu.core.demo import DemoContext
from dangwu.documents import services
from dangwu.documents.enums import Disclosure, DocType, GroupRule, Urgency
from dangwu.documents.models import Receipt

ISSUER_MARK = "中共江城市直属机关工作委员会文件"
CODE = "江直工"


def _body(*paragraphs: str) -> str:
    return "".join(f"<p>{p}</p>" for p in paragraphs)


DOCUMENTS = [
    # title, type, urgency, reply asked, the state to reach
    (
        "关于开展2026年度机关党组织书记抓党建述职评议考核工作的通知",
        DocType.NOTICE,
        Urgency.URGENT,
        True,
        "distributed",
    ),
    ("关于做好2026年度党费收缴工作的通知", DocType.NOTICE, Urgency.NORMAL, False, "distributed"),
    ("关于表扬2025年度优秀基层党组织的通报", DocType.CIRCULAR, Urgency.NORMAL, False, "signed"),
    ("关于加强机关青年理论学习的意见", DocType.OPINION, Urgency.NORMAL, False, "awaiting_signoff"),
    ("关于召开机关党建工作推进会的通知", DocType.NOTICE, Urgency.EXTRA_URGENT, False, "in_review"),
    ("关于开展主题党日活动的通知", DocType.NOTICE, Urgency.NORMAL, False, "returned"),
    ("关于报送党员教育培训计划的通知", DocType.NOTICE, Urgency.NORMAL, True, "draft"),
]


def build_documents(context: DemoContext) -> None:
    clerk = User.objects.get(username="demo-clerk")
    leader = User.objects.get(username="demo-leader")
    secretary = User.objects.get(username="demo-secretary")
    root = context.data["root"]
    committees = services.group_create(
        actor=SYSTEM, name="全市直机关党委", rule=GroupRule.PARTY_COMMITTEES
    )
    services.group_create(
        actor=SYSTEM, name="未接入内网的党组织", rule=GroupRule.NO_INTERNAL_NETWORK
    )
    services.group_create(
        actor=SYSTEM,
        name="试点单位",
        rule=GroupRule.LIST,
        organizations=[context.data["first_org"], context.data["other_org"]],
    )
    for title, doc_type, urgency, reply, state in DOCUMENTS:
        document = services.document_create(
            actor=clerk,
            organization=root,
            doc_type=doc_type,
            issuer_mark=ISSUER_MARK,
            code=CODE,
            title=title,
            urgency=urgency,
            classification="none",
            disclosure=Disclosure.ON_REQUEST,
            main_groups=[committees],
            copy_organizations=[],
            main_line="各机关党委",
            body=_body(
                "为深入贯彻落实新时代党的建设总要求，推动机关党建工作高质量发展，现就有关事项通知如下。",
                "一、高度重视，精心组织。各单位要把此项工作摆上重要议事日程，明确责任分工。",
                "二、突出重点，务求实效。要结合本单位实际，细化工作措施，确保各项任务落到实处。",
            ),
            contact="联系人：张秀英，电话：0731-12345678",
            reply_required=reply,
            reply_due=timezone.now() + timedelta(days=10) if reply else None,
        )
        if state == "draft":
            continue
        services.document_submit(actor=clerk, document=document)
        if state == "returned":
            services.document_return(
                actor=clerk, document=document, comment="请补充活动时间和参加范围。"
            )
            continue
        if state == "in_review":
            continue
        services.document_review(actor=clerk, document=document)
        if state == "awaiting_signoff":
            continue
        services.document_sign(actor=leader, document=document, comment="同意。")
        if state == "signed":
            continue
        services.document_distribute(actor=clerk, document=document)
    # Some organizations have signed for the first distributed document; one has replied.
    first = Receipt.objects.filter(document__title=DOCUMENTS[0][0]).order_by("organization__path")
    for receipt in first[: max(1, first.count() // 2)]:
        services.receipt_sign(actor=SYSTEM, receipt=receipt)
    own = first.filter(organization=context.data["first_org"]).first()
    if own is not None and own.status != "unsigned":
        services.receipt_reply(
            actor=secretary, receipt=own, text="我委已按要求完成述职评议准备工作，名单见附件。"
        )


build_documents.order = 60  # type: ignore[attr-defined]  # read by core.demo.build_demo
