"""The submission workflow and every refusal: nothing half-saved, the submitter told."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from django.utils.translation import gettext as _

from dangwu.audit.models import AuditRecord
from dangwu.core.errors import DomainError, Forbidden, ValidationFailed
from dangwu.messages.models import Notification
from dangwu.portal.enums import ArticleStatus, SourceKind
from dangwu.portal.models import Article, Attachment
from dangwu.portal.tests.files import png, rich_docx, with_extra_part
from dangwu.submissions import services
from dangwu.submissions.enums import EventAction, FileRole, Placement, SubmissionStatus
from dangwu.submissions.models import Submission, SubmissionFile
from dangwu.submissions.tests.factories import DOCX_TYPE, draft, item_in, submitted, word


def _counts():
    return Submission.objects.count(), SubmissionFile.objects.count(), Article.objects.count()


def test_a_secretary_saves_a_draft_for_her_organization(world):
    item = draft(world, contact_name="张敏", contact_phone="13912345678")

    assert item.status == SubmissionStatus.DRAFT
    assert item.organization == world.orgs["org1"]
    assert item.submitter == world.user("secretary")
    assert item.contact_phone_masked == "139****5678"
    assert list(item.events.values_list("action", flat=True)) == [EventAction.CREATED]
    assert AuditRecord.objects.filter(action="submissions.created").count() == 1


def test_a_secretary_may_submit_for_an_organization_under_hers(world):
    item = draft(world, org="branch1")

    assert item.organization == world.orgs["branch1"]


def test_submitting_for_another_organization_is_refused_and_nothing_is_saved(world):
    with pytest.raises(Forbidden):
        draft(world, org="org2")

    assert Submission.objects.count() == 0


def test_a_member_may_submit_only_when_the_organization_allows_it(world):
    with pytest.raises(Forbidden):
        draft(world, persona="member", org="branch1")
    services.settings_change(
        actor=world.user("secretary"),
        organization=world.orgs["branch1"],
        requires_approval=False,
        members_may_submit=True,
    )

    item = draft(world, persona="member", org="branch1")

    assert item.submitter == world.user("member")
    with pytest.raises(Forbidden):  # still only for their own organization
        draft(world, persona="member", org="org1")


def test_a_word_file_becomes_the_text_with_headings_lists_tables_and_pictures(world):
    upload = SimpleUploadedFile("通知.docx", rich_docx(), content_type=DOCX_TYPE)

    item = services.submission_create(
        actor=world.user("secretary"),
        organization=world.orgs["org1"],
        upload=upload,
        title="",
        kind="news",
    )

    assert item.title == "关于开展主题党日活动的通知"
    assert "<h2>" in item.body and "<li>" in item.body and "<table>" in item.body
    [picture] = item.files.filter(role=FileRole.INLINE)  # the same picture twice, stored once
    assert f"/submissions/files/{picture.uuid}/" in item.body


def test_a_docx_that_is_really_something_else_is_refused_with_nothing_saved(world):
    fake = SimpleUploadedFile("稿件.docx", png(), content_type=DOCX_TYPE)

    with pytest.raises(ValidationFailed) as refused:
        services.submission_create(
            actor=world.user("secretary"),
            organization=world.orgs["org1"],
            upload=fake,
            title="",
            kind="news",
        )

    assert "docx" in refused.value.message.lower() or "Word" in refused.value.message
    assert _counts() == (0, 0, 0)


def test_a_word_file_that_is_a_zip_bomb_is_refused_before_it_is_unpacked(world, settings):
    settings.UPLOAD_MAX_UNPACKED_BYTES = 2 * 1024 * 1024
    bomb = with_extra_part(rich_docx(), "word/media/zeros.bin", 8 * 1024 * 1024)
    assert len(bomb) < 100 * 1024  # small on the wire, huge unpacked

    with pytest.raises(ValidationFailed):
        services.submission_create(
            actor=world.user("secretary"),
            organization=world.orgs["org1"],
            upload=SimpleUploadedFile("炸弹.docx", bomb, content_type=DOCX_TYPE),
            title="",
            kind="news",
        )

    assert _counts() == (0, 0, 0)


def test_a_classified_mark_is_refused_with_nothing_saved(world):
    with pytest.raises(ValidationFailed):
        draft(world, secret_level="机密")
    with pytest.raises(ValidationFailed):
        draft(world, body="<p>密级：秘密</p><p>会议纪要。</p>", title="会议纪要")
    with pytest.raises(ValidationFailed):
        services.submission_create(
            actor=world.user("secretary"),
            organization=world.orgs["org1"],
            upload=word("绝密★一年", "内容"),
            title="",
            kind="news",
        )

    assert _counts() == (0, 0, 0)


def test_sending_without_any_text_is_refused(world):
    item = draft(world, body="")

    with pytest.raises(ValidationFailed):
        services.submission_submit(actor=world.user("secretary"), submission=item)

    item.refresh_from_db()
    assert item.status == SubmissionStatus.DRAFT


def test_a_sent_item_reaches_the_committee(world):
    item = submitted(world)

    assert item.status == SubmissionStatus.SUBMITTED
    assert item.submitted_at is not None


def test_when_required_the_secretary_approves_before_it_leaves(world):
    services.settings_change(
        actor=world.user("secretary"),
        organization=world.orgs["org1"],
        requires_approval=True,
        members_may_submit=False,
    )
    item = submitted(world, persona="orgclerk")

    assert item.status == SubmissionStatus.AWAITING_APPROVAL
    assert item.submitted_at is None
    with pytest.raises(Forbidden):
        services.submission_approve(actor=world.user("orgclerk"), submission=item)

    services.submission_approve(actor=world.user("secretary"), submission=item)

    item.refresh_from_db()
    assert item.status == SubmissionStatus.SUBMITTED
    actions = list(item.events.values_list("action", flat=True))
    assert actions[-3:] == [
        EventAction.SENT_FOR_APPROVAL,
        EventAction.APPROVED,
        EventAction.SUBMITTED,
    ]


def test_the_secretary_herself_needs_no_approval(world):
    services.settings_change(
        actor=world.user("secretary"),
        organization=world.orgs["org1"],
        requires_approval=True,
        members_may_submit=False,
    )

    assert submitted(world).status == SubmissionStatus.SUBMITTED


def test_adopting_creates_a_published_article_crediting_the_organization(
    world, columns, django_capture_on_commit_callbacks
):
    item = submitted(world, contact_name="张敏")
    with django_capture_on_commit_callbacks(execute=True):
        article = services.submission_adopt(
            actor=world.user("editor"), submission=item, column=columns["news"]
        )

    item.refresh_from_db()
    assert item.status == SubmissionStatus.ADOPTED
    assert item.article == article
    assert item.placement == Placement.PUBLIC
    assert item.points == 2
    assert article.status == ArticleStatus.PUBLISHED
    assert article.organization == world.orgs["org1"]
    assert article.source_kind == SourceKind.GRASSROOTS
    assert article.source_name == "第一机关党委"
    assert article.title == item.title
    note = Notification.objects.get(recipient=world.user("secretary"))
    with translation.override("zh-hans"):
        assert note.title == _("Your item was adopted: %(title)s") % {"title": item.title}


def test_adopting_as_a_draft_leaves_the_article_to_the_portal_workflow(world, columns):
    item = submitted(world)

    article = services.submission_adopt(
        actor=world.user("editor"), submission=item, column=columns["inside"], publish=False
    )

    assert article.status == ArticleStatus.DRAFT
    item.refresh_from_db()
    assert (item.placement, item.points) == (Placement.INTERNAL, 1)


def test_the_pictures_and_photos_of_an_item_go_with_the_article(world, columns):
    item = services.submission_create(
        actor=world.user("secretary"),
        organization=world.orgs["org1"],
        upload=SimpleUploadedFile("通知.docx", rich_docx(), content_type=DOCX_TYPE),
        title="",
        kind="news",
    )
    services.submission_file_add(
        actor=world.user("secretary"),
        submission=item,
        upload=SimpleUploadedFile("现场.png", png(3, 3), content_type="image/png"),
        role=FileRole.PHOTO,
    )
    services.submission_submit(actor=world.user("secretary"), submission=item)
    [inline] = item.files.filter(role=FileRole.INLINE)

    article = services.submission_adopt(
        actor=world.user("editor"), submission=item, column=columns["news"]
    )

    assert Attachment.objects.filter(article=article).count() == 2
    assert Attachment.objects.filter(article=article, uuid=inline.uuid).exists()
    assert f"/files/{inline.uuid}/" in article.body
    assert "/submissions/files/" not in article.body


def test_adopting_twice_is_refused(world, columns):
    item = submitted(world)
    services.submission_adopt(actor=world.user("editor"), submission=item, column=columns["news"])
    stale = Submission.objects.get(pk=item.pk)
    stale.status = SubmissionStatus.SUBMITTED  # a page loaded before the first adoption

    with pytest.raises(DomainError) as refused:
        services.submission_adopt(
            actor=world.user("editor"), submission=stale, column=columns["news"]
        )

    with translation.override("zh-hans"):
        assert refused.value.message == _(
            "This item was already adopted; it cannot be adopted twice."
        )
    assert Article.objects.count() == 1


def test_only_editors_decide(world, columns):
    item = submitted(world)

    for persona in ("secretary", "leader", "orgclerk"):
        with pytest.raises(Forbidden):
            services.submission_adopt(
                actor=world.user(persona), submission=item, column=columns["news"]
            )
    assert Article.objects.count() == 0


def test_a_returned_item_is_fixed_and_sent_again(
    world, columns, django_capture_on_commit_callbacks
):
    item = submitted(world)
    with django_capture_on_commit_callbacks(execute=True):
        services.submission_return(
            actor=world.user("editor"), submission=item, comment="请补充参加人数。"
        )
    item.refresh_from_db()
    assert item.status == SubmissionStatus.RETURNED
    assert item.comment == "请补充参加人数。"
    assert Notification.objects.filter(recipient=world.user("secretary")).count() == 1

    services.submission_update(
        actor=world.user("secretary"), submission=item, body="<p>共有三十名党员参加。</p>"
    )
    services.submission_submit(actor=world.user("secretary"), submission=item)

    item.refresh_from_db()
    assert item.status == SubmissionStatus.SUBMITTED
    assert item.comment == ""
    assert "三十名" in item.body_text


def test_returning_and_declining_need_a_comment(world):
    item = submitted(world)

    with pytest.raises(ValidationFailed):
        services.submission_return(actor=world.user("editor"), submission=item, comment="  ")
    with pytest.raises(ValidationFailed):
        services.submission_decline(actor=world.user("editor"), submission=item, reason="")

    item.refresh_from_db()
    assert item.status == SubmissionStatus.SUBMITTED


def test_a_bad_state_transition_is_refused(world, columns):
    declined = item_in(world, "declined")
    draft_item = draft(world)

    with pytest.raises(DomainError):
        services.submission_adopt(
            actor=world.user("editor"), submission=declined, column=columns["news"]
        )
    with pytest.raises(DomainError):
        services.submission_return(
            actor=world.user("editor"), submission=draft_item, comment="不行"
        )
    with pytest.raises(DomainError):
        services.submission_update(actor=world.user("secretary"), submission=declined, title="新")
    with pytest.raises(DomainError):
        services.submission_forward(actor=world.user("editor"), submission=declined)
    assert Article.objects.count() == 0


def test_forwarding_upward_adds_its_points_once(world, columns):
    item = item_in(world, "adopted", columns)

    services.submission_forward(actor=world.user("editor"), submission=item)
    with pytest.raises(DomainError):
        services.submission_forward(actor=world.user("editor"), submission=item)

    item.refresh_from_db()
    assert item.forwarded
    assert item.points == 2 + 3


def test_the_scoring_table_is_configurable(world, columns):
    services.score_rule_set(actor=world.user("editor"), placement=Placement.PUBLIC, points=5)
    with pytest.raises(Forbidden):
        services.score_rule_set(actor=world.user("secretary"), placement="public", points=9)
    with pytest.raises(ValidationFailed):
        services.score_rule_set(actor=world.user("editor"), placement="public", points=-1)

    assert item_in(world, "adopted", columns).points == 5


def test_a_photo_that_lies_about_its_type_is_refused(world):
    item = draft(world)

    with pytest.raises(ValidationFailed):
        services.submission_file_add(
            actor=world.user("secretary"),
            submission=item,
            upload=SimpleUploadedFile("照片.png", b"%PDF-1.4 not a picture"),
            role=FileRole.PHOTO,
        )

    assert SubmissionFile.objects.count() == 0


def test_a_call_is_answered_by_an_item_linked_to_it(world):
    from datetime import timedelta

    from django.utils import timezone

    call = services.call_create(
        actor=world.user("editor"),
        organization=world.orgs["root"],
        title="征集七一活动信息",
        due_on=timezone.localdate() + timedelta(days=10),
        organizations=[world.orgs["org1"]],
    )
    item = draft(world, call=call)

    assert item.call == call
    with pytest.raises(ValidationFailed):  # not asked
        draft(world, persona="other_secretary", org="org2", call=call)


def test_a_call_needs_a_future_date_and_someone_to_ask(world):
    from datetime import timedelta

    from django.utils import timezone

    editor, root = world.user("editor"), world.orgs["root"]
    with pytest.raises(ValidationFailed):
        services.call_create(
            actor=editor,
            organization=root,
            title="过期",
            due_on=timezone.localdate() - timedelta(days=1),
            all_organizations=True,
        )
    with pytest.raises(ValidationFailed):
        services.call_create(
            actor=editor, organization=root, title="无人", due_on=timezone.localdate()
        )


def test_an_intake_code_is_shown_once_and_only_its_hash_kept(world):
    code = services.intake_code_issue(
        actor=world.user("secretary"), organization=world.orgs["org1"]
    )

    rules = services.settings_of(world.orgs["org1"])
    assert len(code) == 14 and code.count("-") == 2
    assert code.replace("-", "") not in rules.intake_code_hash
    with pytest.raises(Forbidden):
        services.intake_code_issue(actor=world.user("secretary"), organization=world.orgs["org2"])


def test_revealing_the_contact_phone_is_audited(world):
    item = submitted(world, contact_phone="13912345678")

    phone = services.contact_reveal(actor=world.user("editor"), submission=item)

    assert phone == "13912345678"
    assert AuditRecord.objects.filter(action="submissions.contact_revealed").count() == 1
