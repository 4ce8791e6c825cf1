"""Importing books (every format and every bad input), reading reports, bookmarks."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext

from dangwu.access import SYSTEM
from dangwu.audit.models import AuditRecord
from dangwu.core.errors import DomainError, Forbidden, ValidationFailed
from dangwu.library import services
from dangwu.library.books_import import clean_blocks, is_heading
from dangwu.library.models import Book, Bookmark, Chapter, ReadingDay, ReadingPosition
from dangwu.library.tests.factories import (
    book_with,
    chapter_of,
    epub_bytes,
    text_source,
    upload,
    zip_bomb_epub,
)
from dangwu.portal.tests.files import png

pytestmark = pytest.mark.django_db


def _import(name: str, data: bytes | str, actor=SYSTEM, **fields) -> Book:
    return services.book_import(
        actor=actor, upload=upload(name, data), category=fields.pop("category", "other"), **fields
    )


def _refused(name: str, data: bytes | str) -> str:
    before = (Book.objects.count(), Chapter.objects.count())
    with translation.override("zh-hans"), pytest.raises(ValidationFailed) as caught:
        _import(name, data)
    assert (Book.objects.count(), Chapter.objects.count()) == before
    assert caught.value.errors[0][0] == "file"
    return caught.value.message


# ---------------------------------------------------------------------------------- text


def test_a_text_book_is_split_into_chapters_at_its_headings():
    book = _import(
        "论语.txt",
        "学而第一\n子曰：学而时习之。\n\n有子曰：其为人也孝弟。\n为政第二\n子曰：为政以德。\n",
    )
    chapters = list(book.chapters.order_by("number"))
    assert [c.title for c in chapters] == ["学而第一", "为政第二"]
    assert chapters[0].blocks == ["<p>子曰：学而时习之。</p>", "<p>有子曰：其为人也孝弟。</p>"]
    assert chapters[0].paragraph_count == 2
    assert book.title == "论语" and book.chapter_count == 2 and book.source_format == "text"


def test_headings_of_many_styles_are_recognized_and_sentences_are_not():
    for line in (
        "第一章",
        "第十二回 宴桃园豪杰三结义",
        "学而第一",
        "始计第一",
        "卷三",
        "第3章 总则",
    ):
        assert is_heading(line), line
    for line in ("第一，要讲政治。", "子曰：学而时习之。", "第一章的内容很长很长，" * 5, ""):
        assert not is_heading(line), line


def test_text_before_the_first_heading_becomes_a_front_matter_chapter():
    book = _import("书.txt", "序言一段。\n第一章 开端\n正文。\n")
    with translation.override("zh-hans"):
        titles = [c.title for c in book.chapters.order_by("number")]
    assert len(titles) == 2 and titles[1] == "第一章 开端"


def test_a_text_file_without_headings_becomes_one_chapter_named_after_the_book():
    book = _import("静夜思.txt", "床前明月光，疑是地上霜。\n举头望明月，低头思故乡。\n")
    assert [(c.title, c.paragraph_count) for c in book.chapters.all()] == [("静夜思", 2)]


def test_gb18030_text_is_read_when_it_is_not_utf8():
    book = _import("旧书.txt", "第一章 旧文\n天下为公。\n".encode("gb18030"))
    assert chapter_of(book).blocks == ["<p>天下为公。</p>"]


def test_utf8_with_a_byte_order_mark_is_read():
    book = _import("书.txt", "\ufeff第一章\n正文。\n".encode())
    assert chapter_of(book).title == "第一章"


def test_markup_in_a_text_file_is_shown_as_text_never_run():
    book = _import("书.txt", "<script>alert(1)</script>正文\n")
    assert chapter_of(book).blocks == ["<p>&lt;script&gt;alert(1)&lt;/script&gt;正文</p>"]


def test_a_text_file_that_is_really_a_png_is_refused():
    message = _refused("书.txt", png())
    assert "PNG" in message


def test_a_text_file_that_is_really_a_zip_is_refused():
    assert _refused("书.txt", epub_bytes())


def test_a_binary_file_in_no_known_encoding_is_refused():
    message = _refused("书.txt", b"\x00\x01\x02\xff\xfe\x00abc")
    with translation.override("zh-hans"):
        assert "UTF-8" in message


def test_an_unknown_extension_is_refused():
    assert _refused("书.doc", "正文")


def test_an_empty_file_is_refused():
    assert _refused("书.txt", "   \n\n")


def test_a_file_larger_than_the_limit_is_refused_before_reading(settings):
    settings.LIBRARY_BOOK_MAX_BYTES = 100
    assert _refused("书.txt", "正文。" * 100)


def test_a_classified_mark_in_any_chapter_refuses_the_whole_book():
    source = text_source(3) + "第九章 附件\n机密★1年\n内容。\n"
    message = _refused("书.txt", source)
    with translation.override("zh-hans"):
        assert "涉密" in message


def test_a_classified_mark_in_the_title_is_refused():
    with pytest.raises(ValidationFailed):
        _import("书.txt", "正文。\n", title="绝密★ 内部材料")
    assert Book.objects.count() == 0


def test_only_editors_and_school_administrators_may_import(world):
    for persona in ("editor", "schooladmin"):
        assert _import("书.txt", "正文。\n", actor=world.user(persona)).pk
    for persona in ("member", "secretary", "leader", "sysadmin"):
        with pytest.raises(Forbidden):
            _import("书.txt", "正文。\n", actor=world.user(persona))
    assert Book.objects.count() == 2


def test_an_unknown_category_is_refused():
    with pytest.raises(ValidationFailed):
        _import("书.txt", "正文。\n", category="secret")
    assert Book.objects.count() == 0


# ---------------------------------------------------------------------------------- Markdown


def test_markdown_is_split_at_headings_rendered_and_sanitized():
    source = (
        "# 孟子\n\n## 天时不如地利\n\n孟子曰：**天时**不如地利。\n\n<script>x()</script>\n\n"
        "[链接](javascript:alert(1))\n\n```\n## 不是标题\n```\n\n## 鱼我所欲也\n\n- 鱼\n- 熊掌\n"
    )
    book = _import("孟子.md", source, title="")
    first, second = book.chapters.order_by("number")
    assert book.title == "孟子" and book.source_format == "markdown"
    assert (first.title, second.title) == ("天时不如地利", "鱼我所欲也")
    html = "".join(first.blocks)
    assert "<strong>天时</strong>" in html
    assert "<script" not in html and "&lt;script&gt;" in html  # shown as text, never run
    assert "href" not in html  # javascript: is no link
    assert "## 不是标题" in html  # a heading inside a code block does not split
    assert second.blocks == ["<ul>\n<li>鱼</li>\n<li>熊掌</li>\n</ul>"]


def test_markdown_without_headings_becomes_one_chapter():
    book = _import("短文.md", "第一段。\n\n第二段。\n")
    assert [(c.title, c.paragraph_count) for c in book.chapters.all()] == [("短文", 2)]


def test_a_markdown_file_that_is_really_a_pdf_is_refused():
    assert _refused("书.md", b"%PDF-1.4\n%...")


# ---------------------------------------------------------------------------------- EPUB


def test_an_epub_is_read_in_spine_order_with_its_metadata():
    data = epub_bytes(
        [
            ("第一章 起", "<p>甲。</p><p onclick='x()'>乙<script>bad()</script>。</p>"),
            ("第二章 承", "<div><p>丙。</p></div>正文外的字"),
        ],
        title="电子书名",
        author="作者甲",
    )
    book = _import("书.epub", data)
    first, second = book.chapters.order_by("number")
    assert (book.title, book.author, book.source_format) == ("电子书名", "作者甲", "epub")
    assert first.title == "第一章 起" and first.blocks == ["<p>甲。</p>", "<p>乙。</p>"]
    assert second.blocks == ["<p>丙。</p>", "<p>正文外的字</p>"]


def test_an_epub_zip_bomb_is_refused_before_it_is_unpacked():
    data = zip_bomb_epub()
    assert len(data) < 1024 * 1024  # small on the wire, 80 MB unpacked
    with translation.override("zh-hans"):
        assert _refused("炸弹.epub", data)


def test_an_epub_packed_too_tightly_is_refused_even_under_the_total_limit(settings):
    settings.LIBRARY_EPUB_MAX_UNPACKED_BYTES = 500 * 1024 * 1024
    assert _refused("炸弹.epub", zip_bomb_epub(size=4 * 1024 * 1024))


def test_an_epub_whose_parts_add_up_to_too_much_is_refused(settings):
    settings.LIBRARY_EPUB_MAX_UNPACKED_BYTES = 1000
    big = epub_bytes([("第一章", "<p>" + "字" * 2000 + "</p>")])
    assert _refused("书.epub", big)


@pytest.mark.parametrize("name", ["../../etc/passwd", "/etc/passwd", "OEBPS\\..\\x", "C:/x.xhtml"])
def test_an_epub_with_a_path_trick_in_a_part_name_is_refused(name):
    message = _refused("书.epub", epub_bytes(extra={name: b"x"}))
    assert "x" in message or "passwd" in message


def test_an_epub_whose_spine_points_outside_the_book_is_refused():
    data = epub_bytes([("第一章", "<p>甲</p>")], hrefs=["../../secret.xhtml"])
    assert _refused("书.epub", data)


def test_an_epub_whose_package_declares_entities_is_refused():
    data = epub_bytes(
        extra={},
        opf_path="content.opf",
    ).replace(b"<package", b'<!DOCTYPE p [<!ENTITY a "aaaa">]><package', 1)
    # The replacement changed a stored part's size: the zip is damaged or refused either way.
    assert _refused("书.epub", data)


def test_an_epub_that_is_not_a_zip_is_refused():
    assert _refused("书.epub", "第一章\n正文")


def test_an_epub_that_is_really_a_word_file_is_refused():
    from dangwu.portal.tests.files import rich_docx

    assert _refused("书.epub", rich_docx())


def test_an_epub_without_a_container_is_refused():
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/epub+zip")
    assert _refused("书.epub", buffer.getvalue())


def test_a_classified_mark_inside_an_epub_chapter_is_refused():
    data = epub_bytes([("第一章", "<p>甲。</p>"), ("附件", "<p>秘密★5年</p><p>内容</p>")])
    assert _refused("书.epub", data)


def test_blocks_are_cut_at_the_top_level_and_empty_ones_dropped():
    html = "<p>一</p><p> </p>散字<br>再散<ul><li>甲<ul><li>乙</li></ul></li></ul><h1>题</h1>"
    assert clean_blocks(html) == [
        "<p>一</p>",
        "<p>散字</p>",
        "<p>再散</p>",
        "<ul><li>甲<ul><li>乙</li></ul></li></ul>",
        "<h2>题</h2>",
    ]


# ---------------------------------------------------------------------------------- managing


def test_an_editor_changes_and_removes_a_book(world):
    editor = world.user("editor")
    book = book_with(actor=editor)
    services.book_update(
        actor=editor, book=book, title="新名", author="某", category="literature", description=""
    )
    book.refresh_from_db()
    assert (book.title, book.category) == ("新名", "literature")
    chapter = chapter_of(book)
    services.bookmark_create(actor=world.user("member"), chapter=chapter, paragraph=0)
    services.book_delete(actor=editor, book=book)
    assert not Book.objects.exists() and not Bookmark.objects.exists()
    assert AuditRecord.objects.filter(action="library.book_deleted").exists()


def test_a_member_may_not_change_a_book(world):
    book = book_with()
    with pytest.raises(Forbidden):
        services.book_update(
            actor=world.user("member"), book=book, title="x", author="", category="other"
        )
    with pytest.raises(Forbidden):
        services.book_delete(actor=world.user("member"), book=book)


# ---------------------------------------------------------------------------------- reading


def _token_from(chapter, user, seconds_ago: int, freezer) -> str:
    freezer(timezone.now() - timedelta(seconds=seconds_ago))
    token = services.beat_token(user=user, chapter=chapter)
    freezer(None)
    return token


@pytest.fixture
def freezer(monkeypatch):
    """``freezer(moment)`` makes timezone.now() answer ``moment`` (None: the real time)."""
    real = timezone.now

    def freeze(moment):
        monkeypatch.setattr(timezone, "now", (lambda: moment) if moment else real)

    return freeze


def test_reading_time_is_credited_up_to_the_time_elapsed(world, freezer):
    member = world.user("member")
    chapter = chapter_of(book_with())
    token = _token_from(chapter, member, 90, freezer)
    result = services.reading_report(
        actor=member, chapter=chapter, token=token, seconds=60, paragraph=3
    )
    assert result.credited == 60 and result.position_saved
    day = ReadingDay.objects.get(user=member)
    assert (day.day, day.seconds) == (timezone.localdate(), 60)
    position = ReadingPosition.objects.get(user=member)
    assert (position.chapter_id, position.paragraph) == (chapter.pk, 3)


def test_a_report_claiming_more_time_than_has_passed_is_refused_and_audited(world, freezer):
    member = world.user("member")
    chapter = chapter_of(book_with())
    token = _token_from(chapter, member, 30, freezer)
    with pytest.raises(DomainError):
        services.reading_report(
            actor=member, chapter=chapter, token=token, seconds=300, paragraph=2
        )
    assert not ReadingDay.objects.exists()
    assert not ReadingPosition.objects.exists()  # a forged report keeps nothing
    assert AuditRecord.objects.filter(action="library.reading_time_refused", success=False).exists()


def test_a_second_report_within_a_minute_writes_no_time(world, freezer):
    member = world.user("member")
    chapter = chapter_of(book_with())
    token = _token_from(chapter, member, 600, freezer)
    services.reading_report(actor=member, chapter=chapter, token=token, seconds=60)
    # Another tab claims 20 seconds right after: not more than elapsed? It is — refused.
    with pytest.raises(DomainError):
        services.reading_report(actor=member, chapter=chapter, token=token, seconds=20)
    # A claim within the elapsed time but less than a minute after the last write: not written.
    later = timezone.now() + timedelta(seconds=30)
    freezer(later)
    result = services.reading_report(actor=member, chapter=chapter, token=token, seconds=30)
    assert result.credited == 0
    assert ReadingDay.objects.get(user=member).seconds == 60
    freezer(later + timedelta(seconds=31))
    result = services.reading_report(actor=member, chapter=chapter, token=token, seconds=55)
    assert result.credited == 55
    assert ReadingDay.objects.get(user=member).seconds == 115


def test_a_forged_or_foreign_token_is_refused(world, freezer):
    member = world.user("member")
    book = book_with()
    chapter, other = chapter_of(book, 1), chapter_of(book, 2)
    for token in (
        "forged",
        services.beat_token(user=world.user("editor"), chapter=chapter),
        services.beat_token(user=member, chapter=other),
    ):
        with pytest.raises(DomainError):
            services.reading_report(actor=member, chapter=chapter, token=token, seconds=1)
    assert not ReadingDay.objects.exists()


def test_negative_or_absurd_seconds_are_refused(world, freezer):
    member = world.user("member")
    chapter = chapter_of(book_with())
    token = _token_from(chapter, member, 5000, freezer)
    for seconds in (-1, "x", 10_000):
        with pytest.raises(DomainError):
            services.reading_report(actor=member, chapter=chapter, token=token, seconds=seconds)
    assert not ReadingDay.objects.exists()


def test_a_position_outside_the_chapter_is_refused(world):
    member = world.user("member")
    chapter = chapter_of(book_with(paragraphs=3))
    token = services.beat_token(user=member, chapter=chapter)
    with pytest.raises(ValidationFailed):
        services.reading_report(actor=member, chapter=chapter, token=token, paragraph=3)
    assert not ReadingPosition.objects.exists()


def test_the_three_administrators_keep_no_reading_record(world):
    chapter = chapter_of(book_with())
    for persona in ("sysadmin", "secadmin", "auditor"):
        user = world.user(persona)
        with pytest.raises(Forbidden):
            services.position_save(actor=user, chapter=chapter, paragraph=0)
    with pytest.raises(Forbidden):
        services.position_save(actor=SYSTEM, chapter=chapter, paragraph=0)


def test_only_the_system_records_reading_time_directly(world):
    member = world.user("member")
    with pytest.raises(Forbidden):
        services.reading_time_record(
            actor=member, user=member, day=timezone.localdate(), seconds=60
        )
    row = services.reading_time_record(
        actor=SYSTEM, user=member, day=timezone.localdate(), seconds=60
    )
    assert row.seconds == 60


# ---------------------------------------------------------------------------------- bookmarks


def test_a_member_marks_a_paragraph_with_a_note_and_deletes_it(world):
    member = world.user("member")
    chapter = chapter_of(book_with())
    mark = services.bookmark_create(actor=member, chapter=chapter, paragraph=2, note=" 要记住 ")
    assert (mark.note, mark.paragraph) == ("要记住", 2)
    assert mark.excerpt.startswith("第1章第3段")
    services.bookmark_delete(actor=member, bookmark=mark)
    assert not Bookmark.objects.exists()


def test_nobody_deletes_another_persons_bookmark(world):
    chapter = chapter_of(book_with())
    mark = services.bookmark_create(actor=world.user("member"), chapter=chapter, paragraph=0)
    with pytest.raises(Forbidden):
        services.bookmark_delete(actor=world.user("editor"), bookmark=mark)
    assert Bookmark.objects.count() == 1


def test_bad_bookmarks_are_refused(world):
    member = world.user("member")
    chapter = chapter_of(book_with(paragraphs=2))
    with translation.override("zh-hans"):
        for paragraph, note in ((2, ""), (-1, ""), (0, "字" * 2001), (0, "秘密★ 笔记")):
            with pytest.raises(ValidationFailed) as caught:
                services.bookmark_create(
                    actor=member, chapter=chapter, paragraph=paragraph, note=note
                )
            assert caught.value.message
    assert not Bookmark.objects.exists()
    with translation.override("zh-hans"):
        assert gettext("There is no such paragraph in this chapter.") != ""
