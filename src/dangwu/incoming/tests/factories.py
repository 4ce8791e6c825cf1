"""Incoming documents in a chosen state, built through the services on the persona world."""

from datetime import timedelta
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from dangwu.access import SYSTEM, Role
from dangwu.accounts.services import role_grant, user_create
from dangwu.incoming import services
from dangwu.incoming.models import IncomingDocument
from dangwu.portal.tests.files import pdf
from tests.personas import PASSWORD

STEPS = ("registered", "proposed", "instructed", "handling", "completed")


def scan(name: str = "来文扫描件.pdf", *lines: str) -> SimpleUploadedFile:
    """A small PDF standing for a scanned document."""
    return SimpleUploadedFile(
        name, pdf(*(lines or ("关于做好党员发展工作的通知",))), "application/pdf"
    )


def second_leader(world: Any) -> Any:
    """Return another committee leader (made once per world)."""
    leader = getattr(world, "second_leader", None)
    if leader is None:
        leader = user_create(
            actor=SYSTEM, username="demo-leader2", password=PASSWORD, display_name="副书记"
        )
        role_grant(actor=SYSTEM, user=leader, role=Role.LEADER, organization=world.orgs["root"])
        world.second_leader = leader
    return leader


def incoming(world: Any, state: str = "registered", **values: Any) -> IncomingDocument:
    """Return a document of the committee brought to ``state`` (see STEPS) by clerk and leader.

    From "handling" on it is assigned to the member persona (the lead).
    """
    clerk, leader = world.user("clerk"), world.user("leader")
    today = timezone.localdate()
    document = services.incoming_register(
        actor=clerk,
        organization=world.orgs["root"],
        source=values.pop("source", "市委组织部"),
        source_number=values.pop("source_number", "市委组〔2026〕31号"),
        title=values.pop("title", "关于做好党员发展工作的通知"),
        document_date=values.pop("document_date", today - timedelta(days=3)),
        received_on=values.pop("received_on", today),
        **values,
    )
    reach = STEPS.index(state)
    if reach >= 1:
        services.incoming_propose(
            actor=clerk, document=document, proposal="拟请领导阅示。", leader=leader
        )
    if reach >= 2:
        services.incoming_instruct(actor=leader, document=document, instruction="请办理。")
    if reach >= 3:
        services.incoming_assign(
            actor=clerk,
            document=document,
            people=[world.user("member")],
            deadline=today + timedelta(days=7),
        )
    if reach >= 4:
        services.incoming_complete(actor=clerk, document=document, result="已落实。")
    document.refresh_from_db()
    return document
