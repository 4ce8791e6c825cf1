"""The portal through the API: what readers and visitors see, and the editorial workflow."""

from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from dangwu.access import SYSTEM
from dangwu.analytics.enums import VisitKind
from dangwu.analytics.models import DailyVisits
from dangwu.audit.models import AuditRecord
from dangwu.core.classification import classification_problem
from dangwu.core.visibility import Visibility
from dangwu.portal import attachments, services
from dangwu.portal.enums import ArticleStatus, SourceKind
from dangwu.portal.models import Article, ArticleRevision, Column

COLUMNS = "/api/v1/portal/columns"
ARTICLES = "/api/v1/portal/articles"
MINE = "/api/v1/portal/my/articles"


@dataclass
class Portal:
    news: Column  # public
    forum: Column  # public
    notices: Column  # internal
    restricted: Column  # 限定范围: the second committee's subtree
    public: Article  # live, public, in news (and in notices as an extra column)
    internal: Article  # live, internal, in notices
    hidden: Article  # live, restricted
    draft: Article  # the first committee's draft in news
    other_draft: Article  # the second committee's draft in news
    scheduled: Article  # public, publishes tomorrow


def write(world, org: str = "org1", **values) -> Article:
    values.setdefault("title", "标题")
    return services.article_create(actor=SYSTEM, organization=world.orgs[org], **values)


def publish(article: Article, **kwargs) -> Article:
    services.article_submit(actor=SYSTEM, article=article)
    return services.article_publish(actor=SYSTEM, article=article, **kwargs)


@pytest.fixture
def portal(world) -> Portal:
    def column(slug: str, name: str, visibility: str, **extra) -> Column:
        return services.column_create(
            actor=SYSTEM, slug=slug, name=name, visibility=visibility, **extra
        )

    news = column("news", "要闻要论", Visibility.PUBLIC, order=1)
    forum = column("forum", "党建论坛", Visibility.PUBLIC, order=2)
    notices = column("notices", "工委通知通告", Visibility.INTERNAL, order=3)
    restricted = column(
        "inspection",
        "纪检监察信息",
        Visibility.RESTRICTED,
        order=4,
        restricted_organizations=[world.orgs["org2"]],
    )
    return Portal(
        news=news,
        forum=forum,
        notices=notices,
        restricted=restricted,
        public=publish(
            write(
                world,
                column=news,
                extra_columns=[notices],
                title="公开的要闻",
                body="<p>正文</p>",
                visibility=Visibility.PUBLIC,
            )
        ),
        internal=publish(write(world, column=notices, title="内部通知")),
        hidden=publish(
            write(world, "org2", column=restricted, title="限定的信息", visibility="restricted")
        ),
        draft=write(world, column=news, title="第一机关党委的草稿", visibility="public"),
        other_draft=write(world, "org2", column=news, title="第二机关党委的草稿"),
        scheduled=publish(
            write(world, column=news, title="明天发布", visibility="public"),
            publish_at=timezone.now() + timedelta(days=1),
        ),
    )


class Caller:
    """The test client as a persona (bearer token), or as a visitor without credentials."""

    def __init__(self, client: Client, secret: str | None) -> None:
        self.client = client
        self.headers = {"Authorization": f"Bearer {secret}"} if secret else {}

    def get(self, url: str, **params):
        return self.client.get(url, params, headers=self.headers)

    def post(self, url: str, data=None):
        return self.client.post(
            url, data or {}, content_type="application/json", headers=self.headers
        )

    def patch(self, url: str, data):
        return self.client.patch(url, data, content_type="application/json", headers=self.headers)


@pytest.fixture
def as_(client, token_for):
    """``as_("secretary")`` calls with that persona's token; ``as_(None)`` as a visitor."""
    return lambda persona: Caller(client, token_for(persona) if persona else None)


