"""Attachments: accepted by content, refused with a clear reason, downloaded by the right people."""

import io
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils import translation
from django.utils.translation import gettext

from dangwu.audit.models import AuditRecord
from dangwu.core import extract
from dangwu.core.errors import DomainError, Forbidden, ValidationFailed
from dangwu.core.files import clean_file_name
from dangwu.portal.attachments import attachment_add, attachment_remove, download_url
from dangwu.portal.models import Attachment
from dangwu.portal.services import article_publish, article_submit
from dangwu.portal.tests import files

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def stored_files(settings) -> list:
    root = settings.MEDIA_ROOT
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.fixture
def draft(write):
    """A draft of the first organization, written by its secretary, in the internal column."""
    return write("关于召开组织生活会的通知", column="notices", by="secretary")


def refused(world, article, name: str, data: bytes) -> str:
    """Attach and expect a refusal; return the message (in Chinese) after checking nothing
    was kept."""
    before = Attachment.objects.count()
    with translation.override("zh-hans"), pytest.raises(ValidationFailed) as caught:
        attachment_add(actor=world.user("secretary"), article=article, upload=upload(name, data))
    assert Attachment.objects.count() == before
    assert caught.value.errors[0][0] == "file"
    return caught.value.message


# ------------------------------------------------------------------------------- accepted


@pytest.mark.parametrize(
    ("name", "make", "content_type"),
    [
        ("学习材料.pdf", lambda: files.pdf("学习材料"), "application/pdf"),
        ("会议通知.docx", lambda: files.docx_file("会议通知"), DOCX),
        (
            "党费统计.xlsx",
            files.xlsx,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        (
            "主题党日.pptx",
            files.pptx,
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        ),
        ("合影.JPG", files.jpeg, "image/jpeg"),
        ("合影.jpeg", files.jpeg, "image/jpeg"),
        ("党徽.png", files.png, "image/png"),
    ],
)
def test_each_accepted_type_is_stored_with_its_checked_type_size_and_digest(
    world, draft, settings, name, make, content_type
):
    import hashlib

    data = make()
    attachment = attachment_add(
        actor=world.user("secretary"), article=draft, upload=upload(name, data)
    )

    attachment.refresh_from_db()
    assert attachment.article == draft
    assert attachment.original_name == name
    assert attachment.content_type == content_type
    assert attachment.size == len(data)
    assert attachment.sha256 == hashlib.sha256(data).hexdigest()
    assert attachment.file.read() == data
    assert AuditRecord.objects.filter(action="portal.attachment_added").count() == 1


def test_text_of_a_pdf_is_extracted_in_nfkc_so_kangxi_radicals_read_as_ordinary_characters(
    world, draft
):
    # U+2F00 (⼀) is what browser-printed PDFs carry instead of 一; full-width Ａ becomes A.
    data = files.pdf("第\u2f00次党员大会", "ＡＢＣ党建")
    attachment = attachment_add(
        actor=world.user("secretary"), article=draft, upload=upload("纪要.pdf", data)
    )
    assert attachment.text == "第一次党员大会\nABC党建"


def test_text_of_a_docx_is_extracted_with_its_tables(world, draft):
    attachment = attachment_add(
        actor=world.user("secretary"), article=draft, upload=upload("通知.docx", files.rich_docx())
    )
    assert "关于开展主题党日活动的通知" in attachment.text
    assert "第一支部\t12" in attachment.text


def test_spreadsheets_and_pictures_carry_no_text(world, draft):
    attachment = attachment_add(
        actor=world.user("secretary"), article=draft, upload=upload("统计.xlsx", files.xlsx())
    )
    assert attachment.text == ""


def test_a_path_and_control_characters_are_taken_out_of_the_name_and_chinese_kept(world, draft):
    attachment = attachment_add(
        actor=world.user("secretary"),
        article=draft,
        upload=upload("C:\\Users\\书记\\桌面\\学习\u202e材料\x07.pdf", files.pdf("学习")),
    )
    assert attachment.original_name == "学习材料.pdf"


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("  两学一做   学习  .pdf ", "两学一做 学习 .pdf"),
        ("报告\u200b\x00.pdf", "报告.pdf"),
        ("a/b\\c.docx", "c.docx"),
    ],
)
def test_file_names_are_cleaned_for_display(raw, clean):
    assert clean_file_name(raw) == clean


