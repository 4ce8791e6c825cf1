"""The portal's pages for visitors, readers, writers and editors."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from dangwu.portal.enums import ArticleStatus
from dangwu.portal.models import Article
from dangwu.portal.services import article_return, article_submit

INTERNAL_TITLE = "内部通知：党费自查"
PUBLIC_TITLE = "公开动态：培训班开班"


def zh(msgid: str, **values) -> str:
    with translation.override("zh-hans"):
        text = translation.gettext(msgid)
    return text % values if values else text


@pytest.fixture
def both(publish):
    """One public and one internal article, published."""
    return {"public": publish(PUBLIC_TITLE), "internal": publish(INTERNAL_TITLE, "notices")}


def _text(response) -> str:
    return response.content.decode()


# ---------------------------------------------------------------------------------- reading


def test_visitors_see_public_articles_on_the_home_page_and_nothing_internal(client, both):
    response = client.get("/portal/")
    assert response.status_code == 200
    assert PUBLIC_TITLE in _text(response)
    assert INTERNAL_TITLE not in _text(response)
    assert "工委通知通告" not in _text(response)  # not even the internal column's name
    assert "网上党校" not in _text(response)


def test_signed_in_people_see_their_to_do_list_first_then_every_column(
    client_for, world, both, write
):
    article_submit(actor=world.user("editor"), article=write("待审核的稿件"))
    response = client_for("editor").get("/portal/")
    text = _text(response)
    assert response.status_code == 200
    assert text.index(zh("Waiting for you")) < text.index(PUBLIC_TITLE)
    assert zh("Articles waiting for review (%(n)d)", n=1) in text
    assert INTERNAL_TITLE in text
    assert "网上党校" in text and 'href="/school/"' in text


def test_pinned_notices_come_first(client_for, publish):
    publish("普通通知", "notices")
    publish("置顶通知", "notices", pinned=True)
    text = _text(client_for("member").get("/portal/"))
    notices = text.index(zh("Notices"))
    assert notices < text.index("置顶通知") < text.index("普通通知")


def test_a_column_page_lists_its_articles_a_page_at_a_time(client, publish):
    for n in range(25):
        publish(f"动态第{n:02d}篇", at=timezone.now() - timedelta(minutes=n))
    first = _text(client.get("/portal/c/news/"))
    assert "动态第00篇" in first and "动态第19篇" in first and "动态第20篇" not in first
    second = _text(client.get("/portal/c/news/?page=2"))
    assert "动态第24篇" in second and "动态第00篇" not in second


def test_an_internal_column_is_not_found_for_visitors_but_open_to_members(client, client_for, both):
    assert client.get("/portal/c/notices/").status_code == 404
    assert client.get("/portal/c/nothing/").status_code == 404
    response = client_for("member").get("/portal/c/notices/")
    assert response.status_code == 200
    assert INTERNAL_TITLE in _text(response)


def test_an_entry_point_column_leads_to_its_link(client_for, columns):
    response = client_for("member").get("/portal/c/school/")
    assert response.status_code == 302
    assert response["Location"] == "/school/"


def test_the_article_page_shows_its_facts_body_and_neighbours(client, publish):
    older = publish("较早的一篇", at=timezone.now() - timedelta(days=2))
    middle = publish(
        "中间的一篇",
        at=timezone.now() - timedelta(days=1),
        subtitle="副标题在此",
        author="工委办公室",
        source_name="市直机关工委",
        body="<h2>一、基本情况</h2><p>正文内容</p>",
    )
    newer = publish("最新的一篇")
    response = client.get(f"/portal/a/{middle.pk}/")
    text = _text(response)
    assert response.status_code == 200
    for expected in (
        "中间的一篇",
        "副标题在此",
        "工委办公室",
        "市直机关工委",
        "<h2>一、基本情况</h2>",
    ):
        assert expected in text
    assert f'href="/portal/a/{older.pk}/"' in text
    assert f'href="/portal/a/{newer.pk}/"' in text
    assert f'href="/portal/a/{middle.pk}/print/"' in text


def test_the_print_page_shows_the_article_alone(client, publish):
    article = publish("可以打印的通知", body="<p>打印正文</p>")
    response = client.get(f"/portal/a/{article.pk}/print/")
    text = _text(response)
    assert response.status_code == 200
    assert "打印正文" in text
    assert 'class="main-nav"' not in text and "site-header" not in text


def test_drafts_internal_and_scheduled_articles_are_not_found_on_reading_pages(
    client, client_for, both, write, publish
):
    draft = write("尚未发布的草稿")
    scheduled = publish("明天发布", at=timezone.now() + timedelta(days=1))
    for article in (both["internal"], draft, scheduled):
        assert client.get(f"/portal/a/{article.pk}/").status_code == 404
        assert client.get(f"/portal/a/{article.pk}/print/").status_code == 404
    member = client_for("member")
    assert member.get(f"/portal/a/{both['internal'].pk}/").status_code == 200
    assert member.get(f"/portal/a/{draft.pk}/").status_code == 404
    assert member.get(f"/portal/a/{scheduled.pk}/").status_code == 404


def test_a_title_with_markup_is_shown_escaped(client, client_for, publish):
    article = publish('<script>alert("x")</script>标题')
    for response in (
        client.get("/portal/"),
        client.get(f"/portal/a/{article.pk}/"),
        client_for("editor").get(f"/portal/mine/{article.pk}/"),
    ):
        assert '<script>alert("x")</script>' not in _text(response)
        assert "&lt;script&gt;" in _text(response)


def test_the_rss_feed_of_a_public_column_lists_only_public_articles(client_for, both):
    # Even a signed-in reader gets the visitor's feed: feeds are shared and cached.
    response = client_for("editor").get("/portal/c/news/rss.xml")
    text = _text(response)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    assert PUBLIC_TITLE in text and INTERNAL_TITLE not in text
    assert client_for("editor").get("/portal/c/notices/rss.xml").status_code == 404


def test_the_sitemap_lists_public_columns_and_articles_only(client, both):
    response = client.get("/portal/sitemap.xml")
    text = _text(response)
    assert response.status_code == 200
    assert f"/portal/a/{both['public'].pk}/" in text
    assert "/portal/c/news/" in text
    assert f"/portal/a/{both['internal'].pk}/" not in text
    assert "/portal/c/notices/" not in text


def test_a_visitor_never_sees_an_internal_title_anywhere(client, both, publish):
    publish("另一条内部消息", "notices", pinned=True)
    pages = [
        "/portal/",
        "/portal/c/news/",
        f"/portal/a/{both['public'].pk}/",
        f"/portal/a/{both['public'].pk}/print/",
        "/portal/c/news/rss.xml",
        "/portal/sitemap.xml",
    ]
    for path in pages:
        text = _text(client.get(path))
        assert INTERNAL_TITLE not in text, path
        assert "另一条内部消息" not in text, path


@pytest.mark.parametrize("persona", [None, "member"])
def test_home_column_and_article_pages_cost_a_fixed_number_of_queries(
    client_for, client, publish, django_assert_max_num_queries, persona
):
    # Fixed costs of a signed-in request: session read and save (3), user, grants, member
    # record and its organization, restricted columns. Then the page's own reads; the home
    # page also asks each app's 我的待办 (mail 2, documents 1, incoming 1, exams 1, training 2,
    # submissions 1).
    reader = client_for(persona) if persona else client
    first = publish("第一篇", body="<p>正文</p>")
    publish("第一篇通知", "notices")
    caps = {"/portal/": 23, "/portal/c/news/": 12, f"/portal/a/{first.pk}/": 13}

    def counts() -> dict[str, int]:
        seen = {}
        for path, cap in caps.items():
            with django_assert_max_num_queries(cap) as captured:
                assert reader.get(path).status_code == 200
            seen[path] = len(captured)
        return seen

    few = counts()
    for n in range(30):
        publish(f"更多稿件{n}", "news" if n % 2 else "notices", pinned=n % 7 == 0)
    assert counts() == few


# ---------------------------------------------------------------------------------- editing


def _form(world, columns, **values):
    data = {
        "title": "新写的稿件",
        "column": columns["news"].pk,
        "visibility": "",
        "organization": world.orgs["org1"].pk,
        "source_kind": "grassroots",
        "source_name": "",
        "author": "",
        "secret_level": "",
        "body": "<p>正文第一段</p>",
    }
    data.update(values)
    return data


def test_a_secretary_writes_a_draft_for_their_organization(client_for, world, columns):
    response = client_for("secretary").post("/portal/mine/new/", _form(world, columns))
    article = Article.objects.get(title="新写的稿件")
    assert response.status_code == 302
    assert response["Location"] == f"/portal/mine/{article.pk}/"
    assert article.status == ArticleStatus.DRAFT
    assert article.organization == world.orgs["org1"]
    assert article.created_by == world.user("secretary")


def test_the_form_keeps_what_was_typed_and_says_what_to_fix(client_for, world, columns):
    response = client_for("secretary").post(
        "/portal/mine/new/", _form(world, columns, title="", body="<p>保留这段正文</p>")
    )
    assert response.status_code == 400
    assert "保留这段正文" in _text(response)
    assert response.context["form"].errors["title"]
    assert not Article.objects.exists()


def test_a_public_article_in_an_internal_column_is_refused_on_the_form(client_for, world, columns):
    response = client_for("editor").post(
        "/portal/mine/new/",
        _form(
            world,
            columns,
            column=columns["notices"].pk,
            visibility="public",
            organization=world.orgs["root"].pk,
        ),
    )
    assert response.status_code == 400
    assert response.context["form"].errors["visibility"]
    assert not Article.objects.exists()


@pytest.mark.parametrize(
    "values",
    [{"body": "<p>秘密★1年</p><p>正文</p>"}, {"secret_level": "机密"}],
    ids=["star-mark", "declared-level"],
)
def test_the_classification_guard_shows_as_a_form_error_and_saves_nothing(
    client_for, world, columns, values
):
    response = client_for("secretary").post("/portal/mine/new/", _form(world, columns, **values))
    assert response.status_code == 400
    errors = [str(e) for e in response.context["form"].errors["body"]]
    assert any("涉密不上网" in e for e in errors)
    assert "涉密不上网" in _text(response)
    assert not Article.objects.exists()


def test_a_secretary_cannot_write_for_another_organization(client_for, world, columns):
    response = client_for("secretary").post(
        "/portal/mine/new/", _form(world, columns, organization=world.orgs["org2"].pk)
    )
    assert response.status_code == 400  # not a choice offered to them
    assert not Article.objects.exists()


def test_editing_changes_the_draft_and_another_organization_gets_not_found(
    client_for, world, columns, write
):
    article = write("初稿", by="secretary")
    other = client_for("other_secretary")
    assert other.get(f"/portal/mine/{article.pk}/edit/").status_code == 404
    assert other.post(f"/portal/mine/{article.pk}/edit/", _form(world, columns)).status_code == 404
    response = client_for("secretary").post(
        f"/portal/mine/{article.pk}/edit/", _form(world, columns, title="二稿")
    )
    assert response.status_code == 302
    assert Article.objects.get(pk=article.pk).title == "二稿"


def test_the_whole_workflow_through_the_pages(client, world, columns, write):
    article = write("基层来稿", by="secretary")
    client.force_login(world.user("secretary"))
    assert client.post(f"/portal/mine/{article.pk}/submit/").status_code == 302
    # The secretary may not publish their own article.
    assert client.post(f"/portal/mine/{article.pk}/publish/", {"when": "now"}).status_code == 403

    client.force_login(world.user("editor"))
    queue = _text(client.get("/portal/review/"))
    assert "基层来稿" in queue
    response = client.post(f"/portal/mine/{article.pk}/return/", {"comment": ""})
    assert response.status_code == 400
    assert Article.objects.get(pk=article.pk).status == ArticleStatus.SUBMITTED
    client.post(f"/portal/mine/{article.pk}/return/", {"comment": "请补充活动照片"})
    assert Article.objects.get(pk=article.pk).status == ArticleStatus.RETURNED

    client.force_login(world.user("secretary"))
    home = _text(client.get("/"))
    assert zh("Returned for changes: %(title)s", title="基层来稿") in home
    assert "请补充活动照片" in _text(client.get(f"/portal/mine/{article.pk}/"))
    client.post(f"/portal/mine/{article.pk}/submit/")

    client.force_login(world.user("editor"))
    response = client.post(f"/portal/mine/{article.pk}/publish/", {"when": "now"})
    assert response.status_code == 302
    assert Article.objects.get(pk=article.pk).status == ArticleStatus.PUBLISHED
    client.logout()
    assert client.get(f"/portal/a/{article.pk}/").status_code == 200


def test_publishing_at_a_set_time_needs_a_future_time(client_for, world, write):
    article = write("定时发布")
    article_submit(actor=world.user("editor"), article=article)
    editor = client_for("editor")
    past = (timezone.localtime() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    response = editor.post(
        f"/portal/mine/{article.pk}/publish/", {"when": "later", "publish_at": past}
    )
    assert response.status_code == 400
    assert Article.objects.get(pk=article.pk).status == ArticleStatus.SUBMITTED
    future = (timezone.localtime() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    editor.post(f"/portal/mine/{article.pk}/publish/", {"when": "later", "publish_at": future})
    article.refresh_from_db()
    assert article.status == ArticleStatus.PUBLISHED
    assert article.publish_at > timezone.now() + timedelta(days=1)
    mine = _text(editor.get("/portal/mine/"))
    assert zh("Scheduled for %(time)s", time=future.replace("T", " ")) in mine


def test_withdrawing_through_the_page(client, client_for, publish):
    article = publish("要撤回的")
    response = client_for("editor").post(f"/portal/mine/{article.pk}/withdraw/", {"comment": "x"})
    assert response.status_code == 302
    assert Article.objects.get(pk=article.pk).status == ArticleStatus.WITHDRAWN
    client.logout()
    assert client.get(f"/portal/a/{article.pk}/").status_code == 404


def test_a_too_long_withdrawal_comment_is_refused_and_the_article_stays_published(
    client_for, publish
):
    article = publish("留在网上的")
    response = client_for("editor").post(
        f"/portal/mine/{article.pk}/withdraw/", {"comment": "长" * 2001}
    )
    assert response.status_code == 400
    assert Article.objects.get(pk=article.pk).status == ArticleStatus.PUBLISHED


def test_my_articles_and_the_review_queue_cost_no_query_per_row(
    client_for, world, write, django_assert_max_num_queries
):
    editor = world.user("editor")
    reader = client_for("editor")

    def counts() -> list[int]:
        seen = []
        for path in ("/portal/mine/", "/portal/review/"):
            with django_assert_max_num_queries(20) as captured:
                assert reader.get(path).status_code == 200
            seen.append(len(captured))
        return seen

    article_submit(actor=editor, article=write("第一篇待审"))
    few = counts()
    for n in range(10):
        article_submit(actor=editor, article=write(f"待审稿件{n}", by="secretary"))
    assert counts() == few


def test_my_articles_filters_by_state(client_for, world, write):
    write("草稿一篇", by="secretary")
    submitted = write("已提交一篇", by="secretary")
    article_submit(actor=world.user("secretary"), article=submitted)
    secretary = client_for("secretary")
    everything = _text(secretary.get("/portal/mine/"))
    assert "草稿一篇" in everything and "已提交一篇" in everything
    only = _text(secretary.get("/portal/mine/?status=submitted"))
    assert "已提交一篇" in only and "草稿一篇" not in only


def test_the_history_shows_who_changed_what(client_for, world, write):
    article = write("历史记录", by="secretary")
    article_submit(actor=world.user("secretary"), article=article)
    article_return(actor=world.user("editor"), article=article, comment="标题太长")
    text = _text(client_for("secretary").get(f"/portal/mine/{article.pk}/history/"))
    assert "标题太长" in text
    assert world.user("editor").label in text
    assert zh("Returned with a comment") in text


def test_the_review_queue_and_my_articles_are_refused_to_those_without_the_role(client_for):
    assert client_for("member").get("/portal/mine/").status_code == 403
    assert client_for("secretary").get("/portal/review/").status_code == 403


# ---------------------------------------------------------------------- attachments and Word


def test_a_writer_attaches_a_file_and_readers_download_it_once_published(
    client, client_for, world, write
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from dangwu.portal.services import article_publish
    from dangwu.portal.tests import files

    article = write("带附件的通知", by="secretary")
    secretary = client_for("secretary")
    upload = SimpleUploadedFile("活动方案.pdf", files.pdf("活动方案"), "application/pdf")
    response = secretary.post(f"/portal/mine/{article.pk}/attachments/", {"file": upload})
    assert response.status_code == 302
    attachment = article.attachments.get()
    assert attachment.original_name == "活动方案.pdf"
    assert "活动方案.pdf" in _text(secretary.get(f"/portal/mine/{article.pk}/"))

    fake = SimpleUploadedFile("假的.pdf", b"not a pdf at all", "application/pdf")
    response = secretary.post(f"/portal/mine/{article.pk}/attachments/", {"file": fake})
    assert response.status_code == 400
    assert response.context["attachment_form"].errors["file"]
    assert article.attachments.count() == 1

    article_submit(actor=world.user("secretary"), article=article)
    article_publish(actor=world.user("editor"), article=article)
    client.logout()
    page = _text(client.get(f"/portal/a/{article.pk}/"))
    assert f"/portal/files/{attachment.uuid}/" in page
    assert client.get(f"/portal/files/{attachment.uuid}/").status_code == 200


def test_a_draft_is_created_from_a_word_file(client_for, world, columns):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from dangwu.portal.tests import files

    upload = SimpleUploadedFile("通知.docx", files.rich_docx())
    response = client_for("secretary").post(
        "/portal/mine/new/docx/",
        {"column": columns["news"].pk, "organization": world.orgs["org1"].pk, "file": upload},
    )
    article = Article.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/portal/mine/{article.pk}/"
    assert article.status == ArticleStatus.DRAFT
    assert "<h2>" in article.body


def test_a_file_that_is_not_a_docx_is_refused_and_nothing_is_saved(client_for, world, columns):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("通知.docx", b"plain text pretending")
    response = client_for("secretary").post(
        "/portal/mine/new/docx/",
        {"column": columns["news"].pk, "organization": world.orgs["org1"].pk, "file": upload},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["file"]
    assert not Article.objects.exists()
