"""Demo submissions: a year of items from about thirty of the organizations, most adopted,
some returned or declined, a few still waiting, and a call for submissions open now.

Built through the services, acting as the organizations' secretaries and the demo editor.
"""

from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from dangwu.access import SYSTEM
from dangwu.accounts.models import User
from dangwu.core.demo import DemoContext
from dangwu.orgs.models import Organization
from dangwu.portal.models import Column
from dangwu.portal.services import article_publish, article_submit
from dangwu.submissions import services
from dangwu.submissions.enums import SubmissionKind
from dangwu.submissions.models import Submission, SubmissionEvent

TOTAL = 287  # what the committee received in a year before the platform
SENDING = 30  # of the organizations directly under the committee

ACTIVITIES = [
    ("开展“学思想、强党性”主题党日活动", SubmissionKind.NEWS),
    ("召开党史学习教育专题组织生活会", SubmissionKind.NEWS),
    ("组织党员志愿者走进社区开展服务", SubmissionKind.NEWS),
    ("举办青年理论学习小组读书分享会", SubmissionKind.NEWS),
    ("开展“三会一课”规范化建设督查", SubmissionKind.NEWS),
    ("召开党风廉政建设警示教育大会", SubmissionKind.NEWS),
    ("以“党建+业务”推动重点工作落地见效", SubmissionKind.PRACTICE),
    ("探索支部建在项目上的工作方法", SubmissionKind.PRACTICE),
    ("用好“学习强国”平台提升学习实效", SubmissionKind.PRACTICE),
    ("关于提高基层党组织活动质量的几点建议", SubmissionKind.SUGGESTION),
    ("关于流动党员教育管理的思考", SubmissionKind.SUGGESTION),
    ("新时代机关党建工作的实践与思考", SubmissionKind.THEORY),
    ("以高质量党建引领机关作风建设", SubmissionKind.THEORY),
    ("开展“七一”走访慰问困难党员活动", SubmissionKind.NEWS),
    ("组织收看专题教育片", SubmissionKind.OTHER),
]
PARAGRAPHS = [
    "为深入学习贯彻党的创新理论，进一步增强党员干部的政治意识，{org}机关党组织精心组织、周密部署。",
    "活动中，党员们重温入党誓词，围绕岗位职责交流学习体会，大家纷纷表示受益匪浅。",
    "下一步，{org}将把活动成果转化为推动工作的实际成效，持续提升机关党建工作质量。",
    "{org}坚持把党建工作与业务工作同谋划、同部署、同落实、同检查，形成了可复制的经验。",
]
RETURN_COMMENTS = [
    "请补充活动的时间、地点和参加人数，并附一至两张现场照片。",
    "标题请精炼到二十字以内，正文请删去与主题无关的内容。",
]
DECLINE_REASONS = [
    "同类内容本月已刊发多篇，此稿暂不采用。",
    "内容以会议流程为主，缺少具体做法和成效，暂不采用。",
]


def _body(org: Organization, rng: Any) -> str:
    name = org.short_name or org.name
    chosen = rng.sample(PARAGRAPHS, 3)
    return "".join(f"<p>{p.format(org=name)}</p>" for p in chosen)


def _stamp(submission: Submission, when: datetime) -> None:
    """Move an item's times back to ``when`` (the services stamp the present)."""
    Submission.objects.filter(pk=submission.pk).update(
        created_at=when - timedelta(hours=2),
        submitted_at=when,
        decided_at=when + timedelta(days=1) if submission.decided_at else None,
        updated_at=when + timedelta(days=1),
    )
    SubmissionEvent.objects.filter(submission=submission).update(created_at=when)


def build_submissions(context: DemoContext) -> None:
    rng = context.rng
    root: Organization = context.data["root"]
    first: Organization = context.data["first_org"]
    editor = User.objects.get(username="demo-editor")
    secretary = User.objects.get(username="demo-secretary")
    columns: dict[str, Column] = context.data["portal_columns"]
    places = [columns["dongtai"]] * 6 + [columns["luntan"], columns["jijian"], columns["jianghua"]]
    direct = list(Organization.objects.filter(parent=root).order_by("path"))
    senders = [first, *rng.sample([o for o in direct if o.pk != first.pk], SENDING - 1)]
    # A few organizations send much, most send a little (as the committee saw it).
    weights = [12] + [rng.choice([1, 1, 2, 3, 5, 8]) for _ in senders[1:]]
    now = timezone.now()
    start = now - timedelta(days=365)
    for number in range(TOTAL):
        org = rng.choices(senders, weights=weights)[0]
        actor = secretary if org.pk == first.pk else SYSTEM
        activity, kind = rng.choice(ACTIVITIES)
        day = start + timedelta(days=rng.randint(0, 358), hours=rng.randint(0, 8))
        submission = services.submission_create(
            actor=actor,
            organization=org,
            title=f"{org.short_name or org.name}{activity}",
            kind=kind,
            body=_body(org, rng),
            contact_name=org.contact_person or "办公室",
            suggested_column=columns["dongtai"],
        )
        services.submission_submit(actor=actor, submission=submission)
        roll = rng.random()
        if number >= TOTAL - 6:
            pass  # the last few still wait in the inbox
        elif roll < 0.08:
            services.submission_return(
                actor=editor, submission=submission, comment=rng.choice(RETURN_COMMENTS)
            )
        elif roll < 0.14:
            services.submission_decline(
                actor=editor, submission=submission, reason=rng.choice(DECLINE_REASONS)
            )
        else:
            column = rng.choice(places)
            article = services.submission_adopt(
                actor=editor, submission=submission, column=column, publish=False
            )
            article_submit(actor=editor, article=article)
            article_publish(actor=editor, article=article, publish_at=day + timedelta(days=1))
            if rng.random() < 0.06:
                services.submission_forward(actor=editor, submission=submission)
        submission.refresh_from_db()
        _stamp(submission, day)
    # The demo secretary's own: a draft, and one awaiting the editors now.
    services.submission_create(
        actor=secretary,
        organization=first,
        title=f"{first.short_name or first.name}机关第二党支部开展读书分享会（草稿）",
        kind=SubmissionKind.NEWS,
        body="<p>本月支部读书分享会围绕党史学习展开，待补充活动照片和参加人数。</p>",
    )
    due = timezone.localdate() + timedelta(days=20)
    services.call_create(
        actor=editor,
        organization=root,
        title="征集“七一”主题党日活动信息",
        description="请各直属党组织报送本单位“七一”主题党日活动的做法和成效，每单位一至两篇，附现场照片。",
        due_on=due,
        all_organizations=True,
    )
    context.data["submissions_total"] = TOTAL


build_submissions.order = 35  # type: ignore[attr-defined]  # after the portal (30)
