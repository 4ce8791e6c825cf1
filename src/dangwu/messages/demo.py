"""Demo mail: a message waiting in the first secretary's inbox and two notifications."""

from django.urls import reverse

from dangwu.access import SYSTEM
from dangwu.accounts.models import User
from dangwu.core.demo import DemoContext
from dangwu.messages.services import message_send, notify


def build_mail(context: DemoContext) -> None:
    users = {u.username: u for u in User.objects.filter(username__startswith="demo-")}
    message_send(
        actor=users["demo-other-secretary"],
        subject="关于联合开展主题党日活动的商请函",
        body="贵单位党委：\n\n拟于下月上旬联合开展主题党日活动，请确认参加人数。\n\n此致\n敬礼",
        organizations=[context.data["first_org"]],
    )
    message_send(
        actor=users["demo-leader"],
        subject="请准备半年工作汇报",
        body="请各位书记于本月底前准备半年党建工作汇报，下周例会上交流。",
        people=[users["demo-secretary"], users["demo-other-secretary"]],
    )
    for title in ("欢迎使用站内信和通知中心", "每日汇总：可在通知页面选择每天只收一封邮件"):
        notify(
            actor=SYSTEM,
            recipients=[users["demo-secretary"], users["demo-member"]],
            kind="mail.welcome",
            title=title,
            url=reverse("mail:notifications"),
            email=False,
        )


build_mail.order = 70  # type: ignore[attr-defined]  # read by core.demo.build_demo