# ------------------------------------------------------------------------------- refused


def test_a_pdf_renamed_to_docx_is_refused_naming_what_it_really_is(world, draft):
    message = refused(world, draft, "通知.docx", files.pdf("通知"))
    with translation.override("zh-hans"):
        assert str(gettext("PDF document")) in message
    assert "通知.docx" in message


def test_a_picture_named_as_a_pdf_is_refused(world, draft):
    message = refused(world, draft, "报告.pdf", files.png())
    with translation.override("zh-hans"):
        assert gettext("PNG picture") in message


def test_random_bytes_with_an_accepted_name_are_refused(world, draft):
    message = refused(world, draft, "报告.pdf", b"MZ\x90\x00" + bytes(200))
    with translation.override("zh-hans"):
        expected = gettext(
            "The content of this file is not one of the accepted types (%(kinds)s). It may "
            "be damaged, or another kind of file that was only renamed."
        ).split("%(kinds)s")[0]
    assert message.startswith(expected)


def test_a_zip_that_is_not_an_office_file_is_refused(world, draft):
    buffer = io.BytesIO()
    import zipfile

    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    refused(world, draft, "资料.docx", buffer.getvalue())


def test_an_old_style_doc_file_gets_advice_to_save_it_as_docx(world, draft):
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600)
    for name in ("旧文件.doc", "旧文件.docx"):
        message = refused(world, draft, name, ole)
        assert ".docx" in message and "“" in message  # the Save-as advice


@pytest.mark.parametrize("name", ["程序.exe", "网页.html", "没有扩展名"])
def test_other_kinds_of_file_are_refused_listing_what_is_accepted(world, draft, name):
    message = refused(world, draft, name, files.pdf("x"))
    with translation.override("zh-hans"):
        assert gettext("Word document (.docx)") in message


def test_a_file_larger_than_the_limit_is_refused_before_it_is_read(world, draft, settings):
    settings.UPLOAD_MAX_BYTES = 1000

    class Unreadable(SimpleUploadedFile):
        def read(self, *args):
            raise AssertionError("the file was read")

        def chunks(self, *args):
            raise AssertionError("the file was read")

    big = Unreadable("大文件.pdf", files.pdf("x") + bytes(2000))
    with translation.override("zh-hans"), pytest.raises(ValidationFailed) as caught:
        attachment_add(actor=world.user("secretary"), article=draft, upload=big)
    with translation.override("zh-hans"):
        expected = gettext(
            "The file is larger than %(limit)s. Please make it smaller (for example, save "
            "pictures at a lower resolution) or split it, and upload it again."
        ) % {"limit": filesizeformat(1000)}
    assert caught.value.message == expected
    assert Attachment.objects.count() == 0


def test_a_locked_pdf_is_refused_because_it_cannot_be_checked(world, draft):
    message = refused(world, draft, "加密.pdf", locked_pdf())
    with translation.override("zh-hans"):
        assert message == gettext(
            "This PDF is locked with a password, so it cannot be checked. Please save it "
            "without the password and upload it again."
        )


def test_the_default_limit_is_twenty_megabytes(settings):
    assert settings.UPLOAD_MAX_BYTES == 20 * 1024 * 1024


