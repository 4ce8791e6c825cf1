"""Articles from Word: a .docx becomes a draft with its structure and pictures; Word paste is
cleaned; anything refused leaves nothing behind."""

import io
import re

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from django.utils.translation import gettext
from docx.enum.style import WD_STYLE_TYPE

from dangwu.audit.models import AuditRecord
from dangwu.core.errors import Forbidden, ValidationFailed
from dangwu.portal.attachments import download_url
from dangwu.portal.docx import article_from_docx, clean_word_html
from dangwu.portal.models import Article, Attachment
from dangwu.portal.services import article_create
from dangwu.portal.tests import files


def upload(data: bytes, name: str = "通知.docx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def stored_files(settings) -> list:
    root = settings.MEDIA_ROOT
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.fixture
def import_docx(world, columns):
    """``import_docx(data, by="secretary", column="notices", **fields)`` creates a draft."""

    def run(
        data: bytes,
        *,
        by: str = "secretary",
        column: str = "notices",
        name: str = "通知.docx",
        **fields,
    ) -> Article:
        return article_from_docx(
            actor=world.user(by),
            organization=world.orgs["org1"],
            column=columns[column],
            upload=upload(data, name),
            **fields,
        )

    return run


def assert_nothing_saved(settings) -> None:
    assert Article.objects.count() == 0
    assert Attachment.objects.count() == 0
    assert stored_files(settings) == []


# ------------------------------------------------------------------------------- conversion


def test_a_word_file_becomes_a_draft_with_its_headings_emphasis_lists_and_table(import_docx):
    article = import_docx(files.rich_docx())

    body = article.body
    assert article.status == "draft"
    assert "<h2>一、活动安排</h2>" in body  # Word's Heading 1, below the page's own <h1>
    assert "<h3>二、参加人员</h3>" in body
    assert "<strong>高度重视</strong>" in body
    assert "<em>认真组织</em>" in body
    assert "<u>按时报送</u>" in body
    assert "<ul><li>学习党章</li><li>重温入党誓词</li></ul>" in body
    assert "<ol><li>第一步：集中学习</li></ol>" in body
    assert re.search(r"<table>.*<td><p>第一支部</p></td><td><p>12</p></td>.*</table>", body)
    assert "<h1" not in body


def test_the_title_comes_from_the_documents_title_paragraph_which_leaves_the_body(import_docx):
    article = import_docx(files.rich_docx())
    assert article.title == "关于开展主题党日活动的通知"
    assert "关于开展主题党日活动的通知" not in article.body


def test_a_given_title_wins_and_the_documents_title_stays_in_the_body(import_docx):
    article = import_docx(files.rich_docx(), title="主题党日通知")
    assert article.title == "主题党日通知"
    assert "<h2>关于开展主题党日活动的通知</h2>" in article.body


def test_without_headings_the_title_property_is_the_title(import_docx):
    article = import_docx(files.docx_file("正文第一段", title_property="属性里的标题"))
    assert article.title == "属性里的标题"
    assert article.body == "<p>正文第一段</p>"


def test_without_any_title_the_writer_is_asked_for_one(import_docx, settings):
    with translation.override("zh-hans"), pytest.raises(ValidationFailed) as caught:
        import_docx(files.docx_file("正文", picture=True))
    assert caught.value.errors[0][0] == "title"
    assert_nothing_saved(settings)


def test_headings_with_the_chinese_style_names_of_wps_are_recognized(import_docx):
    document = docx.Document()
    for level in (1, 2):
        document.styles.add_style(f"标题 {level}", WD_STYLE_TYPE.PARAGRAPH)
    document.add_paragraph("会议纪要", style="标题 1")
    document.add_paragraph("议程", style="标题 2")
    document.add_paragraph("正文")
    out = io.BytesIO()
    document.save(out)

    article = import_docx(out.getvalue())
    assert article.title == "会议纪要"
    assert article.body == "<h3>议程</h3><p>正文</p>"


def test_pictures_become_attachments_shown_from_the_platforms_own_address(
    import_docx, client, world
):
    article = import_docx(files.rich_docx())

    pictures = list(article.attachments.all())
    # The same picture appears twice in the document and is stored once.
    assert len(pictures) == 1
    picture = pictures[0]
    assert picture.content_type == "image/png"
    assert picture.original_name == "通知-1.png"
    assert picture.file.read() == files.png()
    sources = re.findall(r'<img [^>]*src="([^"]+)"', article.body)
    assert sources == [download_url(picture)] * 2
    assert "data:" not in article.body and "http" not in article.body

    client.force_login(world.user("secretary"))
    response = client.get(sources[0])
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == files.png()


def test_pictures_a_browser_cannot_show_are_left_out_and_counted(import_docx):
    document = docx.Document()
    document.add_heading("标题", level=1)
    gif = (
        b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00"
        b"\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
    )
    document.add_picture(io.BytesIO(gif))
    out = io.BytesIO()
    document.save(out)

    article = import_docx(out.getvalue())
    assert "<img" not in article.body
    assert article.attachments.count() == 0
    record = AuditRecord.objects.get(action="portal.article_imported")
    assert record.details["pictures_left_out"] == 1


def test_markup_typed_as_text_in_the_document_stays_text(import_docx):
    article = import_docx(
        files.docx_file("<script>alert(1)</script>", '<img src=x onerror="alert(1)">'),
        title="标题",
    )
    assert "<script" not in article.body and "<img" not in article.body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in article.body


def test_the_import_is_audited_and_leaves_a_revision(import_docx):
    article = import_docx(files.rich_docx())
    assert AuditRecord.objects.filter(action="portal.article_imported", target_id=article.pk)
    assert article.revisions.count() == 1


# ------------------------------------------------------------------------------- refused


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (files.pdf("通知"), "通知.docx"),  # a PDF renamed
        (b"\x00\x01random bytes" * 40, "通知.docx"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "通知.doc"),  # Word 97-2003
        (files.xlsx(), "通知.docx"),  # another Office file
        (files.rich_docx(), "通知.pdf"),  # a real .docx, but named as something else
    ],
)
def test_a_file_that_is_not_a_docx_is_refused_with_a_clear_message(
    import_docx, settings, data, name
):
    with translation.override("zh-hans"), pytest.raises(ValidationFailed) as caught:
        import_docx(data, name=name)
    assert caught.value.errors[0][0] == "file"
    assert caught.value.message
    assert_nothing_saved(settings)


