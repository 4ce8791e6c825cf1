"""Build submissions in a given state through the real services."""

from django.core.files.uploadedfile import SimpleUploadedFile

from dangwu.access import SYSTEM, Role
from dangwu.core.visibility import Visibility
from dangwu.portal.models import Column
from dangwu.portal.services import column_create
from dangwu.portal.tests.files import docx_file
from dangwu.submissions import services
from dangwu.submissions.enums import SubmissionKind

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def make_columns() -> dict[str, Column]:
    return {
        "news": column_create(
            actor=SYSTEM,
            slug="dongtai",
            name="机关党建动态",
            visibility=Visibility.PUBLIC,
            publisher_roles=[Role.EDITOR],
        ),
        "inside": column_create(
            actor=SYSTEM,
            slug="neibu",
            name="内部交流",
            visibility=Visibility.INTERNAL,
            publisher_roles=[Role.EDITOR],
        ),
    }


def word(*paragraphs: str, name: str = "稿件.docx", **options) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, docx_file(*paragraphs, **options), content_type=DOCX_TYPE)


def draft(world, persona: str = "secretary", org: str = "org1", **values):
    values.setdefault("title", "第一机关党委开展主题党日活动")
    values.setdefault("kind", SubmissionKind.NEWS)
    values.setdefault("body", "<p>活动内容。</p>")
    return services.submission_create(
        actor=world.user(persona), organization=world.orgs[org], **values
    )


def submitted(world, persona: str = "secretary", org: str = "org1", **values):
    item = draft(world, persona, org, **values)
    return services.submission_submit(actor=world.user(persona), submission=item)


def item_in(world, state: str, columns=None, **values):
    """Return an item of org1 (written by the secretary) in ``state``."""
    if state == "draft":
        return draft(world, **values)
    item = submitted(world, **values)
    editor = world.user("editor")
    if state == "returned":
        services.submission_return(actor=editor, submission=item, comment="请补充照片。")
    elif state == "declined":
        services.submission_decline(actor=editor, submission=item, reason="同类内容已刊发。")
    elif state == "adopted":
        services.submission_adopt(actor=editor, submission=item, column=columns["news"])
    item.refresh_from_db()
    return item