def titles(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [a["title"] for a in response.json()["items"]]


def zh(msgid: str) -> str:
    with translation.override("zh-hans"):
        return gettext(msgid)


def nothing_written(before: tuple[int, int]) -> bool:
    return (Article.objects.count(), ArticleRevision.objects.count()) == before


def counts() -> tuple[int, int]:
    return Article.objects.count(), ArticleRevision.objects.count()


# ------------------------------------------------------------------------------------ readers


def test_visitor_lists_only_public_columns_without_signing_in(as_, portal):
    response = as_(None).get(COLUMNS)
    assert response.status_code == 200
    assert [c["name"] for c in response.json()["items"]] == ["要闻要论", "党建论坛"]
    assert response.json()["count"] == 2


def test_signed_in_readers_list_internal_columns_and_restricted_ones_for_their_scope(as_, portal):
    def names(persona):
        return [c["name"] for c in as_(persona).get(COLUMNS).json()["items"]]

    assert names("member") == ["要闻要论", "党建论坛", "工委通知通告"]
    assert names("other_secretary") == ["要闻要论", "党建论坛", "工委通知通告", "纪检监察信息"]


def test_column_detail_is_not_found_for_a_column_the_reader_may_not_see(as_, portal):
    visitor = as_(None)
    public = visitor.get(f"{COLUMNS}/{portal.news.pk}")
    assert public.status_code == 200
    assert public.json()["visibility"] == "public"
    for column in (portal.notices, portal.restricted):
        response = visitor.get(f"{COLUMNS}/{column.pk}")
        assert response.status_code == 404
        assert column.name not in response.content.decode()
    assert as_("member").get(f"{COLUMNS}/{portal.restricted.pk}").status_code == 404
    assert as_("member").get(f"{COLUMNS}/{portal.notices.pk}").status_code == 200
    assert visitor.get(f"{COLUMNS}/987654").status_code == 404


def test_visitor_never_sees_internal_restricted_unpublished_or_scheduled_articles(as_, portal):
    visitor = as_(None)
    response = visitor.get(ARTICLES)
    assert titles(response) == ["公开的要闻"]
    assert response.json()["count"] == 1
    content = response.content.decode()
    for hidden in ("内部通知", "限定的信息", "草稿", "明天发布"):
        assert hidden not in content
    for article in (
        portal.internal,
        portal.hidden,
        portal.draft,
        portal.other_draft,
        portal.scheduled,
    ):
        detail = visitor.get(f"{ARTICLES}/{article.pk}")
        assert detail.status_code == 404
        assert detail.json() == visitor.get(f"{ARTICLES}/987654").json()


def test_visitor_cannot_count_an_internal_columns_articles(as_, portal):
    response = as_(None).get(ARTICLES, column=portal.notices.pk)
    assert response.status_code == 404
    assert "count" not in response.json()


def test_signed_in_readers_see_internal_articles_and_restricted_ones_for_their_scope(as_, portal):
    assert titles(as_("member").get(ARTICLES)) == ["内部通知", "公开的要闻"]
    assert titles(as_("other_secretary").get(ARTICLES)) == ["限定的信息", "内部通知", "公开的要闻"]
    assert as_("member").get(f"{ARTICLES}/{portal.hidden.pk}").status_code == 404


def test_a_session_reader_is_the_signed_in_user_not_a_visitor(client_for, portal):
    response = client_for("member").get(f"{ARTICLES}/{portal.internal.pk}")
    assert response.status_code == 200
    assert response.json()["title"] == "内部通知"


def test_a_rejected_token_is_refused_even_for_public_content(client, portal):
    response = client.get(ARTICLES, headers={"Authorization": "Bearer dw_not-a-real-token"})
    assert response.status_code == 401


def test_article_detail_carries_the_body_and_only_the_extra_columns_the_reader_may_see(as_, portal):
    url = f"{ARTICLES}/{portal.public.pk}"
    body = as_(None).get(url).json()
    assert body["body"] == "<p>正文</p>"
    assert body["column_name"] == "要闻要论"
    assert body["organization_name"] == "第一机关党委"
    assert body["source_kind"] == "committee"
    assert body["extra_columns"] == []
    assert as_("member").get(url).json()["extra_columns"] == [
        {"id": portal.notices.pk, "name": "工委通知通告"}
    ]


def test_article_list_filters_by_column_source_dates_and_pinned(as_, portal, world):
    digest = publish(
        write(
            world,
            column=portal.forum,
            title="摘编",
            visibility="public",
            source_kind=SourceKind.DIGEST,
            pinned=True,
        ),
        publish_at=timezone.make_aware(datetime(2024, 3, 1, 0, 30)),  # Beijing, 1 March
    )
    member = as_("member")
    assert titles(member.get(ARTICLES, column=portal.news.pk)) == ["公开的要闻"]
    # An extra column lists the article too.
    assert titles(member.get(ARTICLES, column=portal.notices.pk)) == ["内部通知", "公开的要闻"]
    assert titles(member.get(ARTICLES, source_kind="digest")) == ["摘编"]
    assert titles(member.get(ARTICLES, pinned=True)) == ["摘编"]
    assert "摘编" not in titles(member.get(ARTICLES, pinned=False))
    assert titles(member.get(ARTICLES, published_from="2024-03-01", published_to="2024-03-01")) == [
        "摘编"
    ]
    assert titles(member.get(ARTICLES, published_to="2024-02-29")) == []
    assert digest.title not in titles(member.get(ARTICLES, published_from="2024-03-02"))


def test_article_list_is_newest_first_and_pages_cover_it(as_, portal, world):
    for i in range(5):
        publish(write(world, column=portal.news, title=f"第{i}篇", visibility="public"))
    visitor = as_(None)
    everything = titles(visitor.get(ARTICLES))
    assert everything[:5] == ["第4篇", "第3篇", "第2篇", "第1篇", "第0篇"]
    paged = titles(visitor.get(ARTICLES, limit=4)) + titles(visitor.get(ARTICLES, offset=4))
    assert paged == everything


@pytest.mark.parametrize(
    "params",
    [
        {"source_kind": "rumour"},
        {"column": 0},
        {"column": "x"},
        {"pinned": "maybe"},
        {"published_from": "2024-13-01"},
        {"published_from": "2024-03-02", "published_to": "2024-03-01"},
        {"limit": 0},
        {"limit": 10_000},
    ],
)
def test_article_list_with_bad_parameters_gets_422(as_, portal, params):
    response = as_(None).get(ARTICLES, **params)
    assert response.status_code == 422
    assert isinstance(response.json()["detail"], list)


def test_reader_operations_are_marked_open_to_visitors_in_the_schema(client, db):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in ("/portal/columns", "/portal/columns/{column_id}", "/portal/articles"):
        assert {} in paths[f"/api/v1{path}"]["get"]["security"]
    assert {} not in paths["/api/v1/portal/articles"]["post"]["security"]
    assert {} not in paths["/api/v1/portal/my/articles"]["get"]["security"]


# ------------------------------------------------------------------------------------ writers


def test_secretary_writes_a_draft_for_their_organization(as_, portal, world):
    response = as_("secretary").post(
        ARTICLES,
        {
            "organization": world.orgs["branch1"].pk,
            "column": portal.news.pk,
            "extra_columns": [portal.forum.pk],
            "title": "支部活动",
            "body": "<p>内容</p>",
            "source_kind": "grassroots",
            "visibility": "public",
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "draft"
    assert body["organization_name"] == "第一机关党委第一支部"
    assert body["extra_columns"] == [{"id": portal.forum.pk, "name": "党建论坛"}]
    article = Article.objects.get(pk=body["id"])
    assert article.created_by == world.user("secretary")
    assert [r.action for r in article.revisions.all()] == ["created"]
    assert AuditRecord.objects.filter(action="portal.article_created", actor=article.created_by)
    # A draft is the writer's only: readers and visitors do not see it.
    assert "支部活动" not in titles(as_("member").get(ARTICLES))


def test_visibility_defaults_to_the_columns(as_, portal, world):
    response = as_("editor").post(
        ARTICLES,
        {"organization": world.orgs["root"].pk, "column": portal.notices.pk, "title": "通知"},
    )
    assert response.json()["visibility"] == "internal"


@pytest.mark.parametrize("persona", ["member", "leader", "clerk", "auditor"])
def test_a_reader_without_a_writing_role_may_not_write(as_, portal, world, persona):
    before = counts()
    response = as_(persona).post(
        ARTICLES,
        {"organization": world.orgs["branch1"].pk, "column": portal.news.pk, "title": "不行"},
    )
    assert response.status_code == 403
    assert nothing_written(before)
    assert as_(persona).get(MINE).status_code == 403


def test_a_visitor_may_not_write_or_list_drafts(as_, portal, world):
    visitor = as_(None)
    assert visitor.post(ARTICLES, {"title": "x"}).status_code == 401
    assert visitor.get(MINE).status_code == 401
    assert visitor.post(f"{ARTICLES}/{portal.draft.pk}/submit").status_code == 401


def test_secretary_may_not_write_for_another_organization(as_, portal, world):
    before = counts()
    response = as_("secretary").post(
        ARTICLES,
        {"organization": world.orgs["org2"].pk, "column": portal.news.pk, "title": "越权"},
    )
    assert response.status_code == 403
    assert nothing_written(before)


@pytest.mark.parametrize(
    ("field", "value", "msgid"),
    [
        ("column", 987654, "There is no such column."),
        ("extra_columns", [987654], "There is no such column."),
        ("organization", 987654, "There is no such organization."),
    ],
)
def test_unknown_column_or_organization_is_refused_in_chinese_and_nothing_saved(
    as_, portal, world, field, value, msgid
):
    before = counts()
    payload = {"organization": world.orgs["org1"].pk, "column": portal.news.pk, "title": "稿件"}
    response = as_("secretary").post(ARTICLES, payload | {field: value})
    assert response.status_code == 400
    assert response.json()["detail"] == zh(msgid)
    assert response.json()["errors"] == [{"field": field, "message": zh(msgid)}]
    assert nothing_written(before)


def test_a_title_with_markup_is_stored_as_given_and_the_body_is_sanitized(as_, portal, world):
    title = '<script>alert("x")</script>标题'
    response = as_("secretary").post(
        ARTICLES,
        {
            "organization": world.orgs["org1"].pk,
            "column": portal.news.pk,
            "title": title,
            "body": '<p onclick="steal()">正文</p><script>alert(1)</script>'
            '<img src="x" onerror="alert(2)"><a href="javascript:alert(3)">链接</a>',
        },
    )
    assert response.status_code == 201
    article = Article.objects.get(pk=response.json()["id"])
    # The title is plain text: kept as typed, escaped by whoever shows it.
    assert article.title == title
    assert response.json()["title"] == title
    assert response["Content-Type"] == "application/json; charset=utf-8"
    for gone in ("<script", "onclick", "onerror", "javascript:"):
        assert gone not in article.body
        assert gone not in response.json()["body"]
    assert "正文" in article.body


@pytest.mark.parametrize(
    "values",
    [
        {"title": "秘密★ 关于某事的通知"},
        {"title": "通知", "body": "<p>机密★一年</p><p>正文</p>"},
        {"title": "通知", "secret_level": "绝密"},
    ],
)
def test_classified_content_is_refused_and_nothing_is_saved(as_, portal, world, values):
    before = counts()
    audit_before = AuditRecord.objects.filter(action__startswith="portal.").count()
    payload = {"organization": world.orgs["org1"].pk, "column": portal.news.pk} | values
    response = as_("secretary").post(ARTICLES, payload)
    assert response.status_code == 400
    with translation.override("zh-hans"):
        expected = classification_problem(
            values["title"], values.get("body", ""), declared_level=values.get("secret_level", "")
        )
    assert expected
    assert response.json()["detail"] == expected
    assert nothing_written(before)
    assert AuditRecord.objects.filter(action__startswith="portal.").count() == audit_before


def test_classified_content_is_refused_on_update_and_the_article_is_unchanged(as_, portal):
    url = f"{ARTICLES}/{portal.draft.pk}"
    before = counts()
    response = as_("secretary").patch(url, {"body": "<p>秘密★</p>"})
    assert response.status_code == 400
    assert nothing_written(before)
    portal.draft.refresh_from_db()
    assert portal.draft.body == ""


def test_secretary_lists_and_opens_only_their_organizations_drafts(as_, portal):
    secretary = as_("secretary")
    mine = titles(secretary.get(MINE))
    assert "第一机关党委的草稿" in mine
    assert "第二机关党委的草稿" not in mine
    assert secretary.get(f"{MINE}/{portal.draft.pk}").status_code == 200
    other = portal.other_draft.pk
    missing = secretary.get(f"{MINE}/987654")
    for response in (
        secretary.get(f"{MINE}/{other}"),
        secretary.patch(f"{ARTICLES}/{other}", {"title": "改了"}),
        secretary.post(f"{ARTICLES}/{other}/submit"),
        secretary.post(f"{ARTICLES}/{other}/publish"),
        secretary.get(f"{ARTICLES}/{other}/revisions"),
    ):
        assert response.status_code == 404
        assert response.json() == missing.json()
        assert "第二机关党委的草稿" not in response.content.decode()
    portal.other_draft.refresh_from_db()
    assert portal.other_draft.status == ArticleStatus.DRAFT
    assert portal.other_draft.title == "第二机关党委的草稿"


def test_editor_lists_every_organizations_articles_filtered_by_status(as_, portal):
    editor = as_("editor")
    assert set(titles(editor.get(MINE, status="draft"))) == {
        "第一机关党委的草稿",
        "第二机关党委的草稿",
    }
    assert editor.get(MINE, status="published").json()["count"] == 4
    assert titles(editor.get(MINE, column=portal.notices.pk)) == ["内部通知"]
    assert editor.get(MINE, status="lost").status_code == 422


def test_the_whole_workflow_submit_return_edit_resubmit_publish_withdraw(as_, portal):
    secretary, editor, visitor = as_("secretary"), as_("editor"), as_(None)
    url = f"{ARTICLES}/{portal.draft.pk}"

    assert secretary.post(f"{url}/submit").json()["status"] == "submitted"
    blank = editor.post(f"{url}/return", {"comment": "  "})
    assert blank.status_code == 400
    assert blank.json()["detail"] == zh("Say what should be changed, so the author knows.")
    assert editor.post(f"{url}/return", {}).status_code == 422
    returned = editor.post(f"{url}/return", {"comment": "请补充图片"}).json()
    assert (returned["status"], returned["review_comment"]) == ("returned", "请补充图片")

    edited = secretary.patch(url, {"title": "修改后的稿件", "body": "<p>补充了</p>"})
    assert edited.status_code == 200
    assert (edited.json()["title"], edited.json()["status"]) == ("修改后的稿件", "returned")
    assert secretary.post(f"{url}/submit").json()["status"] == "submitted"
    published = editor.post(f"{url}/publish")
    assert published.status_code == 200
    assert published.json()["status"] == "published"
    assert "修改后的稿件" in titles(visitor.get(ARTICLES))
    assert visitor.get(url).json()["body"] == "<p>补充了</p>"

    assert editor.post(f"{url}/withdraw", {"comment": "有误"}).json()["status"] == "withdrawn"
    assert visitor.get(url).status_code == 404
    assert "修改后的稿件" not in titles(visitor.get(ARTICLES))

    history = secretary.get(f"{url}/revisions").json()
    assert [r["action"] for r in history["items"]] == [
        "withdrawn",
        "published",
        "submitted",
        "edited",
        "returned",
        "submitted",
        "created",
    ]
    edit = history["items"][3]
    assert set(edit["changed_fields"]) == {"title", "body"}
    assert edit["changed_by_name"] == "demo-secretary"
    assert history["items"][4]["comment"] == "请补充图片"


def test_secretary_may_not_publish_return_or_withdraw(as_, portal):
    secretary = as_("secretary")
    url = f"{ARTICLES}/{portal.draft.pk}"
    secretary.post(f"{url}/submit")
    before = counts()
    assert secretary.post(f"{url}/publish").status_code == 403
    assert secretary.post(f"{url}/return", {"comment": "x"}).status_code == 403
    assert nothing_written(before)
    portal.draft.refresh_from_db()
    assert portal.draft.status == ArticleStatus.SUBMITTED
    assert AuditRecord.objects.filter(action="access.denied", success=False).count() == 2
    assert secretary.post(f"{ARTICLES}/{portal.public.pk}/withdraw").status_code == 403
    assert portal.public.pk in [a["id"] for a in as_(None).get(ARTICLES).json()["items"]]


def test_publishing_in_a_column_reserved_for_other_roles_is_refused(as_, portal, world):
    reserved = services.column_create(
        actor=SYSTEM, slug="speeches", name="领导讲话", publisher_roles=["reviewer"]
    )
    article = write(world, column=reserved, title="讲话")
    services.article_submit(actor=SYSTEM, article=article)
    response = as_("editor").post(f"{ARTICLES}/{article.pk}/publish")
    assert response.status_code == 400
    assert "领导讲话" in response.json()["detail"]
    article.refresh_from_db()
    assert article.status == ArticleStatus.SUBMITTED


@pytest.mark.parametrize(
    ("action", "data"),
    [("publish", None), ("return", {"comment": "改"}), ("withdraw", None)],
)
def test_transitions_from_the_wrong_state_get_400_and_change_nothing(as_, portal, action, data):
    response = as_("editor").post(f"{ARTICLES}/{portal.draft.pk}/{action}", data)
    assert response.status_code == 400
    assert response.json()["detail"]
    portal.draft.refresh_from_db()
    assert portal.draft.status == ArticleStatus.DRAFT


def test_a_published_article_cannot_be_edited_or_resubmitted_before_withdrawal(as_, portal):
    editor = as_("editor")
    url = f"{ARTICLES}/{portal.public.pk}"
    before = counts()
    assert editor.patch(url, {"title": "偷改"}).status_code == 400
    assert editor.post(f"{url}/submit").status_code == 400
    assert nothing_written(before)
    portal.public.refresh_from_db()
    assert (portal.public.title, portal.public.status) == ("公开的要闻", ArticleStatus.PUBLISHED)


def test_scheduled_publishing_reads_a_time_without_zone_as_beijing_time(as_, portal):
    url = f"{ARTICLES}/{portal.draft.pk}"
    as_("secretary").post(f"{url}/submit")
    response = as_("editor").post(f"{url}/publish", {"publish_at": "2099-05-01T08:00:00"})
    assert response.status_code == 200
    portal.draft.refresh_from_db()
    beijing = timezone.localtime(portal.draft.publish_at)
    assert (beijing.year, beijing.hour, str(beijing.tzinfo)) == (2099, 8, "Asia/Shanghai")
    # Not yet: readers do not see it.
    assert as_(None).get(url).status_code == 404


@pytest.mark.parametrize(
    ("data", "status"),
    [
        ({"title": None}, 422),
        ({"pinned": None}, 422),
        ({"column": 987654}, 400),
        ({"visibility": "secret"}, 422),
        ({"title": "   "}, 400),
        ({"title": "长" * 201}, 400),
        ({"column": "notices-id", "visibility": "public"}, 400),
    ],
)
def test_bad_updates_are_refused_and_change_nothing(as_, portal, data, status):
    if data.get("column") == "notices-id":
        data = data | {"column": portal.notices.pk}  # public article in an internal column
    before = counts()
    response = as_("secretary").patch(f"{ARTICLES}/{portal.draft.pk}", data)
    assert response.status_code == status, response.content
    assert nothing_written(before)
    portal.draft.refresh_from_db()
    assert (portal.draft.title, portal.draft.column_id) == ("第一机关党委的草稿", portal.news.pk)


def test_session_writes_need_the_csrf_token(world, portal):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(world.user("secretary"))
    url = f"{ARTICLES}/{portal.draft.pk}/submit"
    assert browser.post(url, content_type="application/json").status_code == 403
    portal.draft.refresh_from_db()
    assert portal.draft.status == ArticleStatus.DRAFT


# ------------------------------------------------------------------------------ query counts


def _more_articles(world, portal: Portal, n: int) -> None:
    for i in range(n):
        article = write(
            world,
            "org2" if i % 2 else "org1",
            column=portal.forum if i % 2 else portal.news,
            extra_columns=[portal.notices],
            title=f"新稿{i}",
            visibility="public",
        )
        if i % 3:
            publish(article)


@pytest.mark.parametrize(
    ("persona", "url", "limit"),
    [
        (None, COLUMNS, 2),
        (None, ARTICLES, 2),
        ("member", ARTICLES, 8),
        ("other_secretary", ARTICLES, 8),
        ("editor", MINE, 5),
        ("secretary", MINE, 5),
    ],
)
def test_list_query_count_is_fixed_whatever_the_number_of_rows(
    as_, portal, world, django_assert_max_num_queries, persona, url, limit
):
    caller = as_(persona)
    caller.get(url)  # the token's first use records when it was used
    with django_assert_max_num_queries(limit) as before:
        small = caller.get(url)
    _more_articles(world, portal, 12)
    with django_assert_max_num_queries(limit) as after:
        large = caller.get(url)
    assert len(after.captured_queries) == len(before.captured_queries)
    if url != COLUMNS:
        assert large.json()["count"] > small.json()["count"]


def test_article_detail_and_revisions_query_counts_are_fixed(
    as_, portal, world, django_assert_max_num_queries
):
    editor = as_("editor")
    url = f"{ARTICLES}/{portal.public.pk}"
    editor.get(url)
    with django_assert_max_num_queries(8):
        assert editor.get(url).status_code == 200
    with django_assert_max_num_queries(5):
        assert editor.get(f"{url}/revisions").json()["count"] == 3


# ------------------------------------------------------------------------ attachments, visits

PNG = b"\x89PNG\r\n\x1a\n" + bytes(64)


def attach(article: Article, name: str = "会议照片.png"):
    return attachments.attachment_add(
        actor=SYSTEM,
        article=article,
        upload=SimpleUploadedFile(name, PNG, content_type="image/png"),
    )


def test_article_detail_lists_attachments_with_their_download_addresses(as_, portal, world):
    article = write(world, column=portal.news, title="有附件", visibility="public")
    attachment = attach(article)
    publish(article)
    body = as_(None).get(f"{ARTICLES}/{article.pk}").json()
    url = f"/portal/files/{attachment.uuid}/"
    assert body["attachments"] == [
        {"name": "会议照片.png", "content_type": "image/png", "size": len(PNG), "url": url}
    ]
    assert as_(None).client.get(url).status_code == 200
    mine = as_("secretary").get(f"{MINE}/{article.pk}").json()
    assert [a["url"] for a in mine["attachments"]] == [url]


def test_visitors_never_learn_an_internal_articles_attachments(as_, portal, world):
    attachment = attach(write(world, column=portal.notices, title="内部附件"))
    response = as_(None).get(ARTICLES)
    assert str(attachment.uuid) not in response.content.decode()


def test_writers_see_the_visits_of_their_articles_and_nobody_else_does(as_, portal):
    today = timezone.localdate()
    for site, views, visitors in (("internal", 7, 3), ("public", 5, 4)):
        DailyVisits.objects.create(
            site=site,
            day=today,
            kind=VisitKind.ARTICLE,
            object_id=portal.public.pk,
            views=views,
            visitors=visitors,
        )
    url = f"{ARTICLES}/{portal.public.pk}/visits"
    for persona in ("secretary", "editor"):
        response = as_(persona).get(url)
        assert response.status_code == 200
        assert response.json() == {"views": 12, "visitors": 7}
    assert as_("other_secretary").get(url).status_code == 404
    assert as_("member").get(url).status_code == 404
    assert as_(None).get(url).status_code == 401
    unvisited = as_("secretary").get(f"{ARTICLES}/{portal.draft.pk}/visits")
    assert unvisited.json() == {"views": 0, "visitors": 0}


def test_a_title_with_markup_from_the_api_is_escaped_on_the_pages(as_, client, portal, world):
    title = "<script>alert('x')</script>标题"
    created = as_("editor").post(
        ARTICLES,
        {
            "organization": world.orgs["root"].pk,
            "column": portal.news.pk,
            "title": title,
            "visibility": "public",
        },
    )
    article = Article.objects.get(pk=created.json()["id"])
    publish(article)
    page = client.get(reverse("portal:article", kwargs={"pk": article.pk}))
    assert page.status_code == 200
    html = page.content.decode()
    assert "<script>alert(" not in html
    assert "&lt;script&gt;alert(" in html
