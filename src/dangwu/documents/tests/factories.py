"""Documents in a given state for the tests, made through the real services."""

from datetime import timedelta
from typing import Any

from django.utils import timezone

from dangwu.access import SYSTEM
from dangwu.documents import services
from dangwu.documents.models import Document

STEPS = ("draft", "in_review", "awaiting_signoff", "signed", "distributed")


def values(world: Any, **overrides: Any) -> dict[str, Any]:
    """Return the fields of a valid notice to the two organ Party committees."""
    return {
        "doc_type": "notice",
        "issuer_mark": "中共市直机关工委文件",
        "code": "市直工",
        "title": "关于开展主题党日活动的通知",
        "urgency": "normal",
        "classification": "none",
        "disclosure": "on_request",
        "body": "<p>各机关党委：</p><p>现将有关事项通知如下。</p>",
        "main_organizations": [world.orgs["org1"], world.orgs["org2"]],
        "contact": "联系人：张三，电话：1234567",
        **overrides,
    }


def document_in(world: Any, state: str = "draft", **overrides: Any) -> Document:
    """Return a document of the committee brought to ``state`` by the clerk and the leader."""
    document = services.document_create(
        actor=world.user("clerk"), organization=world.orgs["root"], **values(world, **overrides)
    )
    reached = STEPS.index(state)
    if reached >= 1:
        services.document_submit(actor=world.user("clerk"), document=document)
    if reached >= 2:
        services.document_review(actor=world.user("clerk"), document=document)
    if reached >= 3:
        services.document_sign(actor=world.user("leader"), document=document)
    if reached >= 4:
        services.document_distribute(actor=world.user("clerk"), document=document)
    document.refresh_from_db()
    return document


def asking_reply(world: Any, state: str = "distributed", **overrides: Any) -> Document:
    """Return a document asking for a reply within a week."""
    return document_in(
        world,
        state,
        reply_required=True,
        reply_due=timezone.now() + timedelta(days=7),
        **overrides,
    )


def system_document(world: Any, state: str = "distributed", **overrides: Any) -> Document:
    """Like :func:`document_in`, acting as the system (for worlds without the personas' roles)."""
    document = services.document_create(
        actor=SYSTEM, organization=world.orgs["root"], **values(world, **overrides)
    )
    for step in (services.document_submit, services.document_review, services.document_sign):
        step(actor=SYSTEM, document=document)
    if state == "distributed":
        services.document_distribute(actor=SYSTEM, document=document)
    document.refresh_from_db()
    return document