def test_a_zip_bomb_is_refused_by_what_it_would_unpack_to(world, draft, settings):
    settings.UPLOAD_MAX_UNPACKED_BYTES = 2 * 1024 * 1024
    bomb = files.with_extra_part(files.docx_file("正文"), "word/media/zeros.bin", 8 * 1024 * 1024)
    assert len(bomb) < 100 * 1024  # small on the wire, huge unpacked
    message = refused(world, draft, "炸弹.docx", bomb)
    assert "2.0" in message  # the limit is named


@pytest.mark.parametrize(
    "name", ["<script>alert(1)</script>.pdf", "报告<img src=x onerror=alert(1)>.pdf"]
)
def test_markup_in_a_file_name_is_refused(world, draft, name):
    message = refused(world, draft, name, files.pdf("x"))
    with translation.override("zh-hans"):
        assert message == gettext(
            "A file name must not contain < or >. Please rename the file and upload it again."
        )


@pytest.mark.parametrize(
    ("name", "make"),
    [
        ("通知.pdf", lambda: files.pdf("秘密★1年", "关于……的通知")),
        ("通知.docx", lambda: files.docx_file("机密★", "关于……的通知")),
        ("通知.docx", lambda: files.docx_file("关于……的通知", header="绝密★")),
        ("通知.docx", lambda: files.docx_file("密级：秘密", "正文")),
        ("秘密★通知.pdf", lambda: files.pdf("正文")),
        # Full-width forms as printed PDFs carry them.
        ("通知.pdf", lambda: files.pdf("秘密＊十年")),
    ],
)
def test_a_classified_file_is_refused_and_nothing_is_left_on_disk(
    world, draft, settings, name, make
):
    message = refused(world, draft, name, make())
    assert "涉密不上网" in message
    assert stored_files(settings) == []
    assert not AuditRecord.objects.filter(action="portal.attachment_added").exists()


def test_internal_marks_are_not_classified(world, draft):
    attachment_add(
        actor=world.user("secretary"),
        article=draft,
        upload=upload("通知.pdf", files.pdf("内部资料 注意保存", "工作秘密")),
    )
    assert draft.attachments.count() == 1


def test_a_damaged_pdf_is_refused(world, draft):
    refused(world, draft, "坏.pdf", b"%PDF-1.7\n" + bytes(300))


def test_an_empty_file_is_refused(world, draft):
    refused(world, draft, "空.pdf", b"")


# ------------------------------------------------------------------------------- who may


def test_someone_who_does_not_write_for_the_organization_may_not_attach(world, draft):
    for persona in ("member", "other_secretary", "sysadmin"):
        with pytest.raises(Forbidden):
            attachment_add(
                actor=world.user(persona), article=draft, upload=upload("a.pdf", files.pdf("x"))
            )
    assert Attachment.objects.count() == 0


def test_a_published_article_must_be_withdrawn_before_its_files_change(world, draft):
    editor = world.user("editor")
    attachment = attachment_add(actor=editor, article=draft, upload=upload("a.pdf", files.pdf("x")))
    article_submit(actor=editor, article=draft)
    article_publish(actor=editor, article=draft)
    with pytest.raises(DomainError):
        attachment_add(actor=editor, article=draft, upload=upload("b.pdf", files.pdf("y")))
    with pytest.raises(DomainError):
        attachment_remove(actor=editor, attachment=attachment)
    assert draft.attachments.count() == 1


def test_removing_an_attachment_deletes_its_row_and_its_file(
    world, draft, settings, django_capture_on_commit_callbacks
):
    attachment = attachment_add(
        actor=world.user("secretary"), article=draft, upload=upload("a.pdf", files.pdf("x"))
    )
    assert len(stored_files(settings)) == 1
    with pytest.raises(Forbidden):
        attachment_remove(actor=world.user("other_secretary"), attachment=attachment)
    with django_capture_on_commit_callbacks(execute=True):
        attachment_remove(actor=world.user("secretary"), attachment=attachment)
    assert not Attachment.objects.filter(pk=attachment.pk).exists()
    assert stored_files(settings) == []
    assert AuditRecord.objects.filter(action="portal.attachment_removed").count() == 1


