"""The pages: each renders for those who may use it, keeps input on errors, refuses others."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from dangwu.portal.models import Article
from dangwu.portal.tests.files import png, rich_docx
from dangwu.submissions.enums import SubmissionStatus
from dangwu.submissions.models import Submission
from dangwu.submissions.tests.factories import DOCX_TYPE, draft, item_in, submitted


def test_my_submissions_shows_the_state_of_each_item(world, client_for):
    item = submitted(world)

    page = client_for("secretary").get(reverse("submissions:mine"))

    assert page.status_code == 200
    text = page.content.decode()
    assert item.title in text
    with translation.override("zh-hans"):
        assert _("Sent to the committee") in text


def test_a_secretary_uploads_a_word_file_as_a_draft(world, client_for):
    client = client_for("secretary")
    upload = SimpleUploadedFile("通知.docx", rich_docx(), content_type=DOCX_TYPE)

    response = client.post(
        reverse("submissions:create"),
        {"organization": world.orgs["org1"].pk, "kind": "news", "word_file": upload},
    )

    item = Submission.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("submissions:detail", args=[item.pk])
    page = client.get(response.url)
    assert "关于开展主题党日活动的通知" in page.content.decode()
    picture = item.files.get()
    assert client.get(reverse("submissions:file", args=[picture.uuid])).status_code == 200


def test_a_fake_word_file_is_refused_on_the_form_keeping_what_was_typed(world, client_for):
    upload = SimpleUploadedFile("稿件.docx", png(), content_type=DOCX_TYPE)

    response = client_for("secretary").post(
        reverse("submissions:create"),
        {
            "organization": world.orgs["org1"].pk,
            "kind": "news",
            "title": "我的标题",
            "contact_name": "张敏",
            "word_file": upload,
        },
    )

    assert response.status_code == 400
    assert "我的标题" in response.content.decode() and "张敏" in response.content.decode()
    assert Submission.objects.count() == 0


def test_choosing_another_organization_on_the_form_is_refused(world, client_for):
    response = client_for("secretary").post(
        reverse("submissions:create"),
        {"organization": world.orgs["org2"].pk, "kind": "news", "title": "冒名", "body": "x"},
    )

    assert response.status_code == 400
    assert Submission.objects.count() == 0


def test_the_editor_adopts_from_the_item_page(world, client_for, columns):
    item = submitted(world)

    client = client_for("editor")
    assert item.title in client.get(reverse("submissions:inbox")).content.decode()
    response = client.post(
        reverse("submissions:adopt", args=[item.pk]),
        {"column": columns["news"].pk, "publish": "on"},
    )

    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == SubmissionStatus.ADOPTED
    article = Article.objects.get()
    assert client.get(reverse("portal:article", args=[article.pk])).status_code == 200
    again = client.post(
        reverse("submissions:adopt", args=[item.pk]), {"column": columns["news"].pk}
    )
    assert again.status_code == 302
    assert Article.objects.count() == 1


def test_a_return_without_a_comment_shows_the_page_again(world, client_for):
    item = submitted(world)

    response = client_for("editor").post(reverse("submissions:return", args=[item.pk]), {})

    assert response.status_code == 400
    item.refresh_from_db()
    assert item.status == SubmissionStatus.SUBMITTED


def test_another_organizations_secretary_gets_not_found(world, client_for):
    item = submitted(world)

    client = client_for("other_secretary")

    assert client.get(reverse("submissions:detail", args=[item.pk])).status_code == 404
    assert client.post(reverse("submissions:submit", args=[item.pk])).status_code == 404


def test_editors_do_not_see_drafts(world, client_for):
    item = draft(world)

    response = client_for("editor").get(reverse("submissions:detail", args=[item.pk]))

    assert response.status_code == 404


def test_the_ranking_lists_silent_organizations_and_exports_excel(world, client_for, columns):
    item_in(world, "adopted", columns)

    client = client_for("editor")
    page = client.get(reverse("submissions:ranking"))
    export = client.get(reverse("submissions:ranking_export"))

    text = page.content.decode()
    assert "第一机关党委" in text and "第二机关党委" in text
    with translation.override("zh-hans"):
        assert _("Sent nothing") in text
    assert export.status_code == 200
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_a_reversed_period_is_refused_with_a_message(world, client_for):
    response = client_for("editor").get(
        reverse("submissions:ranking"), {"date_from": "2026-05-01", "date_to": "2026-01-01"}
    )

    assert response.status_code == 400


def test_the_editor_issues_a_call_and_sees_who_answered(world, client_for):
    from datetime import timedelta

    from django.utils import timezone

    client = client_for("editor")
    response = client.post(
        reverse("submissions:calls"),
        {
            "title": "征集七一活动信息",
            "due_on": (timezone.localdate() + timedelta(days=5)).isoformat(),
            "organizations": [world.orgs["org1"].pk, world.orgs["org2"].pk],
        },
    )

    assert response.status_code == 302
    page = client.get(response.url)
    assert page.status_code == 200
    with translation.override("zh-hans"):
        assert _("Not answered") in page.content.decode()
    todo = client_for("secretary").get(reverse("submissions:mine")).content.decode()
    assert "征集七一活动信息" in todo


def test_the_secretary_sets_her_rules_and_gets_an_intake_code(world, client_for):
    client = client_for("secretary")
    url = reverse("submissions:settings", args=[world.orgs["org1"].pk])

    assert client.post(url, {"action": "save", "requires_approval": "on"}).status_code == 302
    shown = client.post(url, {"action": "code"})

    assert shown.status_code == 200
    assert 'class="intake-code"' in shown.content.decode()
    other = reverse("submissions:settings", args=[world.orgs["org2"].pk])
    assert client.get(other).status_code == 404
