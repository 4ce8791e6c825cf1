"""The editorial workflow through the services, and what readers can see at each step."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone, translation

from dangwu.access import SYSTEM
from dangwu.core.classification import classification_problem
from dangwu.core.errors import DomainError, Forbidden, NotFound, ValidationFailed
from dangwu.core.visibility import Visibility
from dangwu.portal import selectors
from dangwu.portal.enums import ArticleStatus, RevisionAction
from dangwu.portal.models import Article, ArticleRevision
from dangwu.portal.services import (
    article_publish,
    article_return,
    article_submit,
    article_update,
    article_withdraw,
)

VISITOR = AnonymousUser()


def _visible_titles(user) -> set[str]:
    return set(selectors.articles_readable(user).values_list("title", flat=True))


def test_a_draft_goes_through_review_and_visitors_read_it_only_once_published(world, write):
    editor = world.user("editor")
    article = write("主题党日活动纪实")
    assert article.status == ArticleStatus.DRAFT
    assert "主题党日活动纪实" not in _visible_titles(VISITOR)

    article_submit(actor=editor, article=article)
    assert article.status == ArticleStatus.SUBMITTED
    assert "主题党日活动纪实" not in _visible_titles(world.user("leader"))

    article_publish(actor=editor, article=article)
    article.refresh_from_db()
    assert article.status == ArticleStatus.PUBLISHED
    assert "主题党日活动纪实" in _visible_titles(VISITOR)
    actions = list(article.revisions.order_by("id").values_list("action", flat=True))
    assert actions == [RevisionAction.CREATED, RevisionAction.SUBMITTED, RevisionAction.PUBLISHED]


@pytest.mark.parametrize(
    ("status_steps", "action"),
    [
        ([], "publish"),  # a draft cannot be published before it is submitted
        ([], "return"),
        (["submit", "publish"], "submit"),
        (["submit", "publish"], "return"),
        (["submit"], "withdraw"),
    ],
)
def test_a_transition_from_the_wrong_state_is_refused_and_changes_nothing(
    world, write, status_steps, action
):
    editor = world.user("editor")
    article = write("状态测试")
    run = {
        "submit": lambda: article_submit(actor=editor, article=article),
        "publish": lambda: article_publish(actor=editor, article=article),
        "return": lambda: article_return(actor=editor, article=article, comment="请修改"),
        "withdraw": lambda: article_withdraw(actor=editor, article=article),
    }
    for step in status_steps:
        run[step]()
    before = Article.objects.get(pk=article.pk).status
    revisions = ArticleRevision.objects.count()
    with pytest.raises(DomainError):
        run[action]()
    assert Article.objects.get(pk=article.pk).status == before
    assert ArticleRevision.objects.count() == revisions


def test_returning_needs_a_comment_and_the_author_sees_it(world, write):
    editor, secretary = world.user("editor"), world.user("secretary")
    article = write("换届工作体会", by="secretary")
    article_submit(actor=secretary, article=article)
    with pytest.raises(ValidationFailed) as refused:
        article_return(actor=editor, article=article, comment="   ")
    assert refused.value.errors[0][0] == "comment"
    assert Article.objects.get(pk=article.pk).status == ArticleStatus.SUBMITTED

    article_return(actor=editor, article=article, comment="请补充具体做法。")
    seen = selectors.article_edit_access(user=secretary, pk=article.pk)
    assert seen.status == ArticleStatus.RETURNED
    assert seen.review_comment == "请补充具体做法。"
    article_update(actor=secretary, article=seen, body="<p>补充了具体做法。</p>")
    article_submit(actor=secretary, article=seen)
    assert Article.objects.get(pk=article.pk).status == ArticleStatus.SUBMITTED


def test_an_article_is_never_more_visible_than_its_column(world, write):
    count = Article.objects.count()
    with pytest.raises(ValidationFailed) as refused:
        write("内部栏目的公开稿件", column="notices", visibility=Visibility.PUBLIC)
    assert refused.value.errors[0][0] == "visibility"
    assert Article.objects.count() == count
    article = write("默认随栏目", column="notices")
    assert article.visibility == Visibility.INTERNAL


@pytest.mark.parametrize(
    "values",
    [
        {"body": "<p>秘密★10年</p><p>关于某项工作的通知</p>"},
        {"body": "<p>密级：机密</p><p>正文</p>"},
        {"title": "绝密★ 某某文件"},
        {"secret_level": "秘密"},
    ],
    ids=["star-in-body", "field-in-body", "star-in-title", "declared-level"],
)
def test_the_classification_guard_refuses_marked_content_and_saves_nothing(world, write, values):
    articles, revisions = Article.objects.count(), ArticleRevision.objects.count()
    with pytest.raises(ValidationFailed) as refused:
        write(values.pop("title", "一篇稿件"), **values)
    assert "涉密不上网" in refused.value.message
    assert Article.objects.count() == articles
    assert ArticleRevision.objects.count() == revisions


def test_the_classification_guard_also_refuses_a_change_and_keeps_the_old_text(world, write):
    article = write("原稿", body="<p>原来的正文</p>")
    with pytest.raises(ValidationFailed):
        article_update(
            actor=world.user("editor"), article=article, body="<p>机密★</p><p>新正文</p>"
        )
    assert Article.objects.get(pk=article.pk).body == "<p>原来的正文</p>"


def test_the_guard_explains_itself_in_chinese():
    with translation.override("zh-hans"):
        problem = classification_problem("秘密★ 文件")
    assert problem is not None
    assert "秘密" in problem


def test_scripts_and_event_handlers_are_removed_from_the_body(world, write):
    article = write(
        "<script>alert(1)</script>标题",
        body='<p onclick="steal()">正文<script>alert(2)</script></p>'
        '<img src="x" onerror="alert(3)"><a href="javascript:alert(4)">链接</a>',
    )
    assert "<script" not in article.body
    assert "onclick" not in article.body
    assert "onerror" not in article.body
    assert "javascript:" not in article.body
    assert "正文" in article.body
    # The title is plain text: kept as typed, escaped wherever it is shown.
    assert article.title == "<script>alert(1)</script>标题"


def test_a_secretary_sees_and_changes_only_their_own_organizations_articles(world, write):
    own = write("本组织稿件", by="secretary")
    editors = write("工委稿件", organization=world.orgs["org2"])
    secretary = world.user("secretary")
    assert set(selectors.articles_editable(secretary)) == {own}
    with pytest.raises(NotFound):
        selectors.article_edit_access(user=world.user("other_secretary"), pk=own.pk)
    with pytest.raises(NotFound):
        selectors.article_edit_access(user=secretary, pk=editors.pk)
    with pytest.raises(Forbidden):
        write("替别的组织写", by="secretary", organization=world.orgs["org2"])


@pytest.mark.parametrize("persona", ["secretary", "member", "leader", "sysadmin"])
def test_publishing_without_permission_is_refused_and_nothing_changes(world, write, persona):
    article = write("待审稿件", by="secretary")
    article_submit(actor=world.user("secretary"), article=article)
    with pytest.raises(Forbidden):
        article_publish(actor=world.user(persona), article=article)
    article.refresh_from_db()
    assert article.status == ArticleStatus.SUBMITTED
    assert article.publish_at is None
    assert "待审稿件" not in _visible_titles(VISITOR)


def test_members_cannot_write_at_all(world, write):
    with pytest.raises(Forbidden):
        write("党员来稿", by="member", organization=world.orgs["branch1"])


def test_a_scheduled_article_is_invisible_until_its_time(world, publish, monkeypatch):
    at = timezone.now() + timedelta(hours=3)
    article = publish("七一走访慰问通知", at=at)
    assert article.status == ArticleStatus.PUBLISHED
    assert "七一走访慰问通知" not in _visible_titles(VISITOR)
    with pytest.raises(NotFound):
        selectors.article_read(user=world.user("editor"), pk=article.pk)

    later = at + timedelta(minutes=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert "七一走访慰问通知" in _visible_titles(VISITOR)
    assert selectors.article_read(user=VISITOR, pk=article.pk) == article


def test_withdrawing_takes_an_article_off_the_site_and_it_can_be_fixed_and_republished(
    world, publish
):
    editor = world.user("editor")
    article = publish("需要撤回的稿件")
    article_withdraw(actor=editor, article=article, comment="数据有误")
    assert "需要撤回的稿件" not in _visible_titles(VISITOR)
    article_update(actor=editor, article=article, title="更正后的稿件")
    article_submit(actor=editor, article=article)
    article_publish(actor=editor, article=article)
    assert "更正后的稿件" in _visible_titles(VISITOR)


def test_a_published_article_cannot_be_changed_before_it_is_withdrawn(world, publish):
    article = publish("已发布稿件")
    with pytest.raises(DomainError):
        article_update(actor=world.user("editor"), article=article, title="偷偷改标题")
    assert Article.objects.get(pk=article.pk).title == "已发布稿件"


def test_visitors_never_read_internal_articles_and_signed_in_people_do(world, publish):
    publish("内部通知", column="notices")
    publish("公开动态")
    assert _visible_titles(VISITOR) == {"公开动态"}
    assert _visible_titles(world.user("member")) == {"公开动态", "内部通知"}
    assert set(selectors.columns_readable(VISITOR).values_list("slug", flat=True)) == {"news"}


def test_the_review_queue_lists_submitted_articles_in_the_reviewers_subtree(world, write):
    article = write("待审核", by="secretary")
    write("草稿不在队列里", by="secretary")
    article_submit(actor=world.user("secretary"), article=article)
    assert list(selectors.articles_to_review(world.user("editor"))) == [article]
    assert list(selectors.articles_to_review(world.user("secretary"))) == []


def test_the_creator_of_an_article_is_recorded_with_each_revision(world, write):
    article = write("谁改的", by="secretary")
    article_update(actor=world.user("editor"), article=article, subtitle="副标题")
    latest = article.revisions.first()
    assert latest.changed_by == world.user("editor")
    assert latest.changed_fields == ["subtitle"]


def test_the_demo_has_the_committees_columns_and_articles_in_every_state(db):
    from dangwu.core.demo import build_demo

    build_demo()
    public = {"要闻要论", "机关党建动态", "党建论坛", "两型机关建设"}
    internal = {"领导讲话", "工委通知通告", "工委文件", "纪检监察信息"}
    readable = set(selectors.columns_readable(VISITOR).values_list("name", flat=True))
    assert readable == public
    links = set(selectors.columns_readable(SYSTEM).exclude(link="").values_list("name", flat=True))
    assert links == {"网上党校", "经典名著"}
    assert internal <= set(selectors.columns_readable(SYSTEM).values_list("name", flat=True))
    articles = Article.objects.all()
    assert articles.count() >= 12
    assert articles.filter(pinned=True, status=ArticleStatus.PUBLISHED).exists()
    assert articles.filter(status=ArticleStatus.DRAFT).count() == 1
    assert articles.filter(status=ArticleStatus.RETURNED).exclude(review_comment="").count() == 1
    assert articles.filter(status=ArticleStatus.PUBLISHED, publish_at__gt=timezone.now()).exists()
    assert all(a.visibility == "public" for a in selectors.articles_readable(VISITOR))