def test_a_renamed_pdf_is_named_for_what_it_is(import_docx):
    with translation.override("zh-hans"), pytest.raises(ValidationFailed) as caught:
        import_docx(files.pdf("通知"))
    with translation.override("zh-hans"):
        assert gettext("PDF document") in caught.value.message


@pytest.mark.parametrize(
    "data",
    [
        files.docx_file("秘密★1年", "关于……的通知", picture=True),
        files.docx_file("关于……的通知", header="机密★", picture=True),
    ],
)
def test_a_classified_document_is_refused_and_not_even_its_pictures_are_kept(
    import_docx, settings, data
):
    with translation.override("zh-hans"), pytest.raises(ValidationFailed) as caught:
        import_docx(data, title="通知")
    assert "涉密不上网" in caught.value.message
    assert_nothing_saved(settings)


def test_when_the_article_itself_is_refused_no_picture_is_left_on_disk(import_docx, settings):
    # An entry-point column takes no articles: refused by the article service, after the
    # conversion found the picture.
    with pytest.raises(ValidationFailed):
        import_docx(files.rich_docx(), column="school")
    assert_nothing_saved(settings)


def test_a_member_may_not_create_articles_from_word(import_docx, settings):
    with pytest.raises(Forbidden):
        import_docx(files.rich_docx(), by="member")
    assert_nothing_saved(settings)