# ------------------------------------------------------------------------------- download


@pytest.fixture
def internal_file(world, draft):
    """A PDF with a Chinese name on a published internal article."""
    editor = world.user("editor")
    attachment = attachment_add(
        actor=editor, article=draft, upload=upload("二〇二六年 学习计划.pdf", files.pdf("学习"))
    )
    article_submit(actor=editor, article=draft)
    article_publish(actor=editor, article=draft)
    return attachment


@pytest.fixture
def draft_file(world, draft):
    return attachment_add(
        actor=world.user("secretary"), article=draft, upload=upload("草稿.pdf", files.pdf("草稿"))
    )


def fetch(client, world, persona, attachment):
    if persona == "visitor":
        client.logout()
    else:
        client.force_login(world.user(persona))
    return client.get(download_url(attachment))


@pytest.mark.parametrize(
    ("persona", "status"),
    [("visitor", 404), ("member", 200), ("secretary", 200), ("editor", 200)],
)
def test_a_file_of_an_internal_article_is_for_signed_in_readers_only(
    client, world, internal_file, persona, status
):
    assert fetch(client, world, persona, internal_file).status_code == status


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("visitor", 404),
        ("member", 404),
        ("other_secretary", 404),
        ("secretary", 200),
        ("editor", 200),
    ],
)
def test_a_file_of_a_draft_is_for_those_who_write_for_its_organization(
    client, world, draft_file, persona, status
):
    assert fetch(client, world, persona, draft_file).status_code == status


def test_a_file_of_a_public_article_is_for_visitors_too(client, world, write):
    editor = world.user("editor")
    article = write("公开文章", column="news")
    attachment = attachment_add(
        actor=editor, article=article, upload=upload("公开.pdf", files.pdf("公开"))
    )
    article_submit(actor=editor, article=article)
    article_publish(actor=editor, article=article)
    response = client.get(download_url(attachment))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == attachment.file.open("rb").read()


def test_a_missing_file_and_a_forbidden_one_get_the_same_answer(client, world, draft_file):
    import uuid

    from django.urls import reverse

    missing = client.get(reverse("portal:attachment_download", kwargs={"key": uuid.uuid4()}))
    hidden = client.get(download_url(draft_file))
    assert missing.status_code == hidden.status_code == 404
    assert "草稿" not in hidden.content.decode()


def test_the_download_carries_the_original_chinese_name_and_the_checked_type(
    client, world, internal_file
):
    response = fetch(client, world, "member", internal_file)
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f"filename*=utf-8''{quote('二〇二六年 学习计划.pdf')}" in disposition
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]


def test_pictures_are_shown_in_the_browser_rather_than_saved(client, world, draft):
    picture = attachment_add(
        actor=world.user("secretary"), article=draft, upload=upload("合影.png", files.png())
    )
    response = fetch(client, world, "secretary", picture)
    assert response["Content-Disposition"].startswith("inline;")
    assert response["Content-Type"] == "image/png"


def test_downloading_takes_a_fixed_number_of_queries(
    client, world, internal_file, django_assert_max_num_queries
):
    client.force_login(world.user("member"))
    url = download_url(internal_file)
    with django_assert_max_num_queries(6):
        response = client.get(url)
    assert response.status_code == 200


def test_only_reading_methods_are_allowed(client, world, internal_file):
    client.force_login(world.user("member"))
    assert client.post(download_url(internal_file)).status_code == 405


def locked_pdf() -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(files.pdf("秘密★"))))
    writer.encrypt(user_password="secret", owner_password="owner")
    locked = io.BytesIO()
    writer.write(locked)
    return locked.getvalue()


def test_pdf_text_of_a_locked_file_cannot_be_read():
    with pytest.raises(extract.Unreadable) as caught:
        extract.pdf_text(io.BytesIO(locked_pdf()))
    assert caught.value.encrypted