def test_a_word_file_larger_than_the_limit_is_refused(import_docx, settings):
    settings.UPLOAD_MAX_BYTES = 1024
    with pytest.raises(ValidationFailed):
        import_docx(files.rich_docx())
    assert_nothing_saved(settings)


# ------------------------------------------------------------------------------- Word paste

WORD_PASTE = """<html xmlns:o="urn:schemas-microsoft-com:office:office"
xmlns:w="urn:schemas-microsoft-com:office:word"><head>
<meta name=Generator content="Microsoft Word 15">
<style><!-- p.MsoNormal {mso-style-parent:""; font-family:宋体;} --></style>
<!--[if gte mso 9]><xml><w:WordDocument><w:View>Normal</w:View><w:Zoom>0</w:Zoom>
</w:WordDocument></xml><![endif]--></head><body lang=ZH-CN style='tab-interval:21.0pt'>
<!--StartFragment--><h1 style="mso-margin-top-alt:auto">学习贯彻会议精神</h1>
<p class=MsoNormal style='mso-pagination:widow-orphan'><b><span lang=EN-US
style='font-family:"Times New Roman";mso-fareast-font-family:宋体'>高度重视</span></b><span
class=GramE style='font-family:宋体;mso-ascii-font-family:Calibri'>，认真学习<o:p></o:p></span></p>
<p class=MsoListParagraph style='margin-left:18.0pt;text-indent:-18.0pt;mso-list:l0 level1 lfo1'>
<![if !supportLists]><span style='font-family:Symbol'><span style='mso-list:Ignore'>·<span
style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp; </span></span></span><![endif]>原原本本学</p>
<p class=MsoListParagraph style='margin-left:18.0pt;text-indent:-18.0pt;mso-list:l0 level1 lfo1'>
<![if !supportLists]><span style='font-family:Symbol'><span style='mso-list:Ignore'>·<span
style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp; </span></span></span><![endif]>逐字逐句悟</p>
<p class=MsoListParagraph style='mso-list:l1 level1 lfo2'><![if !supportLists]><span
style='mso-list:Ignore'>1.<span style='font:7.0pt "Times New Roman"'>&nbsp; </span></span>
<![endif]>第一项</p>
<p class=MsoNormal><o:p>&nbsp;</o:p></p>
<p class=MsoNormal><span style='mso-bidi-font-size:10.5pt'>结束<script>alert(1)</script></span></p>
<!--EndFragment--></body></html>"""


def test_word_paste_saved_through_the_article_service_keeps_none_of_words_markup(world, columns):
    article = article_create(
        actor=world.user("secretary"),
        organization=world.orgs["org1"],
        column=columns["notices"],
        title="学习",
        body=WORD_PASTE,
    )
    for junk in (
        "mso-",
        "o:p",
        "class=",
        "style=",
        "MsoNormal",
        "<script",
        "WordDocument",
        "if gte",
    ):
        assert junk not in article.body
    assert "<b>" in article.body and "高度重视" in article.body and "原原本本学" in article.body


def test_cleaning_word_paste_turns_its_list_paragraphs_into_lists_and_drops_the_rest():
    cleaned = clean_word_html(WORD_PASTE)
    assert cleaned == (
        "<h2>学习贯彻会议精神</h2>\n"
        "<p><b>高度重视</b>，认真学习</p>\n"
        "<ul><li>原原本本学</li>\n<li>逐字逐句悟</li>\n</ul>"
        "<ol><li>第一项</li>\n</ol>"
        "<p>结束</p>"
    )


def test_cleaning_editor_html_without_word_markup_changes_nothing_of_substance():
    html = "<h2>一、要求</h2><p>正文<strong>重点</strong></p><ul><li>一</li></ul>"
    assert clean_word_html(html) == html
    assert clean_word_html(clean_word_html(WORD_PASTE)) == clean_word_html(WORD_PASTE)
